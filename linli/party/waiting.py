"""双报到 registrations waiting for a community's decision, on a member of staff's home (core.todo)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from linli.core.todo import Todo, counted, if_may

from .choices import RegistrationStatus
from .permissions import TABLE
from .selectors import member_registrations_visible_to

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
        query="status=pending",
        rank=40,
    )
]
