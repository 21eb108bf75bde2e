"""Care's work on a person's home (core.todo). The visits and calls of elderly care due for a visitor, as their day
page lists them: assigned to them (or to no one in their area), due today or earlier, still open, one line per person
and kind of contact (calls missed beside today's are one line); the lines holding a late one counted apart. The
follow-up visits of signed mediation agreements due today or earlier in the cases they read, the late ones apart."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from linli.core.scoping import Viewer
from linli.core.todo import Todo

from .choices import OPEN_CONTACT_STATES
from .selectors import cases_follow_up_due, contacts_for_today


def _lines(user: Viewer, **late: object) -> int:
    contacts = contacts_for_today(user, timezone.localdate()).filter(state__in=OPEN_CONTACT_STATES, **late)
    return contacts.order_by().values("plan_id", "kind").distinct().count()


def _due(user: Viewer) -> int:
    return _lines(user)


def _late(user: Viewer) -> int:
    return _lines(user, due_on__lt=timezone.localdate())


def _follow_ups(user: Viewer) -> int:
    return cases_follow_up_due(user, timezone.localdate()).count()


def _follow_ups_late(user: Viewer) -> int:
    today = timezone.localdate()
    return cases_follow_up_due(user, today).filter(follow_up_on__lt=today).count()


TODOS = [
    Todo("care.visits", _("Care visits and calls due"), "care:today", _due, _late, rank=20),
    Todo(
        "care.follow_ups",
        _("Mediation follow-up visits due"),
        "care:cases",
        _follow_ups,
        _follow_ups_late,
        query="follow_up=due",
        rank=25,
    ),
]
