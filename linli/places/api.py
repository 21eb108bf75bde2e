"""Service places API (mounted under /api/places): the public list with opening state, a place's walking circles,
and, for staff, creating a place and the coverage figures. Writes go through the same services as the pages."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema

from linli.accounts.models import User
from linli.core.errors import PermissionDenied
from linli.core.scoping import is_staff_member
from linli.territory.schemas import ErrorOut

from . import coverage, selectors, services
from .models import Place

router = Router(tags=["places"])
ERRORS: dict[int, Any] = {403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


def _staff(request: HttpRequest) -> User:
    user = request.user
    if not isinstance(user, User) or not is_staff_member(user):
        raise PermissionDenied(_("This part of Linli is for community staff only."))
    return user


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
    community: str


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


class KindCoverageOut(Schema):
    kind: str
    households: int
    covered: int
    elderly_alone: int
    elderly_alone_covered: int
    under_three: int
    under_three_covered: int


def _out(place: Place) -> dict[str, Any]:
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
        "open_now": selectors.is_open(place),
        "community": place.org_node.name,
    }


@router.get("/", response=list[PlaceOut], auth=None)
def place_list(request: HttpRequest, kind: str = "") -> list[dict[str, Any]]:
    """Every place in service (public), optionally of one kind."""
    places = selectors.places_public()
    if kind:
        places = places.filter(kind=kind)
    return [_out(p) for p in places]


@router.get("/{pk}", response={200: PlaceDetailOut, **ERRORS}, auth=None)
def place_detail(request: HttpRequest, pk: int) -> dict[str, Any]:
    """A place in service with its 5-, 10- and 15-minute walking circles (GeoJSON geometries keyed by minutes)."""
    place = selectors.place_public_get(pk)
    return {**_out(place), "circles": place.circles}


@router.post("/", response={201: PlaceDetailOut, **ERRORS})
def place_create(request: HttpRequest, payload: PlaceIn) -> tuple[int, dict[str, Any]]:
    place = services.place_create(actor=_staff(request), **payload.dict())
    return 201, {**_out(place), "circles": place.circles}


@router.get("/coverage/kinds", response={200: list[KindCoverageOut], **ERRORS})
def coverage_kinds(request: HttpRequest) -> list[dict[str, Any]]:
    """For the buildings the caller sees: households (and care-group households) within 15 minutes of each kind."""
    found = coverage.coverage_for(_staff(request))
    t = found.total
    rows = []
    for kind, _label in found.kinds:
        c = t.covered.get(kind, [0, 0, 0])
        rows.append(
            {
                "kind": kind,
                "households": t.households,
                "covered": c[0],
                "elderly_alone": t.elderly_alone,
                "elderly_alone_covered": c[1],
                "under_three": t.under_three,
                "under_three_covered": c[2],
            }
        )
    return rows
