"""Party work on a person's home (core.todo). 双报到 registrations waiting for their community, on a member of
staff's home: those to decide, and those approved and waiting for a post. Late: waiting longer than the rule
(`waits.overdue`, party/waits.py); the list opens on the state, the oldest first.

A branch's secretary or deputy (usually a resident) finds on their home the star ratings waiting for the branch's
self-assessment (自评: computed, or returned by the street), linked to 我的支部; late: those the street has reminded
the branch of. The registrations of the branch's members are not theirs to decide (the community decides them), so
the branch follows them on 我的支部 and they are no to-do of its secretary."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.utils.translation import gettext_lazy as _

from linli.core.todo import Todo, counted, if_may

from .choices import RegistrationStatus
from .permissions import TABLE
from .selectors import member_registrations_visible_to, ratings_waiting_for_leader
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
    Todo(
        "party.self_assessments",
        _("Branch self-assessments to fill in"),
        "party:branch_home",
        counted(ratings_waiting_for_leader),
        late=counted(ratings_waiting_for_leader, reminded_at__isnull=False),
        rank=42,
    ),
]
