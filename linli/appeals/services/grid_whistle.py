"""网格吹哨: the grid worker handling an appeal asks their community to summon departments. The community sees
the request in its queue and summons departments from it (吹哨报到, services.whistle) or declines with a reason;
the grid worker hears either way."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from linli.accounts.models import User
from linli.core.errors import Conflict
from linli.core.roles import Role
from linli.territory.models import Organisation

from .. import notify, routing, transitions
from ..choices import WhistleRequestStatus
from ..models import AppealPart, WhistleRequest
from ..permissions import Actor, require, signed_in_user
from ..validation import COMMENT_MAX, DESCRIPTION_MIN, NOTE_MAX, clean_text, field_error
from .whistle import appeal_whistle


def whistle_request_raise(*, actor: Actor, appeal_id: int, reason: str) -> WhistleRequest:
    """The grid worker handling the appeal raises a whistle request to the grid's community."""
    reason = clean_text("reason", reason, required=True, maximum=NOTE_MAX, minimum=DESCRIPTION_MIN)
    with transaction.atomic():
        row, target = transitions.lock_for(actor, appeal_id, "whistle_request")
        community = (
            routing.ancestors(row.grid.org_node).get("community") if row.grid_id and row.grid else None
        )
        if community is None:
            raise field_error("reason", _("This grid belongs to no community to ask."))
        if WhistleRequest.objects.filter(appeal=row, status=WhistleRequestStatus.OPEN).exists():
            raise Conflict(_("A whistle request for this appeal is already waiting for the community."))
        now = timezone.now()
        request = WhistleRequest.objects.create(
            appeal=row, community=community, raised_by=signed_in_user(actor), raised_at=now, reason=reason
        )
        transitions.apply(
            row,
            actor=actor,
            action="whistle_request",
            target=target,
            reason=reason,
            now=now,
            data={"community": community.name},
        )
        notify.notify_staff(
            User.objects.filter(org_node=community, role=Role.COMMUNITY_WORKER, is_active=True),
            row,
            gettext_lazy("Whistle request from the grid: %(number)s"),
            reason,
        )
        return request


def _decide(request: WhistleRequest, *, actor: Actor, status: str, note: str, now: dt.datetime) -> None:
    """Compare-and-swap the open request to its decision; a second decision finds it taken."""
    changed = WhistleRequest.objects.filter(pk=request.pk, status=WhistleRequestStatus.OPEN).update(
        status=status, decided_by=signed_in_user(actor), decided_at=now, decision_note=note
    )
    if changed != 1:
        raise Conflict(_("This whistle request has already been decided."))


def whistle_request_summon(
    *,
    actor: Actor,
    request: WhistleRequest,
    units: Sequence[Organisation],
    reason: str,
    report_hours: float | None = None,
    finish_by: dt.datetime | None = None,
) -> list[AppealPart]:
    """The community summons departments from the request (the whistle service checks who may and the clocks)."""
    with transaction.atomic():
        parts = appeal_whistle(
            actor=actor,
            appeal=request.appeal,
            units=units,
            reason=reason,
            report_hours=report_hours,
            finish_by=finish_by,
        )
        _decide(request, actor=actor, status=WhistleRequestStatus.SUMMONED, note=reason, now=timezone.now())
        if request.raised_by is not None:
            notify.notify_staff(
                [request.raised_by],
                request.appeal,
                gettext_lazy("Your whistle request for %(number)s: departments summoned"),
                "、".join(p.organisation.name for p in parts),
            )
        return parts


def whistle_request_decline(*, actor: Actor, request: WhistleRequest, note: str) -> WhistleRequest:
    """The community declines the request with the reason (the grid worker handles it on, or escalates)."""
    note = clean_text("note", note, required=True, maximum=COMMENT_MAX, minimum=DESCRIPTION_MIN)
    with transaction.atomic():
        row, target = transitions.lock(request.appeal_id, "whistle_request_decline")
        if not WhistleRequest.objects.filter(pk=request.pk, status=WhistleRequestStatus.OPEN).exists():
            raise Conflict(_("This whistle request has already been decided."))  # said before who may
        require(actor, "whistle_request_decline", row)  # offered while a request is open (permissions.py)
        now = timezone.now()
        _decide(request, actor=actor, status=WhistleRequestStatus.DECLINED, note=note, now=now)
        transitions.apply(
            row,
            actor=actor,
            action="whistle_request_decline",
            target=target,
            reason=note,
            now=now,
            data={"community": request.community.name},
        )
        if request.raised_by is not None:
            notify.notify_staff(
                [request.raised_by],
                row,
                gettext_lazy("Your whistle request for %(number)s was declined: %(reason)s"),
                reason=note,
            )
        request.refresh_from_db()
        return request
