"""The demo's care and mediation: plans by colour, a month of visits (some missed or escalated), cases in every state."""

from __future__ import annotations

import io

import pytest

from linli.care.choices import CaseOutcome, CaseState, ContactState
from linli.care.models import CareContact, CarePlan, MediationCase
from linli.demo.parts import DemoRun, demo_run

pytestmark = pytest.mark.django_db


def test_the_demo_has_care_plans_a_month_of_visits_and_cases_in_every_state() -> None:
    out = io.StringIO()
    demo_run(DemoRun(scale=0.05, seed=5, appeal_days=0, say=out.write))
    assert "关爱与调解" in out.getvalue()
    assert CarePlan.objects.exists()
    assert set(CarePlan.objects.values_list("level", flat=True)) <= {"red", "yellow", "green"}
    states = set(CareContact.objects.values_list("state", flat=True))
    assert {ContactState.DONE, ContactState.ESCALATED, ContactState.DUE} <= states
    assert CareContact.objects.filter(state=ContactState.DONE, visit__isnull=False).exists()
    assert set(MediationCase.objects.values_list("state", flat=True)) == set(CaseState.values)
    assert set(MediationCase.objects.exclude(outcome="").values_list("outcome", flat=True)) == set(
        CaseOutcome.values
    )
    assert MediationCase.objects.filter(outcome="settled", amount_recovered__gt=0).exists()
