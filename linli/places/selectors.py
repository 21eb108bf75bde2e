"""Reads of service places: staff see the places of their area; everyone sees the places in service (public)."""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.dates import WEEKDAYS

from linli.core.scoping import get_or_404, scope_by_org
from linli.territory.selectors import Viewer

from .models import Activity, Place, Subscription


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


def activities_coming(place: Place, *, days: int = 7, now: dt.datetime | None = None) -> QuerySet[Activity]:
    """The place's activities not yet over that start within `days` days."""
    now = now or timezone.now()
    return place.activities.filter(ends_at__gte=now, starts_at__lt=now + dt.timedelta(days=days)).order_by(
        "starts_at"
    )


def following(user: Viewer, place: Place) -> tuple[bool, bool]:
    """(follows the place, follows its community) for a logged-in user."""
    user_id = getattr(user, "pk", None)
    if user_id is None or not getattr(user, "is_authenticated", False):
        return False, False
    subs = Subscription.objects.filter(user_id=user_id)
    return subs.filter(place=place).exists(), subs.filter(org_node_id=place.org_node_id).exists()


def coming_counts(place_ids: list[int], *, days: int = 7) -> dict[int, int]:
    """How many activities each place has in the coming `days` days (one query)."""
    from django.db.models import Count

    now = timezone.now()
    rows = (
        Activity.objects.filter(
            place_id__in=place_ids, ends_at__gte=now, starts_at__lt=now + dt.timedelta(days=days)
        )
        .values("place_id")
        .annotate(n=Count("id"))
        .values_list("place_id", "n")
    )
    return dict(rows)
