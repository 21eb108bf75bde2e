"""JSON API for appeals under /api/appeals: submit (with Idempotency-Key), list (scoped, masked), detail with the
trace, and every transition as POST /api/appeals/{id}/<action>. Errors are {code, message, extra}.

Session authentication (the API is used by the pages and by systems signed in as a service account); submit
also accepts a guest who gives a mobile number.
"""

from __future__ import annotations

import datetime as dt
import inspect
import re
from collections.abc import Callable
from functools import partial
from typing import Any

from django.http import HttpRequest, HttpResponseBase
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import File, Header, Router, Schema, Status
from ninja.errors import AuthenticationError
from ninja.files import UploadedFile
from ninja.utils import check_csrf

from linli.accounts.auth import ApiKeyAuth
from linli.core.api_paging import limit_param, offset_param, window
from linli.core.audit import audit_record
from linli.core.clientip import client_ip
from linli.core.errors import NotFound, PermissionDenied, ValidationFailed
from linli.territory.models import Organisation, OrgNode
from linli.territory.selectors import visit_get_for
from linli.territory.services.common import may_visit

from . import figures_api, selectors, services
from .catalogue_api import router as catalogue_router
from .choices import Channel
from .filters import AppealFilters
from .models import Appeal, AppealPart, ExtensionRequest, WhistleRequest
from .parts import part_out
from .permissions import actions_for, gave_contact, is_appeal_resident, may_see_contact, signed_in_user
from .public import public_appeal_by_number
from .schemas import (
    ERRORS,
    AddInfoIn,
    AnswerIn,
    AppealDetailOut,
    AppealPage,
    CallbackAttemptIn,
    DecisionIn,
    DispatchIn,
    EventOut,
    ExtensionIn,
    FromVisitIn,
    MergeIn,
    NoteIn,
    RateIn,
    ReasonIn,
    ReopenIn,
    ResolveIn,
    SplitIn,
    SubmitIn,
    WhistleIn,
    WhistleRequestPage,
    WithdrawIn,
)
from .services.idempotency import (
    idempotency_finish,
    idempotency_key_clean,
    idempotency_release,
    idempotency_reserve,
    request_fingerprint,
)
from .views.common import file_response
from .workflow import TRANSITIONS

router = Router(tags=["appeals"])
router.add_router("/catalogue", catalogue_router)


def _row(appeal: Appeal, *, full_contact: bool = False, now: dt.datetime | None = None) -> dict[str, Any]:
    now = now or timezone.now()
    return {
        "id": appeal.pk,
        "tracking_number": appeal.tracking_number,
        "kind": appeal.kind,
        "kind_label": str(appeal.get_kind_display()),
        "category_code": appeal.category.code if appeal.category else None,
        "category_name": str(appeal.category) if appeal.category else None,
        "title": appeal.title,
        "channel": appeal.channel,
        "state": appeal.state,
        "state_label": str(appeal.get_state_display()),
        "priority": appeal.priority,
        "tier": appeal.tier,
        "unit_name": appeal.unit_name,
        "grid_code": appeal.grid.code if appeal.grid else None,
        "contact_name": appeal.contact_name if full_contact else appeal.contact_name_masked,
        "contact_phone": appeal.contact_phone if full_contact else appeal.contact_phone_masked,
        "address": appeal.address,
        "created_at": appeal.created_at,
        "ack_due_at": appeal.ack_due_at,
        "resolve_due_at": appeal.resolve_due_at,
        "total_due_at": appeal.total_due_at,
        "overdue": bool(appeal.is_open and appeal.resolve_due_at and appeal.resolve_due_at < now),
        "outcome": appeal.outcome,
    }


