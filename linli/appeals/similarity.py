"""How alike two appeals are, and which open appeals look like a new one (并单 suggestions; the writes that store
and act on them are services, in services/duplicates.py).

A candidate is an open, unmerged appeal submitted within the window (default 14 days) in the same grid or
within the radius (default 300 m), found with indexed filters (state, created_at, grid) and a bounding box;
only those few are compared by text: the Dice coefficient of character bigrams of title + description
(robust to the word order and the typos of colloquial Chinese, no model needed). The best few above the
threshold are stored as DuplicateSuggestion rows at intake. The same bigram comparison groups the monthly-topic
candidates (services/topics.py).
"""

from __future__ import annotations

import datetime as dt
import math
import re

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from linli.territory.geometry import distance_m

from .choices import OPEN_STATE_VALUES
from .models import Appeal

MAX_SUGGESTIONS = 3
MAX_CANDIDATES = 200

_NOISE = re.compile(r"[\s\W_]+", re.UNICODE)


def bigrams(text: str) -> frozenset[str]:
    """Character bigrams of the text without spaces and punctuation (single characters for a 1-char text)."""
    s = _NOISE.sub("", (text or "").lower())
    if len(s) < 2:
        return frozenset([s]) if s else frozenset()
    return frozenset(s[i : i + 2] for i in range(len(s) - 1))


def similarity(a: frozenset[str], b: frozenset[str]) -> float:
    """Dice coefficient of two bigram sets, 0..1."""
    if not a or not b:
        return 0.0
    return 2.0 * len(a & b) / (len(a) + len(b))


def text_of(appeal: Appeal) -> str:
    return f"{appeal.title} {appeal.description}"


def candidates_for(
    appeal: Appeal, *, now: dt.datetime | None = None
) -> list[tuple[Appeal, float, float | None]]:
    """(open appeal, text score, distance in metres or None) for appeals that look like `appeal`, best first."""
    # Read once at start from the environment (settings.py): within this radius or the same grid, this window.
    radius = settings.LINLI_DUPLICATE_RADIUS_M
    days = settings.LINLI_DUPLICATE_DAYS
    threshold = settings.LINLI_DUPLICATE_MIN_SCORE
    now = now or timezone.now()
    place = Q(pk__in=[])
    if appeal.grid_id:
        place |= Q(grid_id=appeal.grid_id)
    if appeal.lng is not None and appeal.lat is not None:
        dlat = radius / 111_320.0
        dlng = radius / (111_320.0 * max(0.01, math.cos(math.radians(appeal.lat))))
        place |= Q(
            lat__range=(appeal.lat - dlat, appeal.lat + dlat),
            lng__range=(appeal.lng - dlng, appeal.lng + dlng),
        )
    if not appeal.grid_id and (appeal.lng is None or appeal.lat is None):
        return []
    rows = (
        Appeal.objects.filter(
            place,
            state__in=OPEN_STATE_VALUES,
            primary__isnull=True,
            created_at__gte=now - dt.timedelta(days=days),
            created_at__lte=now,
        )
        .exclude(pk=appeal.pk)
        .only("id", "title", "description", "lng", "lat", "grid_id", "created_at", "state")
        .order_by("-created_at")[:MAX_CANDIDATES]
    )
    mine = bigrams(text_of(appeal))
    found: list[tuple[Appeal, float, float | None]] = []
    for other in rows:
        dist = None
        if None not in (appeal.lng, appeal.lat, other.lng, other.lat):
            dist = distance_m(appeal.lng, appeal.lat, other.lng, other.lat)  # type: ignore[arg-type]
        if other.grid_id != appeal.grid_id and (dist is None or dist > radius):
            continue
        score = similarity(mine, bigrams(text_of(other)))
        if score >= threshold:
            found.append((other, score, dist))
    found.sort(key=lambda t: (-t[1], t[0].pk))
    return found
