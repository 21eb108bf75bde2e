"""Service places API (mounted under /api/places): the public list with opening state, a place's walking circles
and this week's activities; for staff, creating a place, its calendar (list, book, change, cancel) and the
coverage figures; for a logged-in resident, what they follow for the weekly digest. Writes go through the same
services as the pages, reads through the scoped selectors (a place or activity outside the caller's area is 404)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, File, Query, Router, Schema, Status
from ninja.files import UploadedFile

from linli.core.api_access import staff_caller
from linli.core.api_paging import limit_param, offset_param, page
from linli.core.api_refs import body_ref
from linli.core.errors import ValidationFailed, invalid
from linli.territory.choices import NodeKind
from linli.territory.models import OrgNode
from linli.territory.schemas import ErrorOut

from . import coverage, nearby, selectors, services
from .choices import PlaceKind
from .models import Activity, Place, Subscription

router = Router(tags=["places"])
ERRORS: dict[int, Any] = {403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


class PlaceOut(Schema):
    id: int
    kind: str
    name: str
    address: str
    lng: float
    lat: float
    phone: str
    services: list[str]
    opening_hours: dict[str, list[list[str]]]
    open_now: bool
    community_id: int = Field(
        ...,
        description="The community the place is in: `community_id` of POST /subscriptions follows all its places",
    )
    community: str
    photo: str | None = Field(..., description="The photo's address (null without one)")


class PlaceNearOut(PlaceOut):
    minutes: int | None = Field(
        ...,
        description="Minutes on foot along the roads from the position given (null without one, or no road)",
    )


class PlaceDetailOut(PlaceOut):
    circles: dict[str, Any]


class PlaceIn(Schema):
    org_node_id: int
    kind: str
    name: str
    address: str
    lng: float
    lat: float
    phone: str = ""
    contact_name: str = ""
    services: str = ""
    opening_hours: dict[str, list[list[str]]] = {}


class PlacePatch(Schema):
    """Only the fields given change, as on the place's edit page."""

    kind: str | None = None
    name: str | None = None
    address: str | None = None
    lng: float | None = None
    lat: float | None = None
    phone: str | None = None
    contact_name: str | None = None
    services: str | None = None
    opening_hours: dict[str, list[list[str]]] | None = None
    active: bool | None = None


class TallyOut(Schema):
    """Households (and care-group households) of an area, and those within 15 minutes of a kind of place."""

    households: int
    covered: int
    elderly_alone: int
    elderly_alone_covered: int
    under_three: int
    under_three_covered: int


class KindCoverageOut(TallyOut):
    kind: str


def _out(place: Place, *, is_open: bool | None = None) -> dict[str, Any]:
    community = selectors.place_community(place)
    return {
        "id": place.pk,
        "kind": place.kind,
        "name": place.name,
        "address": place.address,
        "lng": place.lng,
        "lat": place.lat,
        "phone": place.phone,
        "services": place.service_list,
        "opening_hours": place.opening_hours,
        "open_now": selectors.is_open(place) if is_open is None else is_open,
        "community_id": community.pk,
        "community": community.name,
        "photo": place.photo_url,
    }


@router.get("/", response=list[PlaceNearOut], auth=None)
def place_list(
    request: HttpRequest,
    kind: str = "",
    lng: float | None = None,
    lat: float | None = None,
    open: bool = Query(False, description="Only the places open now"),
    within: bool = Query(False, description="Only those within a 15-minute walk of lng, lat"),
) -> list[dict[str, Any]]:
    """Every place in service (public), as the near-me page lists them: optionally of one kind, open now; from a
    position (`lng`, `lat`) nearest first by the walk along the roads, with the walking minutes, and `within` a
    15-minute walk. `within` without a position is a 422."""
    here = nearby.position(lng, lat)
    if within and here is None:
        raise invalid("lng", _("Give a position (lng and lat) to find the places within a 15-minute walk."))
    origin = nearby.Origin(*here, "here", "") if here is not None else None
    rows = nearby.near_rows(origin, kind=kind, only_open=open, within=within)
    return [{**_out(r.place, is_open=r.open), "minutes": r.minutes} for r in rows]


class PlaceActivityOut(Schema):
    id: int
    place_id: int
    place: str
    title: str
    room: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    description: str


class PlaceActivityPage(Schema):
    count: int
    items: list[PlaceActivityOut]


class PlaceActivityIn(Schema):
    title: str = Field(..., max_length=100)
    room: str = Field("", max_length=50)
    starts_at: dt.datetime = Field(..., description="A time without a zone is local time.")
    ends_at: dt.datetime
    description: str = ""


class ActivityPatch(Schema):
    title: str | None = Field(None, max_length=100)
    room: str | None = Field(None, max_length=50)
    starts_at: dt.datetime | None = None
    ends_at: dt.datetime | None = None
    description: str | None = None


class SubscriptionIn(Schema):
    """One of the two: a place, or a community (a place's `community_id`), as the place's page offers both."""

    place_id: int | None = Field(None, description="Follow this place; or")
    community_id: int | None = Field(
        None,
        description="follow every place of this community (its compounds' too), as a place's `community_id` names it.",
    )


