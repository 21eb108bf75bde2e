"""Co-building API (mounted under /api/cobuild): the needs list and a need's ranked suggestions, confirming a
match, service orders (place, follow, step, rate; the address only through `contact`, audited), small wishes, and
a community fund's statement for a year or any period; the service menu, projects' milestones, partner units'
commitment lists, the quarter's service stars (review, publish, public read) and closing a need. Every object is read through the scoping selectors (outside the caller's scope:
404) and every write goes through the same services as the pages; personal data is masked in lists."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import File, Form, Router, Schema
from ninja.files import UploadedFile

from linli.core.api_access import staff_caller
from linli.core.api_paging import limit_param, offset_param, page
from linli.core.api_refs import body_ref, ref_refused
from linli.core.errors import PermissionDenied
from linli.core.masking import mask_address
from linli.core.scoping import get_or_404, is_staff_member, signed_in_account
from linli.party.selectors import community_by_code, partner_pairings_visible_to
from linli.territory.schemas import ErrorOut

from . import fund_api, selectors, services, wish_api
from .models import Commitment, Milestone, Need, Order, ServiceItem, StarsRelease
from .wish_api import WishOut, wish_out

router = Router(tags=["cobuild"])
ERRORS: dict[int, Any] = {403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


def _signed_in(request: HttpRequest) -> Any:
    return signed_in_account(request.user)


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


class CobuildSuggestionOut(Schema):
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


class NeedPage(Schema):
    count: int
    items: list[NeedOut]


class OrderPage(Schema):
    count: int
    items: list[OrderOut]


class WishPage(Schema):
    count: int
    items: list[WishOut]


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


@router.get("/needs", response={200: NeedPage, 403: ErrorOut, 422: ErrorOut})
def need_list(
    request: HttpRequest, state: str = "", limit: int = limit_param(), offset: int = offset_param()
) -> Any:
    """The needs of the caller's area, most urgent first, a page at a time."""
    qs = selectors.needs_visible_to(staff_caller(request))
    if state:
        qs = qs.filter(state=state)
    return page(qs.order_by("-urgency", "-created_at", "-pk"), limit, offset, _need)


@router.get("/needs/{pk}/suggestions", response={200: list[CobuildSuggestionOut], **ERRORS})
def need_suggestions(request: HttpRequest, pk: int) -> Any:
    need = selectors.need_get_for(staff_caller(request), pk)
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
    user = staff_caller(request)
    need = selectors.need_get_for(user, pk)
    resource = body_ref("resource_id", selectors.resources_visible_to(user), body.resource_id)
    match = services.match_confirm(actor=user, need=need, resource=resource)
    return 201, {"id": match.pk}


@router.get("/orders", response={200: OrderPage, 403: ErrorOut, 422: ErrorOut})
def order_list(
    request: HttpRequest, state: str = "", limit: int = limit_param(), offset: int = offset_param()
) -> Any:
    """The orders the caller may follow, newest first, a page at a time."""
    qs = selectors.orders_visible_to(_signed_in(request)).order_by("-created_at", "-pk")
    if state:
        qs = qs.filter(state=state)
    return page(qs, limit, offset, _order)


@router.post("/orders", response={201: OrderOut, **ERRORS})
def order_create(request: HttpRequest, body: OrderIn) -> Any:
    user = _signed_in(request)
    community = selectors.home_community(user)
    item = body_ref(
        "item_id", selectors.menu_of(community) if community else ServiceItem.objects.none(), body.item_id
    )
    return 201, _order(services.order_place(actor=user, item=item, note=body.note))


@router.post("/orders/{pk}/{action}", response={200: OrderOut, **ERRORS})
def order_step(request: HttpRequest, pk: int, action: str, body: StepIn) -> Any:
    user = _signed_in(request)
    o = selectors.order_get_for(user, pk)
    if action == "assign":
        # Missing, or not one of the order's providers: said on the field, as the page's form says it (not a 404).
        words = _("Choose a provider of this service in the community.")
        if body.provider_id is None:
            raise ref_refused({"provider_id": (words, None)})
        provider = body_ref("provider_id", selectors.providers_for(o), body.provider_id, words=words)
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


