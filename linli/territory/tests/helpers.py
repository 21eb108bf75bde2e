"""Bulk data for the territory's tests."""

from __future__ import annotations

import datetime as dt
from typing import Any

from linli.territory import services
from linli.territory.models import Building, Household
from linli.testing import Cast


def add_residents(cast: Cast, n: int, name: str = "测试居民{i:02d}", **fields: Any) -> None:
    """`n` residents of the cast's household named from `name` (formatted with i = 0…n-1); a value in `fields`
    may be a function of i."""
    for i in range(n):
        values = {k: v(i) if callable(v) else v for k, v in fields.items()}
        values.setdefault("gender", "female")
        values.setdefault("birth_date", dt.date(1990, 1, 1))
        services.resident_create(actor=None, household=cast.household, name=name.format(i=i), **values)


def add_buildings(cast: Cast, numbers: range, code: str = "B{n:03d}") -> list[Building]:
    """Buildings n号楼 (n in `numbers`) of the cast's grid and compound, coded from `code` (formatted with n)."""
    return [
        services.building_create(
            actor=None,
            grid=cast.grid,
            compound=cast.compound,
            code=code.format(n=n),
            name=f"{n}号楼",
            address=f"和平路1号院{n}号楼",
            lng=116.401,
            lat=39.901,
        )
        for n in numbers
    ]


def second_building_home(cast: Cast) -> Household:
    """A household in a second building (9号楼) of the cast's grid: what a building captain of 1号楼 must not see."""
    (building,) = add_buildings(cast, range(9, 10))
    return services.household_create(actor=None, building=building, code="H009", room="101")