class SubscriptionOut(Schema):
    id: int
    place_id: int | None = Field(..., description="The place followed (null: every place of the community)")
    place: str | None
    community_id: int = Field(..., description="The community followed, or the one the place followed is in")
    community: str
    created_at: dt.datetime


def _activity(a: Activity) -> dict[str, Any]:
    return {
        "id": a.pk,
        "place_id": a.place_id,
        "place": a.place.name,
        "title": a.title,
        "room": a.room,
        "starts_at": a.starts_at,
        "ends_at": a.ends_at,
        "description": a.description,
    }


def _subscription(sub: Subscription) -> dict[str, Any]:
    node = selectors.place_community(sub.place) if sub.place is not None else sub.org_node
    assert node is not None  # the table's check: a place or a community
    return {
        "id": sub.pk,
        "place_id": sub.place_id,
        "place": sub.place.name if sub.place is not None else None,
        "community_id": node.pk,
        "community": node.name,
        "created_at": sub.created_at,
    }


@router.get("/activities/week", response=PlaceActivityPage, auth=None)
def activities_week(
    request: HttpRequest,
    kind: str = "",
    place_id: int | None = None,
    limit: int = limit_param(),
    offset: int = offset_param(),
) -> dict[str, Any]:
    """What is on this week (public): the activities of the places in service not yet over that start within the
    next seven days, optionally of one kind of place or one place, the soonest first, a page at a time."""
    places = selectors.places_public()
    if kind:
        places = places.filter(kind=kind)
    if place_id is not None:
        places = places.filter(pk=place_id)
    return page(selectors.activities_this_week(places), limit, offset, _activity)


@router.get("/{pk}/activities", response={200: list[PlaceActivityOut], **ERRORS})
def activity_list(request: HttpRequest, pk: int, days: int = 28) -> list[dict[str, Any]]:
    """A place's calendar for staff of its area: the activities not yet over within `days` days (1 to 90)."""
    place = selectors.place_get_for(staff_caller(request), pk)
    found = selectors.activities_coming(place, days=max(1, min(days, 90))).select_related("place")
    return [_activity(a) for a in found]


@router.post("/{pk}/activities", response={201: PlaceActivityOut, **ERRORS})
def activity_create(request: HttpRequest, pk: int, payload: PlaceActivityIn) -> Status:
    """Book an activity in the place's calendar (a room booked already at that time is a 422 naming the booking)."""
    user = staff_caller(request)
    made = services.activity_create(actor=user, place=selectors.place_get_for(user, pk), **payload.dict())
    return Status(201, _activity(made))


@router.patch("/activities/{activity_id}", response={200: PlaceActivityOut, **ERRORS})
def activity_update(request: HttpRequest, activity_id: int, payload: ActivityPatch) -> dict[str, Any]:
    """Change an activity: only the fields given."""
    user = staff_caller(request)
    activity = selectors.activity_get_for(user, activity_id)
    changes = payload.dict(exclude_unset=True)
    return _activity(services.activity_update(actor=user, activity=activity, **changes))


@router.delete("/activities/{activity_id}", response={204: None, **ERRORS})
def activity_cancel(request: HttpRequest, activity_id: int) -> Status:
    """Cancel an activity: it leaves the place's calendar."""
    user = staff_caller(request)
    services.activity_cancel(actor=user, activity=selectors.activity_get_for(user, activity_id))
    return Status(204, None)


@router.get("/subscriptions", response={200: list[SubscriptionOut], **ERRORS})
def subscription_list(request: HttpRequest) -> list[dict[str, Any]]:
    """The places and communities the caller follows for the weekly digest."""
    return [_subscription(s) for s in selectors.subscriptions_of(request.user)]


@router.post("/subscriptions", response={200: SubscriptionOut, 201: SubscriptionOut, **ERRORS})
def subscription_create(request: HttpRequest, payload: SubscriptionIn) -> Status:
    """Follow a place in service or a community (201; 200 when followed already)."""
    place = body_ref("place_id", selectors.place_public_get, payload.place_id)
    # Any community's places are public, so any community may be followed (as the service looks it up again).
    community = body_ref(
        "community_id", OrgNode.objects.filter(kind=NodeKind.COMMUNITY), payload.community_id
    )
    sub, new = services.subscription_create(
        actor=request.user, place=place, community_id=community.pk if community is not None else None
    )
    return Status(201 if new else 200, _subscription(selectors.subscription_get_for(request.user, sub.pk)))


@router.delete("/subscriptions/{subscription_id}", response={204: None, **ERRORS})
def subscription_delete(request: HttpRequest, subscription_id: int) -> Status:
    """Stop following (another resident's subscription is not found)."""
    sub = selectors.subscription_get_for(request.user, subscription_id)
    services.subscription_delete(actor=request.user, subscription=sub)
    return Status(204, None)


