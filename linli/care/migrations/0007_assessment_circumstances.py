"""The illness and family-support answers of an assessment are kept, so a reassessment starts from them.

Existing assessments: unticked, except each plan's latest one, which takes what the plan's last proposal counted
(its reasons name both circumstances, in the language they were written in)."""

from __future__ import annotations

from typing import Any

from django.db import migrations, models

ILL = ("患慢性病或重病", "chronic or serious illness")
NO_FAMILY_SUPPORT = ("无家人照料", "no family support")


def from_last_proposal(apps: Any, schema_editor: Any) -> None:
    CarePlan = apps.get_model("care", "CarePlan")
    CareAssessment = apps.get_model("care", "CareAssessment")
    for plan in CarePlan.objects.exclude(proposal_reasons="").only("pk", "proposal_reasons").iterator():
        reasons = plan.proposal_reasons
        ill = any(word in reasons for word in ILL)
        alone = any(word in reasons for word in NO_FAMILY_SUPPORT)
        if not (ill or alone):
            continue
        latest = CareAssessment.objects.filter(plan_id=plan.pk).order_by("-at", "-id").first()
        if latest is not None:
            CareAssessment.objects.filter(pk=latest.pk).update(ill=ill, no_family_support=alone)


class Migration(migrations.Migration):
    dependencies = [
        ("care", "0006_contact_outcome_attempts"),
    ]

    operations = [
        migrations.AddField(
            model_name="careassessment",
            name="ill",
            field=models.BooleanField(default=False, verbose_name="chronic or serious illness"),
        ),
        migrations.AddField(
            model_name="careassessment",
            name="no_family_support",
            field=models.BooleanField(default=False, verbose_name="no family support"),
        ),
        migrations.RunPython(from_last_proposal, migrations.RunPython.noop),
    ]