@router.get("/wishes", response={200: WishPage, 403: ErrorOut, 422: ErrorOut})
def wish_list(request: HttpRequest, limit: int = limit_param(), offset: int = offset_param()) -> Any:
    """The wishes of the caller's area, newest first, a page at a time."""
    qs = selectors.wishes_visible_to(_signed_in(request)).order_by("-created_at", "-pk")
    return page(qs, limit, offset, wish_out)


class WishWithdrawIn(Schema):
    reason: str = ""  # required once the wish is adopted: the adopter is told it


@router.post("/wishes/{pk}/withdraw", response={200: WishOut, **ERRORS})
def wish_withdraw(request: HttpRequest, pk: int, body: WishWithdrawIn) -> Any:
    """The wisher withdraws a wish not yet fulfilled (409 once fulfilled; someone else's: 403)."""
    user = _signed_in(request)
    wish = services.wish_withdraw(actor=user, wish=selectors.wish_get_for(user, pk), reason=body.reason)
    return 200, wish_out(wish)


# The wish steps of a resident's phone (wish_api.py), registered here.
router.post("/wishes", response={201: WishOut, **ERRORS})(wish_api.wish_post)
router.post("/wishes/{pk}/adopt", response={200: WishOut, **ERRORS})(wish_api.wish_adopt)
router.post("/wishes/{pk}/fulfil", response={200: WishOut, **ERRORS})(wish_api.wish_fulfil)
router.post("/wishes/{pk}/reply", response={200: WishOut, **ERRORS})(wish_api.wish_reply)

# The fund (fund_api.py), registered here.
router.get(
    "/fund/{code}/statement", response={200: fund_api.StatementOut, 404: ErrorOut, 422: ErrorOut}, auth=None
)(fund_api.fund_statement)
router.post("/projects/{pk}/allocate", response={201: fund_api.AllocationOut, **ERRORS})(
    fund_api.project_allocate
)


# --- the service menu ---------------------------------------------------------------------------------------


class MenuItemOut(Schema):
    id: int
    community_id: int
    name: str
    category: str
    description: str


class MenuItemPage(Schema):
    count: int
    items: list[MenuItemOut]


class MenuItemIn(Schema):
    community_id: int
    name: str
    category: str
    description: str = ""


def _item(i: ServiceItem) -> dict[str, Any]:
    return {
        "id": i.pk,
        "community_id": i.community_id,
        "name": i.name,
        "category": i.category,
        "description": i.description,
    }


@router.get("/menu", response={200: MenuItemPage, 403: ErrorOut, 422: ErrorOut})
def menu_list(request: HttpRequest, limit: int = limit_param(), offset: int = offset_param()) -> Any:
    """Staff: the menus of their communities. A resident: their community's menu. A page at a time."""
    user = _signed_in(request)
    if is_staff_member(user):
        qs = ServiceItem.objects.filter(community__in=selectors.communities_for(user), active=True)
    else:
        community = selectors.home_community(user)
        qs = selectors.menu_of(community) if community else ServiceItem.objects.none()
    return page(qs.order_by("community_id", "name", "pk"), limit, offset, _item)


@router.post("/menu", response={201: MenuItemOut, **ERRORS})
def menu_add(request: HttpRequest, body: MenuItemIn) -> Any:
    user = staff_caller(request)
    community = body_ref("community_id", selectors.communities_for(user), body.community_id)
    item = services.service_item_create(
        actor=user, community=community, name=body.name, category=body.category, description=body.description
    )
    return 201, _item(item)


@router.post("/menu/{pk}/withdraw", response={200: MenuItemOut, **ERRORS})
def menu_withdraw(request: HttpRequest, pk: int) -> Any:
    user = staff_caller(request)
    item = get_or_404(ServiceItem.objects.filter(community__in=selectors.communities_for(user)), pk=pk)
    return 200, _item(services.service_item_withdraw(actor=user, item=item))


