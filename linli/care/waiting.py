"""The visits and calls of elderly care due for a visitor, on their home (core.todo), as their day page lists
them: assigned to them (or to no one in their area), due today or earlier, still open, one line per person and kind
of contact (calls missed beside today's are one line); the lines holding a late one counted apart."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from linli.core.scoping import Viewer
from linli.core.todo import Todo

from .choices import OPEN_CONTACT_STATES
from .selectors import contacts_for_today


def _lines(user: Viewer, **late: object) -> int:
    contacts = contacts_for_today(user, timezone.localdate()).filter(state__in=OPEN_CONTACT_STATES, **late)
    return contacts.order_by().values("plan_id", "kind").distinct().count()


def _due(user: Viewer) -> int:
    return _lines(user)


def _late(user: Viewer) -> int:
    return _lines(user, due_on__lt=timezone.localdate())


TODOS = [Todo("care.visits", _("Care visits and calls due"), "care:today", _due, _late, rank=20)]
