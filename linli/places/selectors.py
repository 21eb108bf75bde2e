"""Reads of service places: staff see the places of their area; everyone sees the places in service (public)."""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.dates import WEEKDAYS

from linli.core.scoping import get_or_404, scope_by_org
from linli.territory.selectors import Viewer

from .models import Place


def places_visible_to(user: Viewer) -> QuerySet[Place]:
    return scope_by_org(Place.objects.select_related("org_node", "grid"), user, "org_node__path")


def place_get_for(user: Viewer, pk: int) -> Place:
    return get_or_404(places_visible_to(user), pk=pk)


def places_public() -> QuerySet[Place]:
    """The places a resident may look up: every place in service (their addresses hang on their doors)."""
    return Place.objects.filter(active=True).select_related("org_node")


def place_public_get(pk: int) -> Place:
    return get_or_404(places_public(), pk=pk)


def is_open(place: Place, at: dt.datetime | None = None) -> bool:
    """Whether the place is open at `at` (now) by its opening hours, in local time."""
    local = timezone.localtime(at or timezone.now())
    hhmm = f"{local:%H:%M}"
    spans = (place.opening_hours or {}).get(str(local.weekday()), [])
    return any(start <= hhmm < end for start, end in spans)


def hours_lines(place: Place) -> list[tuple[str, str]]:
    """The week's opening hours as (weekday, "08:30–17:30, …" or "") rows for a page."""
    week = place.opening_hours or {}
    return [
        (str(WEEKDAYS[day]), ", ".join(f"{s}–{e}" for s, e in week.get(str(day), []))) for day in range(7)
    ]
