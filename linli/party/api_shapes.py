"""Shapes the party API's routers share (the staff router in `api`, the secretary's in `branch_api`)."""

from __future__ import annotations

from typing import Any

from django.db.models import Model

from .models import BranchStarRating


def ref(obj: Model | None) -> dict[str, Any] | None:
    return None if obj is None else {"id": obj.pk, "name": getattr(obj, "name", str(obj))}


def rating_out(r: BranchStarRating) -> dict[str, Any]:
    return {
        "id": r.pk,
        "branch": ref(r.branch),
        "year": r.year,
        "score": float(r.score),
        "computed_stars": r.computed_stars,
        "stars": r.stars,
        "state": r.state,
        "state_label": r.get_state_display(),
        "indicators": r.indicators,
        "claimed_stars": r.claimed_stars,
        "claim_statement": r.claim_statement,
        "claim_notes": r.claim_notes or {},
        "submitted_at": r.submitted_at,
        "return_reason": r.return_reason,
        "returned_at": r.returned_at,
        "approved_at": r.approved_at,
        "review_note": r.review_note,
        "reminders": r.reminders,
        "reminded_at": r.reminded_at,
    }
