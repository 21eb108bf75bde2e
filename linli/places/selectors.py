"""Reads of service places: staff see the places of their area and those over it (a grid worker, the centre of their
community and street); everyone sees the places in service (public)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.dates import WEEKDAYS

from linli.core.scoping import get_or_404, scope_in_or_above
from linli.territory.models import OrgNode
from linli.territory.selectors import Viewer, community_of

from . import coverage
from .choices import PlaceKind
from .models import Activity, Place, Subscription


def places_visible_to(user: Viewer) -> QuerySet[Place]:
    """The places in the user's part of the tree and those of the nodes over it: a grid worker's community centre
    hangs on the community, above the grid, and is where they send people (it was missing from their list and map).
    Seeing is not managing: `permissions` still asks for place_manage on the place's own node."""
    return scope_in_or_above(
        Place.objects.select_related("org_node__parent", "grid"), user, "org_node__path", "org_node_id"
    )


def place_get_for(user: Viewer, pk: int) -> Place:
    return get_or_404(places_visible_to(user), pk=pk)


def places_public() -> QuerySet[Place]:
    """The places a resident may look up: every place in service (their addresses hang on their doors)."""
    return Place.objects.filter(active=True).select_related("org_node__parent")


def place_public_get(pk: int) -> Place:
    return get_or_404(places_public(), pk=pk)


def place_community(place: Place) -> OrgNode:
    """The community a place is in, which a resident follows to hear of all its places: the node the place hangs on,
    or the community over the compound it hangs on (read with `org_node__parent`, as the place selectors give it)."""
    return community_of(place.org_node) or place.org_node


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


def activities_visible_to(user: Viewer) -> QuerySet[Activity]:
    """The activities of the places the user sees (staff: their area)."""
    return Activity.objects.filter(place__in=places_visible_to(user)).select_related("place__org_node")


def activity_get_for(user: Viewer, pk: int) -> Activity:
    return get_or_404(activities_visible_to(user), pk=pk)


def subscriptions_of(user: Viewer) -> QuerySet[Subscription]:
    """A resident's own subscriptions (none for someone not logged in)."""
    user_id = getattr(user, "pk", None)
    if user_id is None or not getattr(user, "is_authenticated", False):
        return Subscription.objects.none()
    return (
        Subscription.objects.filter(user_id=user_id)
        .select_related("place__org_node__parent", "org_node")
        .order_by("created_at", "id")
    )


def subscription_get_for(user: Viewer, pk: int) -> Subscription:
    return get_or_404(subscriptions_of(user), pk=pk)


def following(user: Viewer, place: Place) -> tuple[bool, bool]:
    """(follows the place, follows its community) for a logged-in user."""
    user_id = getattr(user, "pk", None)
    if user_id is None or not getattr(user, "is_authenticated", False):
        return False, False
    subs = Subscription.objects.filter(user_id=user_id)
    return subs.filter(place=place).exists(), subs.filter(org_node=place_community(place)).exists()


def coming_counts(place_ids: list[int]) -> dict[int, int]:
    """How many activities each place has on this week (one query)."""
    rows = (
        activities_this_week(Place.objects.filter(pk__in=place_ids))
        .values("place_id")
        .annotate(n=Count("id"))
    )
    return dict(rows.order_by().values_list("place_id", "n"))


WEEK_DAYS = 7  # "this week": the activities not yet over that start within the next seven days


def activities_this_week(places: QuerySet[Place], *, now: dt.datetime | None = None) -> QuerySet[Activity]:
    """The activities of these places on this week (the residents' page, the API and the dashboard count these)."""
    now = now or timezone.now()
    return (
        Activity.objects.filter(
            place__in=places, ends_at__gte=now, starts_at__lt=now + dt.timedelta(days=WEEK_DAYS)
        )
        .select_related("place")
        .order_by("starts_at", "id")
    )


def places_in(path: str, grid_id: int | None = None) -> QuerySet[Place]:
    """The places in service of an area of the org tree (path prefix, "" for all) or of one grid. A place belongs
    to a community and stands in one of its grids: a compound's places are those standing in its grids."""
    if grid_id is not None:
        return Place.objects.filter(active=True, grid_id=grid_id)
    return Place.objects.filter(
        Q(org_node__path__startswith=path) | Q(grid__org_node__path__startswith=path), active=True
    )


def overview(path: str, start: dt.date, end: dt.date, grid_id: int | None = None) -> dict[str, Any]:
    """The 15-minute life circle of an area (org path prefix, "" for all; or one grid) for the dashboard: places
    in service, activities on this week, and for each kind of place the share of households, of households with
    an elderly resident living alone and with a child under 3 within a 15-minute walk (coverage.coverage_in:
    the coverage page's figures for the same area). The period does not apply: coverage is as of now."""
    found = coverage.coverage_in(path, grid_id)
    total = found.total
    places = places_in(path, grid_id)
    counts = dict(places.values("kind").annotate(n=Count("id")).values_list("kind", "n"))
    kinds = []
    for kind, label in found.kinds:
        covered = total.covered.get(kind, [0, 0, 0])
        kinds.append(
            {
                "kind": kind,
                "label": label,
                "colour": PlaceKind.colour_of(kind),
                "places": counts.get(kind, 0),
                "groups": [
                    (covered[i], whole, None if not whole else round(covered[i] * 100 / whole))
                    for i, whole in enumerate((total.households, total.elderly_alone, total.under_three))
                ],
            }
        )
    return {
        "places": sum(counts.values()),
        "activities_week": activities_this_week(places).count(),
        "households": total.households,
        "elderly_alone": total.elderly_alone,
        "under_three": total.under_three,
        "kinds": kinds,
        "roads_missing": found.roads_missing,
    }