def _detail(request: HttpRequest, appeal: Appeal) -> dict[str, Any]:
    user = request.user
    full = may_see_contact(user, appeal)
    if full and not gave_contact(user, appeal):
        audit_record(actor=user, action="appeal.contact.read", obj=appeal, ip=client_ip(request) or None)
    now = timezone.now()
    data = _row(appeal, full_contact=full, now=now)
    data.update(
        {
            "description": appeal.description,
            "lng": appeal.lng,
            "lat": appeal.lat,
            "resolution_note": appeal.resolution_note,
            "primary_tracking_number": appeal.primary.tracking_number
            if appeal.primary_id and appeal.primary
            else None,
            "split_from_tracking_number": appeal.split_from.tracking_number
            if appeal.split_from_id and appeal.split_from
            else None,
            "split_into": list(appeal.split_parts.order_by("id").values_list("tracking_number", flat=True)),
            "rework_count": appeal.rework_count,
            "return_count": appeal.return_count,
            "escalation_count": appeal.escalation_count,
            "disclosure_withheld": appeal.disclosure_withheld,
            "photos": [
                reverse("api:appeal_photo", kwargs={"appeal_id": appeal.pk, "photo_id": p.pk})
                for p in appeal.photos.all()
            ],
            "parts": [part_out(p, now, paused_at=appeal.paused_at) for p in appeal.parts.all()],
            "trace": list(appeal.events.all()),
            "actions": actions_for(user, appeal),
            # The callback (回访) for staff: the reverse one-to-one raises AttributeError (→ None) when none.
            "callback": None if is_appeal_resident(user, appeal) else getattr(appeal, "callback", None),
        }
    )
    return data


def _get(request: HttpRequest, appeal_id: int, *, write: bool = True) -> Appeal:
    return selectors.appeal_get_for(request.user, appeal_id, write=write)


def _respond(request: HttpRequest, appeal: Appeal) -> dict[str, Any]:
    return _detail(request, selectors.appeal_detail(request.user, appeal.pk))


# --- submit, list, detail --------------------------------------------------------------------------------------


@router.post("/", response={200: AppealDetailOut, 201: AppealDetailOut, **ERRORS}, auth=None)
def submit(
    request: HttpRequest, payload: SubmitIn, idempotency_key: str = Header("", alias="Idempotency-Key")
) -> Status:
    """Submit an appeal. A repeated Idempotency-Key returns the appeal the first request created (200).

    Guests may submit; another system signs with its API key (`Authorization: Bearer ll_…`)."""
    if request.headers.get("Authorization", "").startswith("Bearer "):
        if ApiKeyAuth()(request) is None:
            raise AuthenticationError()
    elif request.user.is_authenticated and check_csrf(request) is not None:
        # Signed in by session cookie: the same CSRF protection as every other session write.
        raise PermissionDenied(_("CSRF check failed: reload the page and try again."), code="csrf")
    if payload.channel not in (
        Channel.API,
        Channel.WEB,
        Channel.QR,
        Channel.HOTLINE,
        Channel.PATROL,
        Channel.SENSOR,
    ):
        raise ValidationFailed(_("Unknown channel."), extra={"field": "channel"})
    key = idempotency_key_clean(idempotency_key)
    before = False
    if key:
        # Reserved and committed before the appeal is written (IETF Idempotency-Key draft): 422 for another body
        # under the key, 409 while the first is in flight, the first appeal again (200) once it is done.
        replay = idempotency_reserve(key=key, fingerprint=request_fingerprint(payload.dict()))
        before = replay is not None or Appeal.objects.filter(idempotency_key=key).exists()
    try:
        appeal = services.appeal_submit(
            actor=request.user,
            idempotency_key=key,
            client_address=client_ip(request),
            **payload.dict(),
        )
    except BaseException:
        if key and not before:
            idempotency_release(key=key)
        raise
    if key and not before:
        idempotency_finish(key=key, appeal=appeal)
    data = _detail(
        request,
        Appeal.objects.select_related("category__parent", "grid", "unit_node", "unit_org", "callback").get(
            pk=appeal.pk
        ),
    )
    return Status(200 if before else 201, data)


