"""Co-building API (mounted under /api/cobuild): the needs list and a need's ranked suggestions, confirming a
match, service orders (place, follow, step, rate; the address only through `contact`, audited), small wishes, and
a community fund's statement. Every object is read through the scoping selectors (outside the caller's scope:
404) and every write goes through the same services as the pages; personal data is masked in lists."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router, Schema

from linli.core.errors import PermissionDenied
from linli.core.masking import mask_address, mask_name
from linli.core.scoping import get_or_404, is_signed_in, is_staff_member
from linli.party.selectors import community_by_code
from linli.territory.schemas import ErrorOut

from . import selectors, services
from .models import Need, Order, ServiceItem

router = Router(tags=["cobuild"])
ERRORS: dict[int, Any] = {403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


def _staff(request: HttpRequest) -> Any:
    if not is_staff_member(request.user):
        raise PermissionDenied(_("This part of Linli is for community staff only."))
    return request.user


def _signed_in(request: HttpRequest) -> Any:
    if not is_signed_in(request.user):
        raise PermissionDenied(_("Sign in first."))
    return request.user


class NeedOut(Schema):
    id: int
    title: str
    category: str
    source: str
    state: str
    urgency: int
    households: int
    community: str
    place: str


class SuggestionOut(Schema):
    resource_id: int
    name: str
    provider: str
    score: float
    distance_m: int | None
    load: int
    capacity: int


class MatchIn(Schema):
    resource_id: int


class OrderIn(Schema):
    item_id: int
    note: str


class StepIn(Schema):
    provider_id: int | None = None
    reason: str = ""
    fulfilment: str = ""
    minutes: int | None = None
    report: str = ""
    rating: int | None = None
    comment: str = ""


class OrderOut(Schema):
    id: int
    number: str
    item: str
    state: str
    address: str
    provider: str | None
    due_at: dt.datetime | None
    breached: bool
    rating: int | None
    created_at: dt.datetime


class ContactOut(Schema):
    name: str
    address: str
    phone: str


class WishOut(Schema):
    id: int
    title: str
    state: str
    wisher: str
    adopter: str


class StatementOut(Schema):
    community: str
    year: int
    balance: str
    opening: str
    closing: str
    income_total: str
    spending_total: str


def _need(n: Need) -> dict[str, Any]:
    return {
        "id": n.pk,
        "title": n.title,
        "category": n.category,
        "source": n.source,
        "state": n.state,
        "urgency": n.urgency,
        "households": n.households,
        "community": n.community.name,
        "place": n.place,
    }


def _order(o: Order) -> dict[str, Any]:
    return {
        "id": o.pk,
        "number": o.number,
        "item": o.item.name,
        "state": o.state,
        "address": mask_address(o.address),
        "provider": o.provider.provider_name if o.provider else None,
        "due_at": o.due_at,
        "breached": o.breached_at is not None,
        "rating": o.rating,
        "created_at": o.created_at,
    }


@router.get("/needs", response={200: list[NeedOut], 403: ErrorOut})
def need_list(request: HttpRequest, state: str = "") -> Any:
    qs = selectors.needs_visible_to(_staff(request))
    if state:
        qs = qs.filter(state=state)
    return [_need(n) for n in qs[:200]]


@router.get("/needs/{pk}/suggestions", response={200: list[SuggestionOut], **ERRORS})
def need_suggestions(request: HttpRequest, pk: int) -> Any:
    need = selectors.need_get_for(_staff(request), pk)
    return [
        {
            "resource_id": s.resource.pk,
            "name": s.resource.name,
            "provider": s.resource.provider_name,
            "score": s.score,
            "distance_m": s.distance,
            "load": s.load,
            "capacity": s.resource.capacity,
        }
        for s in selectors.suggestions_for(need)
    ]


@router.post("/needs/{pk}/matches", response={201: dict[str, int], **ERRORS})
def need_match(request: HttpRequest, pk: int, body: MatchIn) -> Any:
    user = _staff(request)
    need = selectors.need_get_for(user, pk)
    resource = get_or_404(selectors.resources_visible_to(user), pk=body.resource_id)
    match = services.match_confirm(actor=user, need=need, resource=resource)
    return 201, {"id": match.pk}


@router.get("/orders", response={200: list[OrderOut], 403: ErrorOut})
def order_list(request: HttpRequest, state: str = "") -> Any:
    qs = selectors.orders_visible_to(_signed_in(request)).order_by("-created_at")
    if state:
        qs = qs.filter(state=state)
    return [_order(o) for o in qs[:200]]


@router.post("/orders", response={201: OrderOut, **ERRORS})
def order_create(request: HttpRequest, body: OrderIn) -> Any:
    user = _signed_in(request)
    community = selectors.home_community(user)
    item = get_or_404(
        selectors.menu_of(community) if community else ServiceItem.objects.none(), pk=body.item_id
    )
    return 201, _order(services.order_place(actor=user, item=item, note=body.note))


@router.post("/orders/{pk}/{action}", response={200: OrderOut, **ERRORS})
def order_step(request: HttpRequest, pk: int, action: str, body: StepIn) -> Any:
    user = _signed_in(request)
    o = selectors.order_get_for(user, pk)
    if action == "assign":
        provider = get_or_404(selectors.providers_for(o), pk=body.provider_id or 0)
        o = services.order_assign(actor=user, order=o, provider=provider, note=body.reason)
    elif action == "refuse":
        o = services.order_refuse(actor=user, order=o, reason=body.reason)
    elif action == "cancel":
        o = services.order_cancel(actor=user, order=o, reason=body.reason)
    elif action == "fulfil":
        o = services.order_fulfil(
            actor=user, order=o, fulfilment=body.fulfilment, minutes=body.minutes, report=body.report
        )
    elif action == "rate":
        o = services.order_rate(actor=user, order=o, rating=body.rating, comment=body.comment)
    else:
        raise PermissionDenied(_("Unknown action."))
    return 200, _order(o)


@router.get("/contacts/{pk}", response={200: ContactOut, **ERRORS})
def order_contact(request: HttpRequest, pk: int) -> Any:
    user = _signed_in(request)
    return services.order_contact(actor=user, order=selectors.order_get_for(user, pk))


@router.get("/wishes", response={200: list[WishOut], 403: ErrorOut})
def wish_list(request: HttpRequest) -> Any:
    qs = selectors.wishes_visible_to(_signed_in(request))
    return [
        {
            "id": w.pk,
            "title": w.title,
            "state": w.state,
            "wisher": mask_name(w.wisher_name),
            "adopter": w.adopter_name,
        }
        for w in qs[:200]
    ]


@router.get("/fund/{code}/statement", response={200: StatementOut, 404: ErrorOut})
def fund_statement(request: HttpRequest, code: str, year: int | None = None) -> Any:
    community = community_by_code(code)
    y = year or timezone.localdate().year
    s = selectors.statement(community, dt.date(y, 1, 1), dt.date(y + 1, 1, 1))
    return {
        "community": community.name,
        "year": y,
        "balance": str(selectors.balance_of(selectors.fund_account(community))),
        "opening": str(s["opening"]),
        "closing": str(s["closing"]),
        "income_total": str(s["income_total"]),
        "spending_total": str(s["spending_total"]),
    }