# --- closing a need ---------------------------------------------------------------------------------------------


class CobuildReasonIn(Schema):
    reason: str


@router.post("/needs/{pk}/close", response={200: NeedOut, **ERRORS})
def need_close(request: HttpRequest, pk: int, body: CobuildReasonIn) -> Any:
    user = staff_caller(request)
    need = services.need_close(actor=user, need=selectors.need_get_for(user, pk), reason=body.reason)
    return 200, _need(need)


# --- project milestones -----------------------------------------------------------------------------------------


class MilestoneOut(Schema):
    id: int
    title: str
    due_on: dt.date
    done_on: dt.date | None
    note: str
    photo: str | None


class MilestoneIn(Schema):
    title: str
    due_on: dt.date


def _milestone(m: Milestone) -> dict[str, Any]:
    return {
        "id": m.pk,
        "title": m.title,
        "due_on": m.due_on,
        "done_on": m.done_on,
        "note": m.note,
        "photo": reverse("cobuild:milestone_photo", args=[m.pk]) if m.photo else None,
    }


@router.get("/projects/{pk}/milestones", response={200: list[MilestoneOut], **ERRORS})
def milestone_list(request: HttpRequest, pk: int) -> Any:
    project = selectors.project_get_for(staff_caller(request), pk)
    return [_milestone(m) for m in selectors.milestones_of([project])[project.pk]]


@router.post("/projects/{pk}/milestones", response={201: MilestoneOut, **ERRORS})
def milestone_add(request: HttpRequest, pk: int, body: MilestoneIn) -> Any:
    user = staff_caller(request)
    project = selectors.project_get_for(user, pk)
    return 201, _milestone(
        services.milestone_add(actor=user, project=project, title=body.title, due_on=body.due_on)
    )


@router.post("/projects/{pk}/milestones/{milestone_id}/reach", response={200: MilestoneOut, **ERRORS})
def milestone_reach(
    request: HttpRequest,
    pk: int,
    milestone_id: int,
    note: Form[str],
    photo: UploadedFile | None = File(None),  # noqa: B008
) -> Any:
    """Multipart: `note` (what was done) and an optional `photo`."""
    user = staff_caller(request)
    project = selectors.project_get_for(user, pk)
    milestone = get_or_404(Milestone.objects.filter(project=project), pk=milestone_id)
    return 200, _milestone(services.milestone_reach(actor=user, milestone=milestone, note=note, photo=photo))


# --- partner units' commitment lists ------------------------------------------------------------------------


class CommitmentOut(Schema):
    id: int
    pairing_id: int
    year: int
    title: str
    need_id: int | None
    project_id: int | None
    done_on: dt.date | None
    note: str


class CommitmentListOut(Schema):
    pairing_id: int
    partner: str
    community: str
    done: int
    total: int
    items: list[CommitmentOut]


class CommitmentIn(Schema):
    pairing_id: int
    title: str = ""
    year: int | None = None
    need_id: int | None = None
    project_id: int | None = None


class CobuildNoteIn(Schema):
    note: str


def _commitment(c: Commitment) -> dict[str, Any]:
    return {
        "id": c.pk,
        "pairing_id": c.pairing_id,
        "year": c.year,
        "title": c.title,
        "need_id": c.need_id,
        "project_id": c.project_id,
        "done_on": c.done_on,
        "note": c.note,
    }


@router.get("/commitments", response={200: list[CommitmentListOut], 403: ErrorOut})
def commitment_lists(request: HttpRequest, year: int | None = None) -> Any:
    """Each partner unit paired with a community of my area, with its commitment list for the year."""
    pairings = (
        partner_pairings_visible_to(staff_caller(request))
        .filter(ended_on__isnull=True)
        .select_related("partner", "community")
        .order_by("community__path", "partner__name")
    )
    rows = selectors.commitment_lists(list(pairings), year or timezone.localdate().year)
    return [
        {
            "pairing_id": r["pairing"].pk,
            "partner": r["pairing"].partner.name,
            "community": r["pairing"].community.name,
            "done": r["done"],
            "total": r["total"],
            "items": [_commitment(c) for c in r["items"]],
        }
        for r in rows
    ]