@router.post("/from-visit/{visit_id}", response={200: AppealDetailOut, 201: AppealDetailOut, **ERRORS})
def from_visit(request: HttpRequest, visit_id: int, payload: FromVisitIn) -> Status:
    """Raise an appeal from a visit of the caller's visit log (民情日志), by the patrol channel with the visit's
    place and photos. Once per visit: asking again returns the appeal raised the first time (200)."""
    person = signed_in_user(request.user)
    if person is None or not may_visit(person):
        raise PermissionDenied(_("Your role may not log visits."))
    visit = visit_get_for(person, visit_id)
    before = bool(visit.appeal_number)
    appeal = services.appeal_from_visit(actor=person, visit=visit, **payload.dict())
    return Status(200 if before else 201, _respond(request, appeal))


@router.get("/", response={200: AppealPage, **ERRORS})
def list_appeals(
    request: HttpRequest,
    state: str = "",
    open: bool | None = None,
    kind: str = "",
    category: str = "",
    grid: str = "",
    outcome: str = "",
    tier: str = "",
    received_from: str = "",
    received_to: str = "",
    overdue: bool | None = None,
    q: str = "",
    limit: int = limit_param(),
    offset: int = offset_param(),
) -> dict[str, Any]:
    """Appeals visible to the caller, newest first; names and phone numbers are masked. The filters mean what
    they mean on the workbench (appeals/filters.py): state one or several joined by commas, category a category
    or a first-level group, tier the tier it was closed at, q the tracking number, title or address."""
    params = {
        "state": state,
        "open": "" if open is None else str(open).lower(),
        "kind": kind,
        "category": category,
        "grid": grid,
        "outcome": outcome,
        "tier": tier,
        "received_from": received_from,
        "received_to": received_to,
        "overdue": "on" if overdue else "",
        "q": q,
    }
    filters = AppealFilters(params, user=request.user, open_default=False, dropdowns=False)
    if not filters.is_valid():
        raise ValidationFailed(extra={"fields": filters.errors})
    qs = filters.apply(selectors.appeals_visible_to(request.user))
    rows, count = window(qs.order_by("-created_at", "-id"), limit, offset)
    now = timezone.now()
    return {"count": count, "items": [_row(a, now=now) for a in rows]}


@router.get("/categories", auth=None)
def categories(request: HttpRequest) -> list[dict[str, Any]]:
    """The active two-level category taxonomy."""
    return selectors.categories_tree()


@router.get("/transitions", auth=None)
def transitions(request: HttpRequest) -> list[dict[str, Any]]:
    """The one table of allowed transitions: action, from states, to state (null: unchanged)."""
    return [
        {"action": name, "from": sorted(t.sources), "to": t.target, "label": str(t.label)}
        for name, t in TRANSITIONS.items()
    ]


# The assessment figures (figures_api.py), registered here: before "/{appeal_id}", which would take "figures".
router.get("/figures")(figures_api.figures_view)
router.get("/figures/units")(figures_api.figures_units)
router.get("/figures/departments")(figures_api.figures_departments)


@router.get("/whistle-requests", response={200: WhistleRequestPage, **ERRORS})
def whistle_requests(
    request: HttpRequest, limit: int = limit_param(), offset: int = offset_param()
) -> dict[str, Any]:
    """Open whistle requests (网格吹哨) waiting for a community in the caller's area, the oldest first, a page at
    a time (`limit`, `offset`; `count` is all of them)."""
    rows, count = window(
        selectors.whistle_requests_for(request.user).order_by("raised_at", "pk"), limit, offset
    )
    items = [
        {
            "id": r.pk,
            "appeal_id": r.appeal_id,
            "tracking_number": r.appeal.tracking_number,
            "community": r.community.name,
            "raised_by": (r.raised_by.display_name or r.raised_by.get_username()) if r.raised_by else "",
            "raised_at": r.raised_at,
            "reason": r.reason,
            "status": r.status,
        }
        for r in rows
    ]
    return {"count": count, "items": items}


