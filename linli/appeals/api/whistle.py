"""吹哨报到 through the API: a tier summons departments (whistle), each summoned department reports in and
completes its part (or, before reporting in, says the matter is not its duty — the organiser then insists or
withdraws the summons), the organiser sends a part back, urges or withdraws it; a grid worker asks the community to
blow the whistle (whistle request), which the community summons from or declines."""

from __future__ import annotations

from django.http import HttpRequest

from linli.core.api_refs import body_refs
from linli.core.errors import NotFound
from linli.territory.models import Organisation

from .. import selectors, services
from ..choices import Channel
from ..models import Appeal, AppealPart, WhistleRequest
from ..schemas import NoteIn, ReasonIn, WhistleIn
from .actions import action, of_appeal


def _units(request: HttpRequest, payload: WhistleIn) -> list[Organisation]:
    """The units a whistle names, in the caller's reach (as the service looks them up again): one outside it
    reads as one that does not exist."""
    return body_refs("organisation_ids", selectors.organisations_for(request.user), payload.organisation_ids)


def _whistle(request: HttpRequest, appeal: Appeal, payload: WhistleIn) -> None:
    services.appeal_whistle(
        actor=request.user,
        appeal=appeal,
        units=_units(request, payload),
        reason=payload.reason,
        channel=Channel.API,
        report_hours=payload.report_hours,
        finish_by=payload.finish_by,
    )


def _part_withdraw(request: HttpRequest, appeal: Appeal, payload: ReasonIn, part_id: int) -> None:
    """Withdraw a summons with the reason (the organising unit)."""
    services.part_withdraw(actor=request.user, part=_part_of(appeal, part_id), reason=payload.reason)


def _part_decline(request: HttpRequest, appeal: Appeal, payload: ReasonIn, part_id: int) -> None:
    """不属于本单位职责: the summoned unit, before reporting in, says the matter is not its duty and why; the
    summoner is told, and withdraws the summons or insists."""
    services.part_decline(actor=request.user, part=_part_of(appeal, part_id), reason=payload.reason)


def _part_of(appeal: Appeal, part_id: int) -> AppealPart:
    found = AppealPart.objects.filter(pk=part_id, appeal=appeal).first()
    if found is None:
        raise NotFound()
    return found


def _whistle_request_raise(request: HttpRequest, appeal: Appeal, payload: ReasonIn) -> None:
    """网格吹哨: the grid worker handling the appeal asks the community to summon departments."""
    services.whistle_request_raise(actor=request.user, appeal_id=appeal.pk, reason=payload.reason)


def _request_of(request: HttpRequest, appeal: Appeal, request_id: int) -> WhistleRequest:
    found = selectors.whistle_requests_for(request.user).filter(pk=request_id, appeal=appeal).first()
    if found is None:
        raise NotFound()
    return found


def _whistle_request_summon(
    request: HttpRequest, appeal: Appeal, payload: WhistleIn, request_id: int
) -> None:
    """The community summons departments from the grid worker's whistle request."""
    services.whistle_request_summon(
        actor=request.user,
        request=_request_of(request, appeal, request_id),
        units=_units(request, payload),
        reason=payload.reason,
        report_hours=payload.report_hours,
        finish_by=payload.finish_by,
    )


def _whistle_request_decline(request: HttpRequest, appeal: Appeal, payload: NoteIn, request_id: int) -> None:
    """The community declines the grid worker's whistle request, with the reason."""
    services.whistle_request_decline(
        actor=request.user, request=_request_of(request, appeal, request_id), note=payload.note
    )


action("whistle", _whistle, WhistleIn)
action(
    "parts/{part_id}/report-in",
    of_appeal(AppealPart, "part", services.part_report_in),
    NoteIn,
    name="report_in",
    write=False,
)
action(
    "parts/{part_id}/complete",
    of_appeal(AppealPart, "part", services.part_complete),
    NoteIn,
    name="complete_part",
    write=False,
)
action(
    "parts/{part_id}/send-back",
    of_appeal(AppealPart, "part", services.part_send_back),
    NoteIn,
    name="send_back_part",
)
action("parts/{part_id}/decline", _part_decline, ReasonIn, name="decline_part", write=False)
action(
    "parts/{part_id}/insist",
    of_appeal(AppealPart, "part", services.part_insist),
    NoteIn,
    name="insist_part",
)
action("parts/{part_id}/urge", of_appeal(AppealPart, "part", services.part_urge), NoteIn, name="urge_part")
action("parts/{part_id}/withdraw", _part_withdraw, ReasonIn, name="withdraw_part")
action("whistle-request", _whistle_request_raise, ReasonIn, name="whistle_request")
action(
    "whistle-requests/{request_id}/summon",
    _whistle_request_summon,
    WhistleIn,
    name="whistle_request_summon",
)
action(
    "whistle-requests/{request_id}/decline",
    _whistle_request_decline,
    NoteIn,
    name="whistle_request_decline",
)
