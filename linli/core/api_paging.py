"""How the API's lists go a page at a time, all alike: `limit` rows (1 to MAX_PAGE; 50 unless asked) after
`offset` rows, answered as {"count": every row, "items": this page}, so a caller sees how many there are and
reaches the last one by raising `offset` instead of being cut off at a fixed number (GET /api/appeals/ first did
it this way). An endpoint takes `limit: int = limit_param(), offset: int = offset_param()` and answers
`page(qs, limit, offset, render)`, or builds its answer from `window(qs, limit, offset)`."""

from __future__ import annotations

from collections.abc import Callable
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


def page[M: Model](qs: QuerySet[M], limit: int, offset: int, render: Callable[[M], Any]) -> dict[str, Any]:
    """This page of the ordered `qs`, each row rendered, and the count of all: {"count", "items"}."""
    rows, count = window(qs, limit, offset)
    return {"count": count, "items": [render(row) for row in rows]}