@router.get("/{appeal_id}", response={200: AppealDetailOut, **ERRORS})
def detail(request: HttpRequest, appeal_id: int) -> dict[str, Any]:
    """One appeal with photos, whistle parts, the full trace and the actions the caller may take now."""
    return _detail(request, selectors.appeal_detail(request.user, appeal_id))


@router.get("/{appeal_id}/photos/{photo_id}", response=ERRORS, url_name="appeal_photo")
def photo(request: HttpRequest, appeal_id: int, photo_id: int) -> HttpResponseBase:
    """One photo of an appeal (the links in `photos`), to those who may see the appeal; JPEG, PNG or WebP,
    re-encoded at upload with no metadata."""
    appeal = _get(request, appeal_id, write=False)
    item = appeal.photos.filter(pk=photo_id).first()
    if item is None:
        raise NotFound()
    return file_response(item.image)


@router.get("/{appeal_id}/trace", response={200: list[EventOut], **ERRORS})
def trace(request: HttpRequest, appeal_id: int) -> list[Any]:
    return list(selectors.appeal_trace(_get(request, appeal_id, write=False)))


# --- transitions --------------------------------------------------------------------------------------------------
# Every action is POST /{appeal_id}/<path>: `_action` writes that endpoint once. It looks the appeal up in the
# caller's scope, calls the action with the payload, and answers the appeal's detail as the caller now sees it;
# a domain error becomes {code, message, extra} in linli.api's handlers.

DETAIL = {200: AppealDetailOut, **ERRORS}
Act = Callable[..., object]  # act(request, appeal, **path ids, payload): calls one service


def _action(
    path: str, act: Act, body: Any = None, *, name: str = "", field: str = "payload", write: bool = True
) -> None:
    """Register POST /{appeal_id}/`path` as the operation `name` (default: the path), taking `body` (a schema,
    or an upload type) as `field`, and the path's other ids as ints; the act's docstring is the operation's
    description. `write=False` looks the appeal up for reading (a summoned department acts on its part)."""

    def endpoint(request: HttpRequest, appeal_id: int, **params: Any) -> dict[str, Any]:
        appeal = _get(request, appeal_id, write=write)
        act(request, appeal, **params)
        return _respond(request, appeal)

    arg = partial(inspect.Parameter, kind=inspect.Parameter.POSITIONAL_OR_KEYWORD)
    params = [arg("request", annotation=HttpRequest), arg("appeal_id", annotation=int)]
    params += [arg(key, annotation=int) for key in re.findall(r"\{(\w+)\}", path)]
    if body is not None:
        params.append(arg(field, annotation=body))
    endpoint.__signature__ = inspect.Signature(params, return_annotation=dict[str, Any])  # type: ignore[attr-defined]
    endpoint.__name__ = endpoint.__qualname__ = name or path
    endpoint.__doc__ = act.__doc__
    router.post(f"/{{appeal_id}}/{path}", response=DETAIL)(endpoint)


def _service(service: Callable[..., object], *, channel: bool = True) -> Act:
    """The act of an endpoint whose payload's fields are the service's keywords (with channel=api)."""

    def act(request: HttpRequest, appeal: Appeal, payload: Schema | None = None) -> None:
        fields = payload.dict() if payload is not None else {}
        if channel:
            fields["channel"] = Channel.API
        service(actor=request.user, appeal=appeal, **fields)

    return act


def _of_appeal(
    model: type[ExtensionRequest | AppealPart], keyword: str, service: Callable[..., object]
) -> Act:
    """The act of an endpoint naming one of the appeal's extension requests or parts by the id in its path."""

    def act(request: HttpRequest, appeal: Appeal, payload: NoteIn | DecisionIn, **ids: int) -> None:
        (pk,) = ids.values()
        found = model.objects.filter(pk=pk, appeal=appeal).first()
        if found is None:
            raise NotFound()
        service(actor=request.user, note=payload.note, **{keyword: found})

    return act


