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
    # The rest of care, in every state: services, alerts, children waiting, legal aid, the rota, talks.
    from linli.care.choices import EnrolmentState, LegalAidOutcome, LegalAidState, ServiceState
    from linli.care.models import (
        CareAlert,
        CareService,
        Enrolment,
        LegalAidApplication,
        LegalTalk,
        OnCallProfessional,
    )

    assert set(CareService.objects.values_list("state", flat=True)) == set(ServiceState.values)
    assert CareService.objects.filter(state="delivered", volunteer__isnull=False).exists()
    assert CareAlert.objects.exclude(appeal_number="").exists()
    assert CarePlan.objects.exclude(alert_token="").exists()
    assert set(Enrolment.objects.values_list("state", flat=True)) >= {
        EnrolmentState.ENROLLED,
        EnrolmentState.WAITING,
    }
    assert set(LegalAidApplication.objects.values_list("state", flat=True)) == set(LegalAidState.values)
    assert {LegalAidOutcome.WON, LegalAidOutcome.SETTLED} <= set(
        LegalAidApplication.objects.values_list("outcome", flat=True)
    )
    assert LegalTalk.objects.exists() and OnCallProfessional.objects.filter(kind="lawyer").exists()
    # A volunteer (a demo resident who signs in) visits someone in care from today, and was paid for a service.
    volunteered = CarePlan.objects.filter(caregiver_kind="volunteer")
    assert volunteered.exists()
    assert CareContact.objects.filter(plan__in=volunteered, assignee_kind="volunteer", state="due").exists()
    from linli.volunteers.models import BankAccount

    given = CareService.objects.filter(
        state="delivered", plan__in=volunteered, served_at__isnull=False
    ).first()
    assert (
        given is not None
        and BankAccount.objects.filter(volunteer__account=given.volunteer, balance__gt=0).exists()
    )


# Days on which the demo once left a grid worker nothing late: one whose weekly visits fell on neither of the two
# days before today, the random misses sparing them (CI failed on such a day).
ON_DAYS = [None, "2026-12-07 12:00 +08:00", "2026-12-10 12:00 +08:00"]


@pytest.mark.parametrize("on", ON_DAYS, ids=["today", *(d[:10] for d in ON_DAYS[1:] if d)])
def test_each_grid_worker_finds_a_day_of_care_due_today_in_every_colour(
    on: str | None, request: pytest.FixtureRequest
) -> None:
    """The demo's 今日探访 of a grid worker is a working day: visits and calls due today for people of each colour
    they look after, a few late ones (their last one before today among them, not only month-old escalations),
    a month done; whatever day today is."""
    if on is None:
        _check_a_day_of_care(request.getfixturevalue("run"))
        return
    import time_machine

    with time_machine.travel(on, tick=True):
        _check_a_day_of_care(request.getfixturevalue("run"))


def _check_a_day_of_care(run: DemoRun) -> None:
    import datetime as dt

    from django.utils import timezone

    from linli.accounts.models import User
    from linli.care.selectors import contacts_for_today
    from linli.demo import care

    care.part(run)
    today = timezone.localdate()
    workers = User.objects.filter(role="grid_worker", care_contacts__isnull=False).distinct()
    assert workers.exists()
    for worker in workers:
        day = list(contacts_for_today(worker, today))
        levels = set(
            CarePlan.objects.filter(caregiver=None, contacts__assignee=worker).values_list("level", flat=True)
        )
        due_today = {c.plan.level for c in day if c.due_on == today and c.state == ContactState.DUE}
        assert levels and due_today == levels, worker.username
        late = [c for c in day if c.due_on < today]
        assert 1 <= len(late) <= 10, (worker.username, len(late))
        before = CareContact.objects.filter(
            assignee=worker, due_on__lt=today, due_on__gte=today - dt.timedelta(7)
        )
        if last := before.order_by("-due_on").first():
            assert any(c.due_on == last.due_on for c in late), worker.username
        assert CareContact.objects.filter(assignee=worker, state=ContactState.DONE).count() >= 3
