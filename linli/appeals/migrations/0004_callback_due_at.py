"""A callback's due time (回访时限): the column, and for the tasks already given, the due time of the rule from when
each was given (sla.callback_due), so those that have waited too long read as late at once."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import migrations, models


def fill_due(apps: Any, schema_editor: Any) -> None:
    from linli.appeals.sla import callback_due

    CallbackTask = apps.get_model("appeals", "CallbackTask")
    for task in CallbackTask.objects.filter(due_at__isnull=True).only("pk", "created_at").iterator():
        CallbackTask.objects.filter(pk=task.pk).update(due_at=callback_due(task.created_at))


class Migration(migrations.Migration):
    dependencies = [
        ("appeals", "0003_part_decline_as_not_its_duty"),
        ("core", "0001_squashed_0004_snapshot_version"),
        ("territory", "0001_squashed_0006_verbose_names"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="callbacktask",
            name="due_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="call back by"),
        ),
        migrations.AddIndex(
            model_name="callbacktask",
            index=models.Index(condition=models.Q(("status", "open")), fields=["due_at"], name="callback_due_idx"),
        ),
        migrations.RunPython(fill_due, migrations.RunPython.noop),
    ]
