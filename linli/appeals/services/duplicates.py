"""并单 suggestions: stored for a new appeal that looks like open ones (similarity.py finds them) by the worker's
`appeals.duplicates` job a moment after intake (intake only marks the appeal `duplicates_pending`), then acted on — the resident follows the existing appeal (theirs merges into it, so they hear of its progress) or keeps
theirs; handlers merge or dismiss."""

from __future__ import annotations

import datetime as dt
from contextlib import nullcontext

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from linli.core.errors import InvalidTransition

from ..choices import OPEN_STATE_VALUES, SuggestionStatus
from ..models import Appeal, DuplicateSuggestion
from ..permissions import Actor, require, signed_in_user
from ..similarity import MAX_SUGGESTIONS, candidates_for
from .merge import appeal_merge


def duplicates_flag(*, appeal: Appeal, now: dt.datetime | None = None) -> list[DuplicateSuggestion]:
    """Store the best few similar open appeals submitted up to `now` as suggestions for `appeal`."""
    now = now or timezone.now()
    return _suggested(appeal, candidates_for(appeal, now=now)[:MAX_SUGGESTIONS], now=now)


def _suggested(
    appeal: Appeal, found: list[tuple[Appeal, float, float | None]], *, now: dt.datetime
) -> list[DuplicateSuggestion]:
    made = []
    for other, score, dist in found:
        row, _created = DuplicateSuggestion.objects.get_or_create(
            appeal=appeal,
            candidate=other,
            defaults={"score": round(score, 4), "distance_m": dist, "created_at": now},
        )
        made.append(row)
    return made


def duplicates_check(*, appeal: Appeal) -> list[DuplicateSuggestion]:
    """The worker's check of an appeal intake marked `duplicates_pending`: the open appeals submitted before it
    (as intake would have seen them) that look like it become suggestions, once (the mark is taken by a
    compare-and-swap, so two workers never both store them). An appeal merged or closed meanwhile is not compared.

    Most appeals look like no other: then taking the mark is the only write, and needs no transaction around it."""
    found = []
    if not appeal.primary_id and appeal.state in OPEN_STATE_VALUES:
        found = candidates_for(appeal, now=appeal.created_at)[:MAX_SUGGESTIONS]
    with transaction.atomic() if found else nullcontext():
        if not Appeal.objects.filter(pk=appeal.pk, duplicates_pending=True).update(duplicates_pending=False):
            return []
        appeal.duplicates_pending = False
        return _suggested(appeal, found, now=appeal.created_at)


def _decided(
    suggestion: DuplicateSuggestion, status: str, actor: Actor, now: dt.datetime
) -> DuplicateSuggestion:
    changed = DuplicateSuggestion.objects.filter(pk=suggestion.pk, status=SuggestionStatus.PENDING).update(
        status=status, decided_at=now, decided_by=signed_in_user(actor)
    )
    if changed != 1:
        raise InvalidTransition(_("This suggestion was already decided."))
    suggestion.refresh_from_db()
    return suggestion


def _merge(
    suggestion: DuplicateSuggestion, *, actor: Actor, merge_actor: Actor, reason: str
) -> DuplicateSuggestion:
    now = timezone.now()
    with transaction.atomic():
        suggestion = _decided(suggestion, SuggestionStatus.MERGED, actor, now)
        appeal_merge(actor=merge_actor, appeal=suggestion.appeal, primary=suggestion.candidate, reason=reason)
        DuplicateSuggestion.objects.filter(
            appeal_id=suggestion.appeal_id, status=SuggestionStatus.PENDING
        ).update(status=SuggestionStatus.DISMISSED, decided_at=now)
    return suggestion


def duplicate_merge(*, actor: Actor, suggestion: DuplicateSuggestion) -> DuplicateSuggestion:
    """A handler accepts the suggestion: the appeal merges into the similar one (appeal_merge's tier rules)."""
    return _merge(
        suggestion,
        actor=actor,
        merge_actor=actor,
        reason=_("Suggested duplicate (similarity %(score).0f%%).") % {"score": suggestion.score * 100},
    )


def duplicate_follow(
    *, actor: Actor, suggestion: DuplicateSuggestion, phone: str = ""
) -> DuplicateSuggestion:
    """The resident follows the existing appeal instead of their own: theirs merges into it, and they hear of
    its progress from now on."""
    require(actor, "duplicate_follow", suggestion.appeal, phone=phone)
    return _merge(
        suggestion,
        actor=actor,
        merge_actor=None,
        reason=_("The resident chose to follow %(number)s instead.")
        % {"number": suggestion.candidate.tracking_number},
    )


def duplicate_dismiss(
    *, actor: Actor, suggestion: DuplicateSuggestion, phone: str = ""
) -> DuplicateSuggestion:
    """Keep the appeal separate: by its resident, its handler or the tier above."""
    require(actor, "duplicate_dismiss", suggestion.appeal, phone=phone)
    with transaction.atomic():
        return _decided(suggestion, SuggestionStatus.DISMISSED, actor, timezone.now())
