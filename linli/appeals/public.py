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
from linli.core.scoping import Viewer, person
from linli.territory.models import OrgNode

from .choices import OPEN_STATE_VALUES, SOLVED_OUTCOMES, AppealState
from .models import Appeal, AppealFollower, Category

# What is public (三公开) is decided here, in three steps, and nowhere else (the disclosure pages, the Open311
# feed, the map when reporting and following all read `public_only`):
# 1. First-level categories whose appeals are public (the others concern a person's own affairs: wages, health,
#    subsistence, disputes, public security).
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
# 2. Second-level categories under them that are never public: each concerns one person — a child's school place,
#    a pupil's school life (bullying, a named teacher, fees), a teacher's own post and pay, one household's
#    compensation, property papers or house building, one driver's licence, one buyer's dispute with a shop — so
#    even its category and grid on a public page would point at them.
PERSONAL_CATEGORIES = [
    "education.enrolment",
    "education.school_management",
    "education.teachers",
    "urban_construction.demolition",
    "urban_construction.housing_certificate",
    "urban_construction.rural_housing",
    "transport.licence",
    "commerce_tourism.shopping",
]
# 3. One appeal withheld by the staff handling it (不予公开, `services.appeal_withhold`, with a reason): the
#    `disclosure_withheld` column.
# Rounding of a grid centre's coordinates on public pages and feeds (three decimals: about 100 m).
POSITION_DECIMALS = 3
# The reporting page lists at most this many appeals around the chosen point, nearest first: enough to spot
# one's own problem, short enough that the contact fields and the submit button stay near on a phone.
NEARBY_LIMIT = 6
# "Nearby": within this many degrees of the point (about 3 km) when a point is given.
NEARBY_SPAN = 0.03
# States in which a resident may follow a public appeal (open, or resolved and still awaiting the rating).
FOLLOWABLE_STATES = [*OPEN_STATE_VALUES, str(AppealState.RESOLVED), str(AppealState.RATED)]


def public_only(qs: QuerySet[Appeal]) -> QuerySet[Appeal]:
    """The appeals of `qs` that may be shown to the public: of a public category, not withheld, placed in a grid
    and not merged into another."""
    return qs.filter(
        category__parent__code__in=PUBLIC_CATEGORIES,
        primary__isnull=True,
        grid__isnull=False,
        disclosure_withheld=False,
    ).exclude(category__code__in=PERSONAL_CATEGORIES)


def is_public(appeal: Appeal) -> bool:
    """Whether the appeal is public, so others may see it (masked) and follow it."""
    return public_only(Appeal.objects.filter(pk=appeal.pk)).exists()


def category_public(category: Category | None) -> bool:
    """Whether appeals of `category` are public (steps 1 and 2): what a staff member may still withhold."""
    if category is None or category.parent_id is None:
        return False
    parent = category.parent
    return (
        parent is not None and parent.code in PUBLIC_CATEGORIES and category.code not in PERSONAL_CATEGORIES
    )


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


def followed_appeals(user: Viewer) -> QuerySet[Appeal]:
    """The appeals a signed-in resident follows, most recently followed first."""
    account = person(user)
    if account is None:
        return Appeal.objects.none()
    return (
        public_only(Appeal.objects.filter(followers__user=account))
        .select_related("category__parent", "grid")
        .order_by("-followers__created_at", "-id")
    )


def followed_numbers(user: Viewer, numbers: list[str]) -> set[str]:
    """Which of these tracking numbers the user follows."""
    account = person(user)
    if account is None or not numbers:
        return set()
    return set(
        AppealFollower.objects.filter(user=account, appeal__tracking_number__in=numbers).values_list(
            "appeal__tracking_number", flat=True
        )
    )