def _dispatch(request: HttpRequest, appeal: Appeal, payload: DispatchIn) -> None:
    node = OrgNode.objects.filter(pk=payload.unit_node_id).first() if payload.unit_node_id else None
    org = Organisation.objects.filter(pk=payload.unit_org_id).first() if payload.unit_org_id else None
    if payload.unit_node_id and node is None:
        raise ValidationFailed(_("Unknown unit."), extra={"field": "unit_node_id"})
    if payload.unit_org_id and org is None:
        raise ValidationFailed(_("Unknown department."), extra={"field": "unit_org_id"})
    services.appeal_dispatch(
        actor=request.user,
        appeal=appeal,
        tier=payload.tier,
        unit_node=node,
        unit_org=org,
        category_code=payload.category_code,
        grid_code=payload.grid_code,
        reason=payload.reason,
        channel=Channel.API,
    )


def _units(payload: WhistleIn) -> list[Organisation]:
    """The units a whistle names (the service checks they are within the caller's reach)."""
    units = list(Organisation.objects.filter(pk__in=payload.organisation_ids))
    if len(units) != len(set(payload.organisation_ids)):
        raise ValidationFailed(_("Unknown department."), extra={"field": "organisation_ids"})
    return units


def _whistle(request: HttpRequest, appeal: Appeal, payload: WhistleIn) -> None:
    services.appeal_whistle(
        actor=request.user,
        appeal=appeal,
        units=_units(payload),
        reason=payload.reason,
        channel=Channel.API,
        report_hours=payload.report_hours,
        finish_by=payload.finish_by,
    )


def _part_withdraw(request: HttpRequest, appeal: Appeal, payload: ReasonIn, part_id: int) -> None:
    """Withdraw a summons with the reason (the organising unit)."""
    services.part_withdraw(actor=request.user, part=_part_of(appeal, part_id), reason=payload.reason)


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
        units=_units(payload),
        reason=payload.reason,
        report_hours=payload.report_hours,
        finish_by=payload.finish_by,
    )


def _whistle_request_decline(request: HttpRequest, appeal: Appeal, payload: NoteIn, request_id: int) -> None:
    """The community declines the grid worker's whistle request, with the reason."""
    services.whistle_request_decline(
        actor=request.user, request=_request_of(request, appeal, request_id), note=payload.note
    )


def _merge(request: HttpRequest, appeal: Appeal, payload: MergeIn) -> None:
    primary = selectors.appeal_get_for(request.user, payload.primary_id)
    services.appeal_merge(actor=request.user, appeal=appeal, primary=primary, reason=payload.reason)


def _split(request: HttpRequest, appeal: Appeal, payload: SplitIn) -> None:
    """Split a message that raises several issues into one appeal per issue (2–5 parts: category_code,
    description, optional title); each is routed by its category and this appeal closes (outcome "split"). The
    answer's `split_into` names the new appeals."""
    parts = [services.SplitPart(p.category_code, p.description, p.title) for p in payload.parts]
    services.appeal_split(actor=request.user, appeal=appeal, parts=parts, reason=payload.reason)


def _add_photos(request: HttpRequest, appeal: Appeal, photos: list[UploadedFile]) -> None:
    """Upload photos (multipart field `photos`, JPEG/PNG/WebP, at most 5 MB each, 6 per appeal)."""
    services.appeal_add_photos(actor=request.user, appeal=appeal, photos=photos)


