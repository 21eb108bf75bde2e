"""Bulk data for the territory's tests."""

from __future__ import annotations

import datetime as dt
from typing import Any

from linli.territory import services
from linli.testing import Cast


def add_residents(cast: Cast, n: int, name: str = "测试居民{i:02d}", **fields: Any) -> None:
    """`n` residents of the cast's household named from `name` (formatted with i = 0…n-1); a value in `fields`
    may be a function of i."""
    for i in range(n):
        values = {k: v(i) if callable(v) else v for k, v in fields.items()}
        values.setdefault("gender", "female")
        values.setdefault("birth_date", dt.date(1990, 1, 1))
        services.resident_create(actor=None, household=cast.household, name=name.format(i=i), **values)
