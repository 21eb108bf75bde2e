"""How alike two appeals are, and which open appeals look like a new one (并单 suggestions; the writes that store
and act on them are services, in services/duplicates.py).

A candidate is an open, unmerged appeal submitted within the window (default 14 days) in the same grid or
within the radius (default 300 m), found with indexed filters (state, created_at, grid) and a bounding box;
only those few are compared by text: the Dice coefficient of character bigrams of title + description
(robust to the word order and the typos of colloquial Chinese, no model needed). The best few above the
threshold are stored as DuplicateSuggestion rows at intake. The same bigram comparison groups the monthly-topic
candidates (services/topics.py).

A work order a device raised (a sensor's alarm or low battery, `choices.MACHINE_CHANNELS`) is written from a
template: two alarms of two devices nearby read alike whatever happened. Such an order is compared only with the open
orders of the same device (its `device_code`; none when it names no device), still by place, window and text, the
text of such an order being its title (the place and the alarm, or the battery: a smoke and a heat alarm of one
device read alike, an alarm and a battery order do not). A resident's or a worker's appeal is offered a
device's order only when it is filed under the order's category (the alarm's fire safety: the same kind of matter,
such as the alarm heard ringing or the smoke seen at that place) and reads as alike as any suggestion must; a noise
or fume complaint beside a venue whose alarm is open is not, however near.
"""

from __future__ import annotations

import datetime as dt
import math
import re

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from linli.territory.geometry import distance_m

from .choices import MACHINE_CHANNELS, OPEN_STATE_VALUES
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


def _said(appeal: Appeal) -> str:
    """What an appeal says, as compared: a device's order says it in its title (the place and the alarm, or the
    battery), its description being the template's; anyone else's, in the title and the description."""
    return appeal.title if appeal.channel in MACHINE_CHANNELS else text_of(appeal)


def _alike_source(appeal: Appeal) -> Q:
    """Which open appeals may be the same problem as `appeal` by where they came from: a device's order, the same
    device's orders; any other appeal, the appeals of people, and a device's orders of its own category."""
    machine = Q(channel__in=MACHINE_CHANNELS)
    if appeal.channel in MACHINE_CHANNELS:
        return machine & Q(device_code=appeal.device_code)
    if appeal.category_id is None:
        return ~machine
    return ~machine | Q(category_id=appeal.category_id)


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
    if appeal.channel in MACHINE_CHANNELS and not appeal.device_code:
        return []
    rows = (
        Appeal.objects.filter(
            place,
            _alike_source(appeal),
            state__in=OPEN_STATE_VALUES,
            primary__isnull=True,
            created_at__gte=now - dt.timedelta(days=days),
            created_at__lte=now,
        )
        .exclude(pk=appeal.pk)
        .only("id", "title", "description", "channel", "lng", "lat", "grid_id", "created_at", "state")
        .order_by("-created_at")[:MAX_CANDIDATES]
    )
    mine = bigrams(_said(appeal))
    found: list[tuple[Appeal, float, float | None]] = []
    for other in rows:
        dist = None
        if None not in (appeal.lng, appeal.lat, other.lng, other.lat):
            dist = distance_m(appeal.lng, appeal.lat, other.lng, other.lat)  # type: ignore[arg-type]
        if other.grid_id != appeal.grid_id and (dist is None or dist > radius):
            continue
        score = similarity(mine, bigrams(_said(other)))
        if score >= threshold:
            found.append((other, score, dist))
    found.sort(key=lambda t: (-t[1], t[0].pk))
    return found
