"""物: the venues and facilities of a grid (small venues 九小场所, and public facilities such as e-bike chargers,
fire hydrants, street lamps), with their position (inside the grid), who answers for them and their state.
Kept by those who keep the register (MAINTAINERS), within their scope; every change is audited."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from linli.core.audit import audit
from linli.core.validators import validate_phone

from ..choices import VenueCategory, VenueState
from ..models import Grid, Venue
from ..selectors import grids_visible_to, venues_visible_to
from .common import Actor, checked, in_scope, invalid, require_maintainer, save_changes
from .housing import check_inside, floor_area_value

UNSET: Any = object()

_TEXT_LIMITS = {"name": 100, "address": 200, "owner_name": 50, "notes": 2000}


def _text(field: str, value: str, *, required: bool = False) -> str:
    value = (value or "").strip()
    if required and not value:
        raise invalid(field, _("A value is required."))
    if len(value) > _TEXT_LIMITS[field]:
        raise invalid(field, _("At most %(n)d characters.") % {"n": _TEXT_LIMITS[field]})
    return value


def _inspected(value: dt.date | None) -> dt.date | None:
    if value is not None and value > timezone.localdate():
        raise invalid("inspected_on", _("The date lies in the future."))
    return value


@transaction.atomic
def venue_create(
    *,
    actor: Actor,
    grid: Grid,
    category: str,
    name: str,
    lng: float,
    lat: float,
    address: str = "",
    owner_name: str = "",
    contact_phone: str = "",
    floor_area: Any = None,
    state: str = VenueState.UNCHECKED,
    inspected_on: dt.date | None = None,
    notes: str = "",
) -> Venue:
    """Record a venue or facility in a grid the actor may see; its position must lie inside the grid."""
    require_maintainer(actor)
    grid = in_scope(actor, grids_visible_to, grid)
    if category not in VenueCategory.values:
        raise invalid("category", _("Choose the kind of venue or facility."))
    if state not in VenueState.values:
        raise invalid("state", _("Unknown state."))
    check_inside(grid, lng, lat)
    venue = Venue.objects.create(
        grid=grid,
        category=category,
        name=_text("name", name, required=True),
        address=_text("address", address),
        lng=lng,
        lat=lat,
        owner_name=_text("owner_name", owner_name),
        contact_phone=checked("contact_phone", validate_phone, contact_phone)
        if contact_phone.strip()
        else "",
        floor_area=floor_area_value(floor_area, most=100000),
        state=state,
        inspected_on=_inspected(inspected_on),
        notes=_text("notes", notes),
    )
    audit(actor, "venue_create", venue, grid=grid.pk, category=category)
    return venue


@transaction.atomic
def venue_update(
    *,
    actor: Actor,
    venue: Venue,
    category: str | None = None,
    name: str | None = None,
    address: str | None = None,
    lng: float | None = None,
    lat: float | None = None,
    owner_name: str | None = None,
    contact_phone: str | None = None,
    floor_area: Any = UNSET,
    state: str | None = None,
    inspected_on: dt.date | None = UNSET,
    notes: str | None = None,
) -> Venue:
    """Change what the caller names (None = as is): details, position, state and the last inspection."""
    require_maintainer(actor)
    in_scope(actor, venues_visible_to, venue)
    v = Venue.objects.select_for_update(of=("self",)).select_related("grid").get(pk=venue.pk)
    changes: dict[str, Any] = {}
    if category is not None:
        if category not in VenueCategory.values:
            raise invalid("category", _("Choose the kind of venue or facility."))
        changes["category"] = category
    if state is not None:
        if state not in VenueState.values:
            raise invalid("state", _("Unknown state."))
        changes["state"] = state
    for field, value in (("name", name), ("address", address), ("owner_name", owner_name), ("notes", notes)):
        if value is not None:
            changes[field] = _text(field, value, required=field == "name")
    if contact_phone is not None:
        phone = contact_phone.strip()
        changes["contact_phone"] = checked("contact_phone", validate_phone, phone) if phone else ""
    if lng is not None and lat is not None:
        check_inside(v.grid, lng, lat)
        changes["lng"], changes["lat"] = lng, lat
    if floor_area is not UNSET:
        changes["floor_area"] = floor_area_value(floor_area, most=100000)
    if inspected_on is not UNSET:
        changes["inspected_on"] = _inspected(inspected_on)
    save_changes(actor, v, changes, "venue_update")
    return v
