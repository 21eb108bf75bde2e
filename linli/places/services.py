"""Every write of service places: create and change a place, and compute its walking circles."""

from __future__ import annotations

import re
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from linli.accounts.models import User
from linli.core.errors import ValidationFailed
from linli.territory.choices import NodeKind
from linli.territory.locator import grid_for_point
from linli.territory.selectors import Viewer, org_nodes_visible_to

from . import permissions, walk
from .choices import PlaceKind
from .models import Place
from .network import network_current

_TIME = re.compile(r"^([01]\d|2[0-4]):([0-5]\d)$")


def _field_error(field: str, message: str) -> ValidationFailed:
    return ValidationFailed(message, extra={"field": field})


def hours_clean(hours: Any) -> dict[str, list[list[str]]]:
    """A week of opening hours, checked: {"0".."6": [["HH:MM", "HH:MM"], …]}, each span opening before it closes."""
    if not isinstance(hours, dict):
        raise _field_error("opening_hours", _("Opening hours must give each weekday its spans."))
    week: dict[str, list[list[str]]] = {}
    for day in range(7):
        spans = hours.get(str(day), hours.get(day, [])) or []
        clean = []
        for span in spans:
            if not isinstance(span, (list, tuple)) or len(span) != 2:
                raise _field_error("opening_hours", _("Each span is an opening and a closing time."))
            start, end = (str(span[0]).strip(), str(span[1]).strip())
            if (
                not _TIME.match(start)
                or not _TIME.match(end)
                or start >= end
                or start > "24:00"
                or end > "24:00"
            ):
                raise _field_error(
                    "opening_hours", _("Write times as 08:30 and let each span open before it closes.")
                )
            clean.append([start, end])
        week[str(day)] = sorted(clean)
    return week


def hours_parse(text: str) -> dict[str, list[list[str]]]:
    """Opening hours typed on a form, one weekday a line from Monday: "08:30-12:00, 14:00-17:30", empty = closed,
    or a single line for every day."""
    lines = [line.strip() for line in (text or "").strip().splitlines()]
    if len(lines) == 1:
        lines = lines * 7
    if len(lines) != 7:
        raise _field_error(
            "opening_hours", _("Give one line for every day, or seven lines from Monday to Sunday.")
        )
    week: dict[str, list[list[str]]] = {}
    for day, line in enumerate(lines):
        spans = []
        if line and line not in ("休息", "closed", "-"):
            for part in re.split(r"[,，;；\s]+", line):
                if not part:
                    continue
                pieces = re.split(r"[-–~至]", part)
                if len(pieces) != 2:
                    raise _field_error("opening_hours", _("Write a span as 08:30-17:30."))
                spans.append([p.strip().zfill(5) for p in pieces])
        week[str(day)] = spans
    return hours_clean(week)


def place_create(
    *,
    actor: Viewer,
    org_node_id: int,
    kind: str,
    name: str,
    address: str,
    lng: float,
    lat: float,
    phone: str = "",
    contact_name: str = "",
    services: str = "",
    opening_hours: dict[str, Any] | None = None,
) -> Place:
    """A new service place in a community the actor keeps; its walking circles are computed at once."""
    node = (
        org_nodes_visible_to(actor)
        .filter(pk=org_node_id, kind__in=[NodeKind.COMMUNITY, NodeKind.COMPOUND])
        .first()
    )
    if node is None:
        raise _field_error("org_node", _("Choose a community in your area."))
    permissions.require(actor, "place_manage", node.path)
    if kind not in PlaceKind.values:
        raise _field_error("kind", _("Choose a kind of place."))
    name = (name or "").strip()
    if not name:
        raise _field_error("name", _("A value is required."))
    if not (73 <= lng <= 136 and 3 <= lat <= 54):
        raise _field_error("lng", _("This position is outside China; place the pin again."))
    with transaction.atomic():
        place = Place.objects.create(
            org_node=node,
            grid_id=grid_for_point(lng, lat),
            kind=kind,
            name=name[:100],
            address=(address or "").strip()[:200],
            lng=lng,
            lat=lat,
            phone=(phone or "").strip()[:24],
            contact_name=(contact_name or "").strip()[:50],
            services=(services or "").strip(),
            opening_hours=hours_clean(opening_hours or {}),
            created_by=actor if isinstance(actor, User) else None,
        )
        place_circles_compute(place=place)
    return place


def place_circles_compute(*, place: Place) -> bool:
    """Compute and save the place's 5-, 10- and 15-minute walking circles on the current roads."""
    key, net = network_current()
    circles: dict[str, Any] = {}
    if net is not None:
        entry = walk.entry_for(net, place.lng, place.lat)
        if entry is not None:
            longest = max(walk.MINUTES) * walk.WALK_M_PER_MIN
            dist = walk.distances_from(net, entry, longest)
            for minutes in walk.MINUTES:
                polygon = walk.circle_polygon(net, dist, entry, minutes * walk.WALK_M_PER_MIN)
                if polygon is not None:
                    circles[str(minutes)] = polygon
    place.circles = circles
    place.circles_roads = key
    place.save(update_fields=["circles", "circles_roads", "updated_at"])
    return bool(circles)
