"""Year rollups and handling-time buckets, summed from the month rows already kept (no appeal is re-read)."""

from django.db import migrations, models
from django.db.models import Sum
from django.db.models.functions import TruncYear

MEASURES = [
    "received", "counted", "duplicates", "withdrawn", "open", "overdue", "breached", "concluded", "fixed",
    "reached", "responded", "on_time", "handled", "handling_seconds", "dispatched", "returned",
    "ever_resolved", "reworked", "rated", "satisfied", "basically", "unsatisfied", "tier_grid",
    "tier_compound", "tier_community", "tier_street", "tier_district", "tier_department", "tier_none",
]  # fmt: skip


def add_years(apps, schema_editor):
    Rollup = apps.get_model("dashboard", "Rollup")
    HandlingBucket = apps.get_model("dashboard", "HandlingBucket")
    months = Rollup.objects.filter(grain="month").annotate(y=TruncYear("start"))
    rows = months.values("y", "level", "node_id", "category_root_id").annotate(**{m: Sum(m) for m in MEASURES})
    Rollup.objects.bulk_create(
        (
            Rollup(
                grain="year",
                start=r["y"],
                level=r["level"],
                node_id=r["node_id"],
                category_root_id=r["category_root_id"],
                **{m: r[m] for m in MEASURES},
            )
            for r in rows.order_by()
        ),
        batch_size=1000,
    )
    buckets = HandlingBucket.objects.filter(grain="month").annotate(y=TruncYear("start"))
    HandlingBucket.objects.bulk_create(
        (
            HandlingBucket(grain="year", start=b["y"], level=b["level"], node_id=b["node_id"], bucket=b["bucket"], n=b["t"])
            for b in buckets.values("y", "level", "node_id", "bucket").annotate(t=Sum("n")).order_by()
        ),
        batch_size=1000,
    )


def drop_years(apps, schema_editor):
    apps.get_model("dashboard", "Rollup").objects.filter(grain="year").delete()
    apps.get_model("dashboard", "HandlingBucket").objects.filter(grain="year").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("dashboard", "0001_initial"),
    ]

    operations = [
        migrations.AlterField(
            model_name="handlingbucket",
            name="grain",
            field=models.CharField(choices=[("day", "Day"), ("month", "Month"), ("year", "Year")], max_length=5),
        ),
        migrations.AlterField(
            model_name="rollup",
            name="grain",
            field=models.CharField(choices=[("day", "Day"), ("month", "Month"), ("year", "Year")], max_length=5),
        ),
        migrations.RunPython(add_years, drop_years),
    ]
