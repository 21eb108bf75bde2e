from __future__ import annotations

import math
from typing import Any

import pytest

from linli.territory import services as territory
from linli.territory.models import Road
from linli.testing import Cast

R = 6371008.8


def metres_east(lng: float, lat: float, metres: float) -> float:
    return lng + math.degrees(metres / (R * math.cos(math.radians(lat))))


def line(*points: tuple[float, float]) -> dict[str, Any]:
    return {"type": "LineString", "coordinates": [list(p) for p in points]}


@pytest.fixture
def roads(cast: Cast) -> list[Road]:
    """A road along the cast's first building (lat 39.902, 116.398 → 116.404) and, not joined to it, a road along
    the other community's building (116.410 → 116.414)."""
    kept = cast.street
    return territory.roads_create(
        actor=None,
        roads=[
            {
                "code": "R1",
                "name": "和平路",
                "kind": "branch",
                "org_node": kept,
                "geometry": line((116.398, 39.902), (116.401, 39.902)),
            },
            {
                "code": "R2",
                "name": "和平路",
                "kind": "branch",
                "org_node": kept,
                "geometry": line((116.401, 39.902), (116.404, 39.902)),
            },
            {
                "code": "R3",
                "name": "光明路",
                "kind": "branch",
                "org_node": kept,
                "geometry": line((116.410, 39.9021), (116.414, 39.9021)),
            },
        ],
    )
