"""Load the shipped category taxonomy and deadline rules (idempotent; later edits in the admin are kept)."""

import json
from pathlib import Path

from django.db import migrations

TAXONOMY = Path(__file__).resolve().parent.parent / "data" / "taxonomy.json"


def load(apps, schema_editor):
    Category = apps.get_model("appeals", "Category")
    SlaRule = apps.get_model("appeals", "SlaRule")
    data = json.loads(TAXONOMY.read_text(encoding="utf-8"))
    for i, top in enumerate(data):
        parent, _ = Category.objects.get_or_create(
            code=top["code"], defaults={"name": top["name"], "name_en": top.get("name_en", ""), "position": i}
        )
        for j, child in enumerate(top.get("children", [])):
            Category.objects.get_or_create(
                code=child["code"],
                defaults={"name": child["name"], "name_en": child.get("name_en", ""), "parent": parent, "position": j},
            )
    from linli.appeals.sla import DEFAULT_RULES

    for spec in DEFAULT_RULES:
        if SlaRule.objects.filter(name=spec["name"]).exists():
            continue
        category = Category.objects.filter(code=spec["category"]).first() if spec.get("category") else None
        if spec.get("category") and category is None:
            continue
        SlaRule.objects.create(
            name=spec["name"],
            priority=spec.get("priority", ""),
            tier=spec.get("tier", ""),
            kind=spec.get("kind", ""),
            category=category,
            ack_amount=spec["ack"][0],
            ack_unit=spec["ack"][1],
            contact_amount=spec["contact"][0],
            contact_unit=spec["contact"][1],
            resolve_amount=spec["resolve"][0],
            resolve_unit=spec["resolve"][1],
            rank=spec["rank"],
        )


class Migration(migrations.Migration):
    dependencies = [("appeals", "0001_squashed_0012_disclosure_withheld")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
