"""双报到 registrations waiting for a community's decision, on a member of staff's home (core.todo)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from linli.core.todo import Todo, counted, if_may

from .choices import RegistrationStatus
from .permissions import TABLE
from .selectors import member_registrations_visible_to
from .waits import overdue_before

TODOS = [
    Todo(
        "party.registrations",
        _("Party members' registrations to decide"),
        "party:registrations",
        if_may(
            TABLE,
            "registration_decide",
            counted(member_registrations_visible_to, status=RegistrationStatus.PENDING),
        ),
        # Late: waiting more than the rule's working days (party/waits.py); the list opens with the oldest.
        late=if_may(
            TABLE,
            "registration_decide",
            lambda user: (
                member_registrations_visible_to(user)
                .filter(status=RegistrationStatus.PENDING, registered_on__lt=overdue_before())
                .count()
            ),
        ),
        query="status=pending",
        rank=40,
    )
]
