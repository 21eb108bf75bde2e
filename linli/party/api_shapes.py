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
        "stars": r.stars,
        "state": r.state,
        "indicators": r.indicators,
        "approved_at": r.approved_at,
    }
