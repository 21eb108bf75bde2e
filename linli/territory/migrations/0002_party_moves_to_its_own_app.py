# The party models now belong to the `party` app (party.0001 takes them over in Django's model state, with the
# same tables). Here they leave territory's state only: no table is dropped, no row is lost.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("territory", "0001_initial"),
        ("party", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="BeaconHousehold"),
                migrations.DeleteModel(name="MemberRegistration"),
                migrations.DeleteModel(name="PartyMember"),
                migrations.DeleteModel(name="PartyOrg"),
            ],
            database_operations=[],
        ),
    ]
