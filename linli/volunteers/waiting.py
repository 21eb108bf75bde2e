"""Volunteering's work for community staff, on their home (core.todo): volunteers' hours waiting for the organiser
to confirm them, points-store items redeemed and not yet handed over, honours computed and waiting for review, and
requests to join a team waiting for an answer."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from linli.core.todo import Todo, counted, if_may

from .choices import HonourState, JoinState, RedemptionState
from .permissions import TABLE
from .selectors import (
    honours_visible_to,
    join_requests_visible_to,
    redemptions_visible_to,
    signups_to_confirm,
)

TODOS = [
    Todo(
        "volunteers.hours",
        _("Volunteer hours to confirm"),
        "volunteers:staff_activities",
        if_may(TABLE, "hours_confirm", counted(signups_to_confirm)),
        rank=40,
    ),
    Todo(
        "volunteers.redemptions",
        _("Redeemed items to hand over"),
        "volunteers:staff_store",
        if_may(TABLE, "store_manage", counted(redemptions_visible_to, state=RedemptionState.REDEEMED)),
        rank=60,
    ),
    Todo(
        "volunteers.honours",
        _("Volunteer honours to review"),
        "volunteers:staff_honours",
        if_may(TABLE, "honour_review", counted(honours_visible_to, state=HonourState.PROPOSED)),
        rank=60,
    ),
    Todo(
        "volunteers.join_requests",
        _("Requests to join a volunteer team"),
        "volunteers:staff_teams",
        if_may(TABLE, "team_manage", counted(join_requests_visible_to, state=JoinState.PENDING)),
        rank=60,
    ),
]
