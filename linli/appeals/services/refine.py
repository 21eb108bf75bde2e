"""The worker's second look at appeals waiting for a person (issue 16): the sentence encoder refines the fast guess.

At intake the category comes from the fast model (well under a millisecond); below the confidence threshold the
appeal waits at its triage desk. The worker job `appeals.triage_refine` then reads each such appeal once more with
the model in use refined by the sentence encoder (`linli.triage.services.refine`, tens to hundreds of ms, so never
in a request). When the refined suggestion is confident it is applied exactly as a confident suggestion is at
intake — the `classify` step (recorded as the system's, with the model version and the encoder in its data),
then the dispatch catalogue's route (`unit_assign`); when it is still unsure the appeal keeps waiting and the
desk sees the refined categories (triage's `suggest_categories` reads the stored refinement).

Each appeal is refined once: triage keeps one `Refinement` row per appeal, created as the worker's claim
(a unique insert, compare-and-swap on `claimed_until` for a claim whose worker died), so any number of workers
can run. The appeal row is locked only for the short write, after the encoder has run, so that a person
dispatching it at the desk meanwhile never waits on the encoder (the person wins; the refinement is then only
recorded). Without the encoder (LINLI_TRIAGE_ENCODER off, or the package not installed) the job does nothing.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from linli.core.errors import DomainError

from .. import routing, transitions
from ..choices import AppealState
from ..models import Appeal, Category
from .intake import classified_record, routed_record

if TYPE_CHECKING:
    from linli.triage.services import Suggestion

BATCH = 50  # appeals refined in one round at most (25–500 ms of CPU each)


def appeals_waiting_for_refinement(now: dt.datetime | None = None) -> QuerySet[Appeal]:
    """Appeals at a triage desk without a category (the classifier was unsure) that no worker has refined or
    holds a live claim on."""
    from linli.triage.models import Refinement

    now = now or timezone.now()
    taken = Refinement.objects.filter(Q(done_at__isnull=False) | Q(claimed_until__gte=now))
    return Appeal.objects.filter(state=AppealState.ACCEPTED, category__isnull=True).exclude(
        pk__in=taken.values("appeal_id")
    )


def appeal_refine(*, appeal: Appeal) -> bool:
    """Refine one waiting appeal with the sentence encoder; apply the category (and route) when now confident.
    Returns True when it was refined by this call (False: another worker holds or did it)."""
    from linli.triage import services as triage

    if not triage.refinement_claim(appeal_id=appeal.pk, title=appeal.title, text=appeal.description):
        return False
    try:
        suggestion = triage.refine(title=appeal.title, text=appeal.description)  # outside any lock
    except Exception:
        triage.refinement_release(appeal_id=appeal.pk)
        raise
    category = (
        routing.category_by_code(suggestion.category_code)
        if suggestion is not None and suggestion.confident
        else None
    )
    with transaction.atomic():
        applied = False
        row = Appeal.objects.select_for_update(of=("self",)).filter(pk=appeal.pk).first()
        waiting = row is not None and row.state == AppealState.ACCEPTED and not row.category_id
        if category is not None and suggestion is not None and waiting:
            row, _target = transitions.lock(appeal.pk, "classify")
            _apply(row, category, suggestion)
            applied = True
        triage.refinement_record(appeal_id=appeal.pk, suggestion=suggestion, applied=applied)
    return True


def _apply(row: Appeal, category: Category, suggestion: Suggestion) -> None:
    """What intake does with a confident suggestion: the classify step, then the catalogue's route if it has one
    (an appeal not yet placed stays at its desk, now with its category)."""
    now = timezone.now()
    classified_record(
        row,
        category,
        now=now,
        confidence=suggestion.confidence,
        model_version=suggestion.model_version,
        refined_by=suggestion.refined_by,
    )
    found = routing.route(category=row.category, grid=row.grid, node=None)
    if found is not None:
        routed_record(row, found, now=now)


def appeals_refine_waiting() -> int:
    """The worker job: refine up to BATCH waiting appeals, oldest first; returns how many were refined."""
    from linli.triage import services as triage

    if not triage.encoder_enabled():  # says once in the log when the package is missing
        return 0
    done = 0
    for appeal in list(appeals_waiting_for_refinement().order_by("pk")[:BATCH]):
        try:
            done += int(appeal_refine(appeal=appeal))
        except DomainError:
            continue
    return done