@router.post("/commitments", response={201: CommitmentOut, **ERRORS})
def commitment_add(request: HttpRequest, body: CommitmentIn) -> Any:
    user = staff_caller(request)
    pairing = body_ref("pairing_id", partner_pairings_visible_to(user), body.pairing_id)
    need = body_ref("need_id", selectors.needs_visible_to(user), body.need_id or None)
    project = body_ref("project_id", selectors.projects_visible_to(user), body.project_id or None)
    commitment = services.commitment_add(
        actor=user, pairing=pairing, title=body.title, year=body.year, need=need, project=project
    )
    commitment.refresh_from_db()
    return 201, _commitment(commitment)


@router.post("/commitments/{pk}/fulfil", response={200: CommitmentOut, **ERRORS})
def commitment_fulfil(request: HttpRequest, pk: int, body: CobuildNoteIn) -> Any:
    user = staff_caller(request)
    commitment = get_or_404(Commitment.objects.filter(pairing__in=partner_pairings_visible_to(user)), pk=pk)
    return 200, _commitment(services.commitment_fulfil(actor=user, commitment=commitment, note=body.note))


# --- service stars ----------------------------------------------------------------------------------------------


class StarCandidateOut(Schema):
    provider_id: int
    name: str
    service: str
    avg: float
    n: int


class StarsReviewOut(Schema):
    community_id: int
    quarter_start: dt.date
    quarter_end: dt.date
    published: bool
    candidates: list[StarCandidateOut]


class StarsPublishIn(Schema):
    community_id: int
    quarter_start: dt.date
    left_out: dict[int, str] = {}


class StarsReleaseOut(Schema):
    quarter_start: dt.date
    stars: list[dict[str, Any]]
    left_out_count: int
    published_at: dt.datetime


def _release(r: StarsRelease) -> dict[str, Any]:
    return {
        "quarter_start": r.quarter_start,
        "stars": r.stars,
        "left_out_count": len(r.left_out),
        "published_at": r.created_at,
    }


@router.get("/stars/review", response={200: StarsReviewOut, **ERRORS})
def stars_review(request: HttpRequest, community_id: int, quarter: dt.date) -> Any:
    """The computed ranking of the quarter that holds `quarter`, for a worker to review before publishing."""
    community = get_or_404(selectors.communities_for(staff_caller(request)), pk=community_id)
    start, end = selectors.quarter_bounds(quarter)
    return {
        "community_id": community.pk,
        "quarter_start": start,
        "quarter_end": end - dt.timedelta(days=1),
        "published": StarsRelease.objects.filter(community=community, quarter_start=start).exists(),
        "candidates": [
            {
                "provider_id": c["provider_id"],
                "name": c["provider__provider_name"],
                "service": c["provider__name"],
                "avg": round(float(c["avg"]), 2),
                "n": c["n"],
            }
            for c in selectors.service_stars(community, start, top=10)
        ],
    }


@router.post("/stars/publish", response={201: StarsReleaseOut, **ERRORS})
def stars_publish(request: HttpRequest, body: StarsPublishIn) -> Any:
    """Publish a quarter's stars; `left_out` maps a provider of the ranking to the reason it is left out."""
    user = staff_caller(request)
    community = body_ref("community_id", selectors.communities_for(user), body.community_id)
    release = services.stars_publish(
        actor=user, community=community, quarter_start=body.quarter_start, left_out=body.left_out
    )
    return 201, _release(release)


@router.get("/public/{code}/stars", response={200: list[StarsReleaseOut], 404: ErrorOut}, auth=None)
def stars_public(request: HttpRequest, code: str) -> Any:
    """The published service stars of a community, newest quarter first (the reasons for leaving out stay
    internal)."""
    return [_release(r) for r in selectors.stars_released(community_by_code(code), limit=8)]
