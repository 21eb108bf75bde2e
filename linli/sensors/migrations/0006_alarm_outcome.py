"""How an alarm ended (Alarm.outcome): the column, and for the alarms already over, the outcome their rows and
history say: a false alarm (its reason), cleared by the device (its clear has no person), or handled on site; and
the index an order's page finds its alarm by."""

from __future__ import annotations

from typing import Any

from django.db import migrations, models


def fill_outcome(apps: Any, schema_editor: Any) -> None:
    Alarm = apps.get_model("sensors", "Alarm")
    AlarmEvent = apps.get_model("sensors", "AlarmEvent")
    over = Alarm.objects.filter(outcome="").exclude(state="active")
    over.exclude(false_alarm_reason="").update(outcome="false")
    by_device = AlarmEvent.objects.filter(action="cleared", actor__isnull=True).values("alarm_id")
    over.filter(false_alarm_reason="", pk__in=by_device).update(outcome="device")
    over.filter(false_alarm_reason="").update(outcome="handled")


class Migration(migrations.Migration):
    dependencies = [
        ("sensors", "0001_squashed_0005_alarm_event_order"),
    ]

    operations = [
        migrations.AddField(
            model_name="alarm",
            name="outcome",
            field=models.CharField(
                blank=True,
                choices=[("handled", "Handled on site"), ("device", "Reset by the device"), ("false", "False alarm")],
                default="",
                max_length=10,
                verbose_name="outcome",
            ),
        ),
        migrations.AlterField(
            model_name="alarm",
            name="appeal_number",
            field=models.CharField(blank=True, db_index=True, default="", max_length=32, verbose_name="work order"),
        ),
        migrations.RunPython(fill_outcome, migrations.RunPython.noop),
    ]
