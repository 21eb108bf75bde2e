"""What the demo's care gives a grid worker to do on the day it is built (test_care, test_whole_demo)."""

from __future__ import annotations

from linli.care.choices import ContactState
from linli.care.models import CareContact, CarePlan


def a_day_of_care_is_due() -> None:
    """Each grid worker's 今日探访 today: visits and calls due today for people of each colour they look after, a few
    late ones (their last one before today among them), a month done."""
    import datetime as dt

    from django.utils import timezone

    from linli.accounts.models import User
    from linli.care.selectors import contacts_for_today

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
