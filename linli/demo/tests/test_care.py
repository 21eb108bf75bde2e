"""The demo's care on any day: each grid worker's 今日探访 (what the whole demo's care made is checked in
test_whole_demo)."""

from __future__ import annotations

import pytest

from linli.care.choices import ContactState
from linli.care.models import CareContact, CarePlan
from linli.demo.parts import DemoRun

pytestmark = pytest.mark.django_db


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
