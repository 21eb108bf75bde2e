"""并单 at intake: find open appeals that look like a new one, suggest merging, and act on the suggestion.

A candidate is an open, unmerged appeal submitted within the window (default 14 days) in the same grid or
within the radius (default 300 m), found with indexed filters (state, created_at, grid) and a bounding box;
only those few are compared by text: the Dice coefficient of character bigrams of title + description
(robust to the word order and the typos of colloquial Chinese, no model needed). The best few above the
threshold are stored as DuplicateSuggestion rows. The resident may follow the existing appeal instead (their
appeal merges into it through services.appeal_merge, so they hear of its progress) or keep theirs; handlers
see the suggestions on the appeal page and merge or dismiss them.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from linli.core.errors import InvalidTransition, PermissionDenied
from linli.territory.geometry import distance_m

from .choices import OPEN_STATE_VALUES
from .models import Appeal, DuplicateSuggestion, SuggestionStatus
from .permissions import is_appeal_resident, may_handle, may_supervise

RADIUS_M = 300.0
WINDOW_DAYS = 14
MIN_SCORE = 0.3
MAX_SUGGESTIONS = 3
MAX_CANDIDATES = 200

_NOISE = re.compile(r"[\s\W_]+", re.UNICODE)


def _setting(name: str, default: float) -> float:
    return float(getattr(settings, name, default))


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
    radius = _setting("LINLI_DUPLICATE_RADIUS_M", RADIUS_M)
    days = _setting("LINLI_DUPLICATE_DAYS", WINDOW_DAYS)
    threshold = _setting("LINLI_DUPLICATE_MIN_SCORE", MIN_SCORE)
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


def duplicates_flag(*, appeal: Appeal, now: dt.datetime | None = None) -> list[DuplicateSuggestion]:
    """Store the best few similar open appeals of a newly submitted one as suggestions (called at intake)."""
    now = now or timezone.now()
    made = []
    for other, score, dist in candidates_for(appeal, now=now)[:MAX_SUGGESTIONS]:
        row, _created = DuplicateSuggestion.objects.get_or_create(
            appeal=appeal,
            candidate=other,
            defaults={"score": round(score, 4), "distance_m": dist, "created_at": now},
        )
        made.append(row)
    return made


def _decided(
    suggestion: DuplicateSuggestion, status: str, actor: Any, now: dt.datetime
) -> DuplicateSuggestion:
    changed = DuplicateSuggestion.objects.filter(pk=suggestion.pk, status=SuggestionStatus.PENDING).update(
        status=status, decided_at=now, decided_by=actor if getattr(actor, "is_authenticated", False) else None
    )
    if changed != 1:
        raise InvalidTransition(_("This suggestion was already decided."))
    suggestion.refresh_from_db()
    return suggestion


def _merge(
    suggestion: DuplicateSuggestion, *, actor: Any, merge_actor: Any, reason: str
) -> DuplicateSuggestion:
    from .services import appeal_merge

    now = timezone.now()
    with transaction.atomic():
        suggestion = _decided(suggestion, SuggestionStatus.MERGED, actor, now)
        appeal_merge(actor=merge_actor, appeal=suggestion.appeal, primary=suggestion.candidate, reason=reason)
        DuplicateSuggestion.objects.filter(
            appeal_id=suggestion.appeal_id, status=SuggestionStatus.PENDING
        ).update(status=SuggestionStatus.DISMISSED, decided_at=now)
    return suggestion


def duplicate_merge(*, actor: Any, suggestion: DuplicateSuggestion) -> DuplicateSuggestion:
    """A handler accepts the suggestion: the appeal merges into the similar one (appeal_merge's tier rules)."""
    return _merge(
        suggestion,
        actor=actor,
        merge_actor=actor,
        reason=_("Suggested duplicate (similarity %(score).0f%%).") % {"score": suggestion.score * 100},
    )


def duplicate_follow(*, actor: Any, suggestion: DuplicateSuggestion, phone: str = "") -> DuplicateSuggestion:
    """The resident follows the existing appeal instead of their own: theirs merges into it, and they hear of
    its progress from now on."""
    if not is_appeal_resident(actor, suggestion.appeal, phone):
        raise PermissionDenied()
    return _merge(
        suggestion,
        actor=actor,
        merge_actor=None,
        reason=_("The resident chose to follow %(number)s instead.")
        % {"number": suggestion.candidate.tracking_number},
    )


def duplicate_dismiss(*, actor: Any, suggestion: DuplicateSuggestion, phone: str = "") -> DuplicateSuggestion:
    """Keep the appeal separate: by its resident, its handler or the tier above."""
    appeal = suggestion.appeal
    if not (
        is_appeal_resident(actor, appeal, phone) or may_handle(actor, appeal) or may_supervise(actor, appeal)
    ):
        raise PermissionDenied()
    with transaction.atomic():
        return _decided(suggestion, SuggestionStatus.DISMISSED, actor, timezone.now())