@router.get("/{pk}", response={200: PlaceDetailOut, **ERRORS}, auth=None)
def place_detail(request: HttpRequest, pk: int) -> dict[str, Any]:
    """A place in service with its 5-, 10- and 15-minute walking circles (GeoJSON geometries keyed by minutes)."""
    place = selectors.place_public_get(pk)
    return {**_out(place), "circles": place.circles}


@router.patch("/{pk}", response={200: PlaceDetailOut, **ERRORS})
def place_update(request: HttpRequest, pk: int, payload: PlacePatch) -> dict[str, Any]:
    """Change a place, as on its edit page (staff of its area): only the fields given; a moved pin redraws its
    walking circles. The photo: `POST /{pk}/photo`, `DELETE /{pk}/photo`."""
    user = staff_caller(request)
    place = services.place_update(
        actor=user, place=selectors.place_get_for(user, pk), **payload.dict(exclude_unset=True)
    )
    return {**_out(place), "circles": place.circles}


@router.post("/{pk}/photo", response={200: PlaceDetailOut, **ERRORS})
def place_photo_set(request: HttpRequest, pk: int, photo: File[UploadedFile]) -> dict[str, Any]:
    """Replace a place's photo (multipart, the file as `photo`; staff of its area), checked as on its edit page: at
    most 5 MB, a JPEG, PNG, WebP or GIF image that can be read (a 422 in words, the photo kept); stored without its
    metadata."""
    user = staff_caller(request)
    place = services.place_update(actor=user, place=selectors.place_get_for(user, pk), photo=photo)
    return {**_out(place), "circles": place.circles}


@router.delete("/{pk}/photo", response={200: PlaceDetailOut, **ERRORS})
def place_photo_remove(request: HttpRequest, pk: int) -> dict[str, Any]:
    """Take a place's photo away (staff of its area); a place without one is answered as it is."""
    user = staff_caller(request)
    place = services.place_update(actor=user, place=selectors.place_get_for(user, pk), photo_remove=True)
    return {**_out(place), "circles": place.circles}


@router.post("/", response={201: PlaceDetailOut, **ERRORS})
def place_create(request: HttpRequest, payload: PlaceIn) -> Status:
    place = services.place_create(actor=staff_caller(request), **payload.dict())
    return Status(201, {**_out(place), "circles": place.circles})


class AreaCoverageOut(TallyOut):
    area: str
    level: str = Field(..., description="community or grid")


class GapOut(Schema):
    kind: str
    uncovered_households: int
    uncovered_buildings: list[dict[str, Any]] = Field(..., description="name, lng, lat, households")
    suggestion: dict[str, Any] | None = Field(
        ..., description="lng, lat, households: where one more place would reach the most of them"
    )


def _kind(kind: str) -> str:
    if kind not in PlaceKind.values:
        raise ValidationFailed(_("Choose a kind of place."), extra={"field": "kind"})
    return kind


def _tally(t: coverage.Tally, kind: str) -> dict[str, Any]:
    c = t.covered.get(kind, [0, 0, 0])
    return {
        "households": t.households,
        "covered": c[0],
        "elderly_alone": t.elderly_alone,
        "elderly_alone_covered": c[1],
        "under_three": t.under_three,
        "under_three_covered": c[2],
    }


@router.get("/coverage/areas", response={200: list[AreaCoverageOut], **ERRORS})
def coverage_areas(request: HttpRequest, kind: str) -> list[dict[str, Any]]:
    """For the buildings the caller sees, per community and per grid: households (and care-group households)
    within 15 minutes of a place of `kind` (the coverage page's table)."""
    kind = _kind(kind)
    found = coverage.coverage_for(staff_caller(request))
    return [
        {"area": name, "level": level, **_tally(t, kind)}
        for level, areas in (("community", found.by_community), ("grid", found.by_grid))
        for name, t in areas
    ]


@router.get("/coverage/gaps", response={200: GapOut, **ERRORS})
def coverage_gaps(request: HttpRequest, kind: str) -> dict[str, Any]:
    """The buildings the caller sees whose households no place of `kind` reaches within 15 minutes, and the
    point of the network from which one more such place would reach the most of them."""
    kind = _kind(kind)
    found = coverage.coverage_for(staff_caller(request))
    uncovered = found.uncovered(kind)
    best = coverage.suggestion_for(found, kind)
    return {
        "kind": kind,
        "uncovered_households": sum(b.households for b in uncovered),
        "uncovered_buildings": [
            {
                "name": b.building.name,
                "lng": b.building.lng,
                "lat": b.building.lat,
                "households": b.households,
            }
            for b in uncovered
        ],
        "suggestion": {"lng": best.lng, "lat": best.lat, "households": best.households} if best else None,
    }


@router.get("/coverage/kinds", response={200: list[KindCoverageOut], **ERRORS})
def coverage_kinds(request: HttpRequest) -> list[dict[str, Any]]:
    """For the buildings the caller sees: households (and care-group households) within 15 minutes of each kind."""
    found = coverage.coverage_for(staff_caller(request))
    return [{"kind": kind, **_tally(found.total, kind)} for kind, _label in found.kinds]
