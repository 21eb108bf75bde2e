"""双报到 registrations waiting for their community, on a member of staff's home (core.todo): those to decide, and
those approved and waiting for a post. Late: waiting longer than the rule (`waits.overdue`, party/waits.py); the
list opens on the state, the oldest first."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.utils.translation import gettext_lazy as _

from linli.core.todo import Todo, counted, if_may

from .choices import RegistrationStatus
from .permissions import TABLE
from .selectors import member_registrations_visible_to
from .waits import overdue


def _waiting(status: str, label: Any, name: str, rank: int) -> Todo:
    def late(user: Any) -> int:
        return overdue(member_registrations_visible_to(user).filter(status=status)).count()

    count: Callable[[Any], int] = counted(member_registrations_visible_to, status=status)
    return Todo(
        name,
        label,
        "party:registrations",
        if_may(TABLE, "registration_decide", count),
        late=if_may(TABLE, "registration_decide", late),
        query=f"status={status}",
        rank=rank,
    )


TODOS = [
    _waiting(
        RegistrationStatus.PENDING,
        _("Party members' registrations to decide"),
        "party.registrations",
        rank=40,
    ),
    _waiting(
        RegistrationStatus.APPROVED, _("Registered party members to give a post"), "party.posts", rank=41
    ),
]
