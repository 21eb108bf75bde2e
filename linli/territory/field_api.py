"""A grid's things and events through the API: its venues and facilities, and its visit log. Routes are added to
the territory router; objects come through the scoping selectors (outside the scope: 404 in the path, 422 on its
field in the body, `core.api_refs`); the services check
the role. Photos of a visit are taken by the page (multipart); the API logs the text."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from functools import partial
from typing import Any

from django.http import HttpRequest
from ninja import Schema

from linli.core.api_access import staff_caller
from linli.core.api_paging import limit_param, offset_param, page
from linli.core.api_refs import body_ref

from . import selectors, services
from .api import ERRORS, router
from .models import Venue, Visit


class VenueOut(Schema):
    id: int
    grid_id: int
    category: str
    name: str
    address: str
    lng: float
    lat: float
    owner_name: str
    contact_phone: str  # masked
    floor_area: float | None
    state: str
    inspected_on: dt.date | None


class VenueIn(Schema):
    category: str
    name: str
    lng: float
    lat: float
    address: str = ""
    owner_name: str = ""
    contact_phone: str = ""
    floor_area: Decimal | None = None
    state: str = "unchecked"
    inspected_on: dt.date | None = None
    notes: str = ""


class VenuePatch(Schema):
    category: str | None = None
    name: str | None = None
    address: str | None = None
    lng: float | None = None
    lat: float | None = None
    owner_name: str | None = None
    contact_phone: str | None = None
    state: str | None = None
    inspected_on: dt.date | None = None
    notes: str | None = None


class VisitOut(Schema):
    id: int
    grid_id: int
    household_id: int | None
    venue_id: int | None
    place: str
    visitor: str
    visited_at: dt.datetime
    found: str
    follow_up: str
    follow_up_done_at: dt.datetime | None
    appeal_number: str


class VenuePage(Schema):
    """A page of venues (core.api_paging): `count` of all, `items` of this page."""

    count: int
    items: list[VenueOut]


class VisitPage(Schema):
    count: int
    items: list[VisitOut]


class VisitIn(Schema):
    found: str
    household_id: int | None = None
    venue_id: int | None = None
    grid_id: int | None = None
    visited_at: dt.datetime | None = None
    follow_up: str = ""


def _venue_out(v: Venue) -> dict[str, Any]:
    return {
        "id": v.pk,
        "grid_id": v.grid_id,
        "category": v.category,
        "name": v.name,
        "address": v.address,
        "lng": v.lng,
        "lat": v.lat,
        "owner_name": v.owner_name,
        "contact_phone": v.contact_phone_masked,
        "floor_area": float(v.floor_area) if v.floor_area is not None else None,
        "state": v.state,
        "inspected_on": v.inspected_on,
    }


def _visit_out(v: Visit) -> dict[str, Any]:
    return {
        "id": v.pk,
        "grid_id": v.grid_id,
        "household_id": v.household_id,
        "venue_id": v.venue_id,
        "place": v.place_label,
        "visitor": str(v.visitor) if v.visitor else "",
        "visited_at": v.visited_at,
        "found": v.found,
        "follow_up": v.follow_up,
        "follow_up_done_at": v.follow_up_done_at,
        "appeal_number": v.appeal_number,
    }


@router.get("/grids/{grid_id}/venues", response={200: VenuePage, **ERRORS}, summary="A grid's venues")
def grid_venues(
    request: HttpRequest, grid_id: int, limit: int = limit_param(), offset: int = offset_param()
) -> Any:
    """The venues and facilities of a grid (contact phones masked) by category and name, a page at a time."""
    user = staff_caller(request)
    grid = selectors.grid_get_for(user, grid_id)
    venues = selectors.venues_visible_to(user).filter(grid=grid).order_by("category", "name", "pk")
    return page(venues, limit, offset, _venue_out)


@router.post("/grids/{grid_id}/venues", response={201: VenueOut, **ERRORS}, summary="Add a venue")
def venue_create(request: HttpRequest, grid_id: int, payload: VenueIn) -> Any:
    user = staff_caller(request)
    grid = selectors.grid_get_for(user, grid_id)
    venue = services.venue_create(actor=user, grid=grid, **payload.dict())
    return 201, _venue_out(venue)


@router.patch("/venues/{venue_id}", response={200: VenueOut, **ERRORS}, summary="Change a venue")
def venue_update(request: HttpRequest, venue_id: int, payload: VenuePatch) -> Any:
    """Change the fields given (its state after an inspection, say)."""
    user = staff_caller(request)
    venue = selectors.venue_get_for(user, venue_id)
    given = payload.dict(exclude_unset=True)
    return _venue_out(services.venue_update(actor=user, venue=venue, **given))


@router.get("/grids/{grid_id}/visits", response={200: VisitPage, **ERRORS}, summary="A grid's visit log")
def grid_visits(
    request: HttpRequest, grid_id: int, limit: int = limit_param(), offset: int = offset_param()
) -> Any:
    """The grid's visit log (民情日志), newest first, a page at a time."""
    user = staff_caller(request)
    grid = selectors.grid_get_for(user, grid_id)
    visits = selectors.visits_visible_to(user).filter(grid=grid).order_by("-visited_at", "-pk")
    return page(visits, limit, offset, _visit_out)


@router.get(
    "/households/{household_id}/visits", response={200: VisitPage, **ERRORS}, summary="A household's visits"
)
def household_visits(
    request: HttpRequest, household_id: int, limit: int = limit_param(), offset: int = offset_param()
) -> Any:
    """The visits to one household (what was found, the follow-up and whether it is done), newest first, a page at a
    time: what the household's page lists."""
    user = staff_caller(request)
    household = selectors.household_get_for(user, household_id)
    visits = selectors.visits_visible_to(user).filter(household=household).order_by("-visited_at", "-pk")
    return page(visits, limit, offset, _visit_out)


@router.post("/visits", response={201: VisitOut, **ERRORS}, summary="Log a visit")
def visit_log(request: HttpRequest, payload: VisitIn) -> Any:
    """Log a visit to a household or venue (or, with only `grid_id`, a walk through the grid)."""
    user = staff_caller(request)
    household = body_ref("household_id", partial(selectors.household_get_for, user), payload.household_id)
    venue = body_ref("venue_id", partial(selectors.venue_get_for, user), payload.venue_id)
    grid = body_ref("grid_id", partial(selectors.grid_get_for, user), payload.grid_id)
    visit = services.visit_log(
        actor=user,
        household=household,
        venue=venue,
        grid=grid,
        found=payload.found,
        follow_up=payload.follow_up,
        visited_at=payload.visited_at,
    )
    return 201, _visit_out(selectors.visit_get_for(user, visit.pk))


@router.post(
    "/visits/{visit_id}/follow-up-done", response={200: VisitOut, **ERRORS}, summary="Follow-up done"
)
def visit_follow_up_done(request: HttpRequest, visit_id: int) -> Any:
    user = staff_caller(request)
    visit = services.visit_follow_up_done(actor=user, visit=selectors.visit_get_for(user, visit_id))
    return _visit_out(selectors.visit_get_for(user, visit.pk))
