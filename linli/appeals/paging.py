"""How the appeals API's lists go a page at a time, all alike: `limit` rows (1 to MAX_PAGE; 50 unless asked)
after `offset` rows, answered as {"count": every row, "items": this page}, so a caller sees how many there are
and reaches the last one by raising `offset` (GET /api/appeals/ first did it this way)."""

from __future__ import annotations

from typing import Any

from django.db.models import Model, QuerySet
from ninja import Query

MAX_PAGE = 200
# The bounds only keep a number the database can take; a limit out of 1..MAX_PAGE or a negative offset is brought
# into range rather than refused.
_INT = {"ge": -(2**31), "le": 2**31 - 1}


def limit_param() -> Any:
    return Query(50, description=f"Rows in this page, 1 to {MAX_PAGE} (50 unless asked).", **_INT)


def offset_param() -> Any:
    return Query(0, description="Rows to skip: raise it by `limit` for the next page.", **_INT)


def window[M: Model](qs: QuerySet[M], limit: int, offset: int) -> tuple[list[M], int]:
    """This page's rows of the ordered `qs` and the count of all."""
    start = max(offset, 0)
    return list(qs[start : start + min(max(limit, 1), MAX_PAGE)]), qs.count()
