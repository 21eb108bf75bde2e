"""A sensor's work order names its device (`Appeal.device_code`), and its possible duplicates are that device's own
orders (similarity.candidates_for). The suggestions waiting that the rule would not make are set aside as kept
separate: a sensor's order suggested as another's (the orders stored so far name no device), and a device's order
offered to a person's appeal of another category."""

from __future__ import annotations

from typing import Any

from django.db import migrations, models
from django.db.models import F, Q
from django.utils import timezone

SENSOR = "sensor"


def set_aside(apps: Any, schema_editor: Any) -> None:
    Suggestion = apps.get_model("appeals", "DuplicateSuggestion")
    unmade = Q(appeal__channel=SENSOR) | (
        Q(candidate__channel=SENSOR)
        & (Q(appeal__category__isnull=True) | ~Q(appeal__category_id=F("candidate__category_id")))
    )
    Suggestion.objects.filter(unmade, status="pending").update(status="dismissed", decided_at=timezone.now())


class Migration(migrations.Migration):
    dependencies = [
        ("appeals", "0004_callback_due_at"),
    ]

    operations = [
        migrations.AddField(
            model_name="appeal",
            name="device_code",
            field=models.CharField(blank=True, default="", editable=False, max_length=64, verbose_name="device"),
        ),
        migrations.RunPython(set_aside, migrations.RunPython.noop),
    ]
