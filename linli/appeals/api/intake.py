"""Appeals coming in: a submission (guest, resident, staff or another system, with an Idempotency-Key) and an
appeal raised from a grid worker's visit."""

from __future__ import annotations

from django.db.models import Prefetch
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Header, Status
from ninja.errors import AuthenticationError
from ninja.utils import check_csrf

from linli.accounts.auth import ApiKeyAuth
from linli.core.clientip import client_ip
from linli.core.errors import PermissionDenied, ValidationFailed
from linli.territory.selectors import visit_get_for
from linli.territory.services.common import may_visit

from .. import services
from ..choices import Channel
from ..models import Appeal, AppealRating
from ..permissions import signed_in_user
from ..schemas import ERRORS, AppealDetailOut, FromVisitIn, SubmitIn
from ..services.idempotency import (
    idempotency_finish,
    idempotency_key_clean,
    idempotency_release,
    idempotency_reserve,
    request_fingerprint,
)
from .common import appeal_detail, operation_id, respond, router


@router.post(
    "/",
    response={200: AppealDetailOut, 201: AppealDetailOut, **ERRORS},
    auth=None,
    operation_id=operation_id("submit"),
)
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
    fetched = Appeal.objects.select_related("category__parent", "grid", "unit_node", "unit_org", "callback")
    if not before:  # made by this request: it has no rating yet, so none is read
        fetched = fetched.prefetch_related(Prefetch("ratings", queryset=AppealRating.objects.none()))
    data = appeal_detail(request, fetched.get(pk=appeal.pk))
    return Status(200 if before else 201, data)


@router.post(
    "/from-visit/{visit_id}",
    response={200: AppealDetailOut, 201: AppealDetailOut, **ERRORS},
    operation_id=operation_id("from_visit"),
)
def from_visit(request: HttpRequest, visit_id: int, payload: FromVisitIn) -> Status:
    """Raise an appeal from a visit of the caller's visit log (民情日志), by the patrol channel with the visit's
    place and photos. Once per visit: asking again returns the appeal raised the first time (200)."""
    person = signed_in_user(request.user)
    if person is None or not may_visit(person):
        raise PermissionDenied(_("Your role may not log visits."))
    visit = visit_get_for(person, visit_id)
    before = bool(visit.appeal_number)
    appeal = services.appeal_from_visit(actor=person, visit=visit, **payload.dict())
    return Status(200 if before else 201, respond(request, appeal))
