# The moved tables take the party app's names (territory_partyorg → party_partyorg, …); rows and foreign keys
# stay as they are. Content types follow, so admin permissions and log entries keep pointing at the same models.

from django.db import migrations

MODELS = ["partyorg", "partymember", "beaconhousehold", "memberregistration"]


def content_types_to_party(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    for model in MODELS:
        if not ContentType.objects.using(db).filter(app_label="party", model=model).exists():
            ContentType.objects.using(db).filter(app_label="territory", model=model).update(app_label="party")


def content_types_to_territory(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    for model in MODELS:
        if not ContentType.objects.using(db).filter(app_label="territory", model=model).exists():
            ContentType.objects.using(db).filter(app_label="party", model=model).update(app_label="territory")


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("party", "0001_initial"),
        ("territory", "0002_party_moves_to_its_own_app"),
    ]

    operations = [
        migrations.AlterModelTable(name="partyorg", table=None),
        migrations.AlterModelTable(name="partymember", table=None),
        migrations.AlterModelTable(name="beaconhousehold", table=None),
        migrations.AlterModelTable(name="memberregistration", table=None),
        migrations.RunPython(content_types_to_party, content_types_to_territory),
    ]
