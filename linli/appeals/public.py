"""What of appeals is public, defined once: the public categories, the open appeals a resident sees on the map
when reporting (to follow one instead of filing a duplicate) and the solved ones disclosed one by one.

Nothing personal leaves through here: no names, phone numbers, addresses, descriptions or exact positions. A
place is its grid and community; a position is the grid's centre rounded to about 100 m (three decimals).
The disclosure pages (dashboard.public) read the same definitions.
"""

from __future__ import annotations

from typing import Any

from django.db.models import F, QuerySet
from django.utils import timezone

from linli.core.orgpath import path_ids
from linli.territory.models import OrgNode

from .choices import OPEN_STATE_VALUES, SOLVED_OUTCOMES, AppealState
from .models import Appeal, AppealFollower
from .permissions import Actor, signed_in_user

# First-level categories whose appeals are public (the others concern a person's own affairs: wages, health,
# subsistence, disputes, public security).
PUBLIC_CATEGORIES = [
    "urban_construction",
    "environment",
    "transport",
    "education",
    "commerce_tourism",
    "property_management",
    "market_regulation",
    "utilities",
]
# Rounding of a grid centre's coordinates on public pages and feeds (three decimals: about 100 m).
POSITION_DECIMALS = 3
# The map when reporting shows at most this many open appeals around the point (nearest grids first).
# The reporting page lists at most this many appeals around the chosen point, nearest first: enough to spot
# one's own problem, short enough that the contact fields and the submit button stay near on a phone.
NEARBY_LIMIT = 6
# "Nearby": within this many degrees of the point (about 3 km) when a point is given.
NEARBY_SPAN = 0.03
# States in which a resident may follow a public appeal (open, or resolved and still awaiting the rating).
FOLLOWABLE_STATES = [*OPEN_STATE_VALUES, str(AppealState.RESOLVED), str(AppealState.RATED)]


def public_only(qs: QuerySet[Appeal]) -> QuerySet[Appeal]:
    return qs.filter(category__parent__code__in=PUBLIC_CATEGORIES, primary__isnull=True, grid__isnull=False)


def is_public(appeal: Appeal) -> bool:
    """Whether the appeal's category is public, so others may see it (masked) and follow it."""
    return public_only(Appeal.objects.filter(pk=appeal.pk)).exists()


def public_appeal_by_number(tracking_number: str) -> Appeal:
    """An appeal of a public category by its tracking number (NotFound otherwise): the one a resident follows."""
    from linli.core.errors import NotFound

    appeal = public_only(Appeal.objects.filter(tracking_number=tracking_number.strip())).first()
    if appeal is None:
        raise NotFound()
    return appeal


def open_public_appeals(*, lng: float, lat: float) -> QuerySet[Appeal]:
    """Open appeals of public categories around a point (by their grid's centre), nearest first, newest among
    equals. Returned ones (sent back to the dispatcher, not being worked on) are left out."""
    distance = (F("grid__centroid_lng") - lng) * (F("grid__centroid_lng") - lng) + (
        F("grid__centroid_lat") - lat
    ) * (F("grid__centroid_lat") - lat)
    return (
        public_only(Appeal.objects.filter(state__in=OPEN_STATE_VALUES))
        .exclude(state=AppealState.RETURNED)
        .filter(
            grid__centroid_lng__range=(lng - NEARBY_SPAN, lng + NEARBY_SPAN),
            grid__centroid_lat__range=(lat - NEARBY_SPAN, lat + NEARBY_SPAN),
        )
        .annotate(distance=distance)
        .select_related("category__parent", "grid")
        .order_by("distance", "-created_at", "-id")
    )


def solved_public_appeals() -> QuerySet[Appeal]:
    """Solved appeals of public categories, newest resolution first (the public pages and the public map)."""
    return (
        public_only(Appeal.objects.filter(outcome__in=[str(o) for o in SOLVED_OUTCOMES]))
        .exclude(state__in=OPEN_STATE_VALUES)
        .select_related("category__parent", "grid")
        .order_by("-resolved_at", "-id")
    )


def communities() -> dict[int, str]:
    return dict(OrgNode.objects.filter(kind="community").values_list("id", "name"))


def public_item(a: Appeal, names: dict[int, str]) -> dict[str, Any]:
    """What may be shown of one appeal: category, place (grid and community), dates, state and outcome only."""
    ids = path_ids(a.org_path)
    community = names.get(ids[2]) if len(ids) > 2 else ""
    return {
        "id": a.tracking_number,
        "category": a.category.parent.name
        if a.category and a.category.parent
        else (a.category.name if a.category else ""),
        "subject": a.category.name if a.category else "",
        "service_code": a.category.code if a.category else "",
        "community": community or "",
        "grid": a.grid.name if a.grid_id and a.grid else "",
        "received": timezone.localtime(a.created_at),
        "resolved": timezone.localtime(a.resolved_at) if a.resolved_at else None,
        "state": a.state,
        "state_label": str(a.get_state_display()),
        "outcome": a.get_outcome_display(),
        "lat": round(a.grid.centroid_lat, POSITION_DECIMALS) if a.grid_id and a.grid else None,
        "lng": round(a.grid.centroid_lng, POSITION_DECIMALS) if a.grid_id and a.grid else None,
    }


def followed_appeals(user: Actor) -> QuerySet[Appeal]:
    """The appeals a signed-in resident follows, most recently followed first."""
    person = signed_in_user(user)
    if person is None:
        return Appeal.objects.none()
    return (
        Appeal.objects.filter(followers__user=person)
        .select_related("category__parent", "grid")
        .order_by("-followers__created_at", "-id")
    )


def followed_numbers(user: Actor, numbers: list[str]) -> set[str]:
    """Which of these tracking numbers the user follows."""
    person = signed_in_user(user)
    if person is None or not numbers:
        return set()
    return set(
        AppealFollower.objects.filter(user=person, appeal__tracking_number__in=numbers).values_list(
            "appeal__tracking_number", flat=True
        )
    )
