# The party models moved here from territory. Their tables already exist (created by territory's first
# migration), so this migration only tells Django's model state that they now belong to `party`; the next one
# renames the tables.

import django.db.models.deletion
from django.db import migrations, models

PARTY_MODELS = [
    migrations.CreateModel(
        name="PartyOrg",
        fields=[
            ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
            ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="created at")),
            ("updated_at", models.DateTimeField(auto_now=True, verbose_name="updated at")),
            (
                "kind",
                models.CharField(
                    choices=[
                        ("committee", "Party committee"),
                        ("general_branch", "General branch"),
                        ("branch", "Branch"),
                        ("group", "Party group"),
                    ],
                    max_length=16,
                    verbose_name="kind",
                ),
            ),
            ("name", models.CharField(max_length=120, verbose_name="name")),
            ("secretary", models.CharField(blank=True, max_length=50, verbose_name="secretary")),
            (
                "grid",
                models.ForeignKey(
                    blank=True,
                    null=True,
                    on_delete=django.db.models.deletion.SET_NULL,
                    related_name="party_orgs",
                    to="territory.grid",
                    verbose_name="grid",
                ),
            ),
            (
                "org_node",
                models.ForeignKey(
                    on_delete=django.db.models.deletion.PROTECT,
                    related_name="party_orgs",
                    to="territory.orgnode",
                    verbose_name="org node",
                ),
            ),
            (
                "parent",
                models.ForeignKey(
                    blank=True,
                    null=True,
                    on_delete=django.db.models.deletion.PROTECT,
                    related_name="children",
                    to="party.partyorg",
                    verbose_name="parent",
                ),
            ),
        ],
        options={
            "verbose_name": "party organisation",
            "verbose_name_plural": "party organisations",
            "ordering": ["org_node__path", "kind", "name"],
            "db_table": "territory_partyorg",
        },
    ),
    migrations.CreateModel(
        name="PartyMember",
        fields=[
            ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
            ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="created at")),
            ("updated_at", models.DateTimeField(auto_now=True, verbose_name="updated at")),
            ("name", models.CharField(max_length=50, verbose_name="name")),
            ("phone", models.CharField(blank=True, max_length=24, verbose_name="phone")),
            ("joined_on", models.DateField(blank=True, null=True, verbose_name="joined on")),
            ("workplace", models.CharField(blank=True, max_length=120, verbose_name="workplace")),
            ("is_demo", models.BooleanField(default=False, verbose_name="demo data")),
            (
                "party_org",
                models.ForeignKey(
                    on_delete=django.db.models.deletion.PROTECT,
                    related_name="members",
                    to="party.partyorg",
                    verbose_name="branch",
                ),
            ),
            (
                "resident",
                models.OneToOneField(
                    blank=True,
                    null=True,
                    on_delete=django.db.models.deletion.SET_NULL,
                    related_name="party_member",
                    to="territory.resident",
                    verbose_name="resident",
                ),
            ),
        ],
        options={
            "verbose_name": "party member",
            "verbose_name_plural": "party members",
            "ordering": ["id"],
            "db_table": "territory_partymember",
        },
    ),
    migrations.CreateModel(
        name="BeaconHousehold",
        fields=[
            ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
            ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="created at")),
            ("updated_at", models.DateTimeField(auto_now=True, verbose_name="updated at")),
            ("households_served", models.PositiveIntegerField(default=10, verbose_name="households served")),
            (
                "grid",
                models.ForeignKey(
                    on_delete=django.db.models.deletion.PROTECT,
                    related_name="beacon_households",
                    to="territory.grid",
                ),
            ),
            (
                "household",
                models.ForeignKey(
                    on_delete=django.db.models.deletion.PROTECT, related_name="+", to="territory.household"
                ),
            ),
            (
                "member",
                models.OneToOneField(
                    on_delete=django.db.models.deletion.CASCADE, related_name="beacon", to="party.partymember"
                ),
            ),
        ],
        options={
            "verbose_name": "beacon household",
            "verbose_name_plural": "beacon households",
            "db_table": "territory_beaconhousehold",
        },
    ),
    migrations.CreateModel(
        name="MemberRegistration",
        fields=[
            ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
            ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="created at")),
            ("updated_at", models.DateTimeField(auto_now=True, verbose_name="updated at")),
            ("workplace", models.CharField(max_length=120, verbose_name="workplace")),
            (
                "specialty",
                models.CharField(
                    choices=[
                        ("legal", "Legal advice"),
                        ("medical", "Medical care"),
                        ("education", "Education and tutoring"),
                        ("engineering", "Engineering and repairs"),
                        ("psychology", "Counselling"),
                        ("culture", "Culture and sports"),
                        ("it", "IT and digital help"),
                        ("finance", "Finance and accounting"),
                        ("other", "Other"),
                    ],
                    max_length=16,
                    verbose_name="specialty",
                ),
            ),
            ("post", models.CharField(blank=True, max_length=60, verbose_name="post")),
            (
                "status",
                models.CharField(
                    choices=[("pending", "Pending"), ("active", "Active"), ("ended", "Ended")],
                    default="pending",
                    max_length=12,
                    verbose_name="status",
                ),
            ),
            ("registered_on", models.DateField(verbose_name="registered on")),
            (
                "grid",
                models.ForeignKey(
                    blank=True,
                    null=True,
                    on_delete=django.db.models.deletion.SET_NULL,
                    related_name="member_posts",
                    to="territory.grid",
                    verbose_name="grid",
                ),
            ),
            (
                "community",
                models.ForeignKey(
                    on_delete=django.db.models.deletion.PROTECT,
                    related_name="member_registrations",
                    to="territory.orgnode",
                    verbose_name="community",
                ),
            ),
            (
                "member",
                models.ForeignKey(
                    on_delete=django.db.models.deletion.CASCADE,
                    related_name="registrations",
                    to="party.partymember",
                ),
            ),
        ],
        options={
            "verbose_name": "member registration",
            "verbose_name_plural": "member registrations",
            "db_table": "territory_memberregistration",
            "constraints": [
                models.UniqueConstraint(
                    condition=models.Q(("status", "ended"), _negated=True),
                    fields=("member", "community"),
                    name="uniq_active_registration",
                )
            ],
        },
    ),
]


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("territory", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(state_operations=PARTY_MODELS, database_operations=[]),
    ]