_action("dispatch", _dispatch, DispatchIn)
_action("acknowledge", _service(services.appeal_acknowledge))
_action("contact", _service(services.appeal_contact), NoteIn)
_action("start", _service(services.appeal_start), NoteIn)
_action("pause", _service(services.appeal_pause), ReasonIn)
_action("resume", _service(services.appeal_resume), NoteIn)
_action("resolve", _service(services.appeal_resolve), ResolveIn)
_action("return", _service(services.appeal_return), ReasonIn, name="return_")
_action("escalate", _service(services.appeal_escalate), ReasonIn)
_action("extension", _service(services.appeal_extension_request), ExtensionIn, name="extension_request")
_action(
    "extension/{request_id}/approve",
    _of_appeal(ExtensionRequest, "request", services.appeal_extension_approve),
    DecisionIn,
    name="extension_approve",
)
_action(
    "extension/{request_id}/reject",
    _of_appeal(ExtensionRequest, "request", services.appeal_extension_reject),
    DecisionIn,
    name="extension_reject",
)
_action("urge", _service(services.appeal_urge), NoteIn)
_action("whistle", _whistle, WhistleIn)
_action(
    "parts/{part_id}/report-in",
    _of_appeal(AppealPart, "part", services.part_report_in),
    NoteIn,
    name="report_in",
    write=False,
)
_action(
    "parts/{part_id}/complete",
    _of_appeal(AppealPart, "part", services.part_complete),
    NoteIn,
    name="complete_part",
    write=False,
)
_action(
    "parts/{part_id}/send-back",
    _of_appeal(AppealPart, "part", services.part_send_back),
    NoteIn,
    name="send_back_part",
)
_action("parts/{part_id}/urge", _of_appeal(AppealPart, "part", services.part_urge), NoteIn, name="urge_part")
_action("parts/{part_id}/withdraw", _part_withdraw, ReasonIn, name="withdraw_part")
_action("whistle-request", _whistle_request_raise, ReasonIn, name="whistle_request")
_action(
    "whistle-requests/{request_id}/summon",
    _whistle_request_summon,
    WhistleIn,
    name="whistle_request_summon",
)
_action(
    "whistle-requests/{request_id}/decline",
    _whistle_request_decline,
    NoteIn,
    name="whistle_request_decline",
)
_action("rate", _service(services.appeal_rate), RateIn)
_action("close", _service(services.appeal_close), ReasonIn)


# 回访: a call that did not reach the resident (`result`: no_answer, busy, switched_off, invalid, other — a note is
# required for other); after permissions.CALLBACK_ATTEMPTS_BEFORE_UNRATED_CLOSE of them (fewer: 409), closing
# without a rating.
_action(
    "callback-attempt", _service(services.callback_attempt_record), CallbackAttemptIn, name="callback_attempt"
)
_action("callback-unreachable", _service(services.callback_unreachable), NoteIn, name="callback_unreachable")
_action("merge", _merge, MergeIn)
_action("split", _split, SplitIn)
_action("withdraw", _service(services.appeal_withdraw), WithdrawIn)
_action("answer", _service(services.appeal_answer_on_first_contact, channel=False), AnswerIn)
_action("comment", _service(services.appeal_comment), NoteIn)
_action("withhold", _service(services.appeal_withhold), ReasonIn)
_action("photos", _add_photos, File[list[UploadedFile]], name="add_photos", field="photos")


def _add_voice(request: HttpRequest, appeal: Appeal, voice: UploadedFile) -> None:
    """The resident adds a voice message (multipart field `voice`: WebM, Ogg, MP4/M4A, MP3 or WAV, at most 2 MB)."""
    services.appeal_add_info(actor=request.user, appeal=appeal, voice=voice, channel=Channel.API)


_action("info", _service(services.appeal_add_info), AddInfoIn, name="add_info")
_action("voice", _add_voice, File[UploadedFile], name="add_voice", field="voice")
_action("reopen", _service(services.appeal_reopen), ReopenIn)


@router.post("/follow/{tracking_number}", response={200: dict[str, Any], **ERRORS})
def follow(request: HttpRequest, tracking_number: str) -> dict[str, Any]:
    """A signed-in resident follows an appeal of a public category ("this is my problem too")."""
    services.appeal_follow(actor=request.user, appeal=public_appeal_by_number(tracking_number))
    return {"tracking_number": tracking_number, "following": True}


@router.delete("/follow/{tracking_number}", response={200: dict[str, Any], **ERRORS})
def unfollow(request: HttpRequest, tracking_number: str) -> dict[str, Any]:
    """Stop following it."""
    services.appeal_unfollow(actor=request.user, appeal=public_appeal_by_number(tracking_number))
    return {"tracking_number": tracking_number, "following": False}
