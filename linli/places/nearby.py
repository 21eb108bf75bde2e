"""Places near a point, one way for the residents' near-me page and the public API: nearest first by the walk along
the roads (the straight line where no road joins), narrowed by kind, open now and within a 15-minute walk."""

from __future__ import annotations

import math
from dataclasses import dataclass

from . import coverage, network, selectors, walk
from .choices import PlaceKind
from .models import Place


@dataclass(frozen=True)
class Origin:
    """Where "near me" is measured from: the phone's position, the resident's home, a grid worker's grid, or a
    community centre."""

    lng: float
    lat: float
    how: str  # here | home | grid | centre
    label: str


@dataclass(frozen=True)
class NearRow:
    place: Place
    open: bool
    metres: float | None
    walked: bool  # along the roads (else as the crow flies)

    @property
    def minutes(self) -> int | None:
        return round(self.metres / walk.WALK_M_PER_MIN) if self.walked and self.metres is not None else None


def position(lng: float | None, lat: float | None) -> tuple[float, float] | None:
    """A position given (longitude, latitude), or None when either is missing or out of range."""
    if lng is None or lat is None or not (math.isfinite(lng) and math.isfinite(lat)):
        return None
    return (lng, lat) if -180 <= lng <= 180 and -90 <= lat <= 90 else None


def _straight_m(origin: Origin, lng: float, lat: float) -> float:
    k = math.cos(math.radians(origin.lat))
    return math.hypot((lng - origin.lng) * k, lat - origin.lat) * 111_195


def near_rows(
    origin: Origin | None, *, kind: str = "", only_open: bool = False, within: bool = False
) -> list[NearRow]:
    """The places in service (of `kind`, open now with `only_open`), each with its walk from `origin`, nearest
    first; with `within`, only those reached in a 15-minute walk (`coverage.LIMIT_MIN` at the life circle's pace).
    Without an origin: in the public order, no distance, `within` not applied."""
    places = selectors.places_public()
    if kind in PlaceKind.values:
        places = places.filter(kind=kind)
    found = [(p, selectors.is_open(p)) for p in places]
    if only_open:
        found = [(p, is_open) for p, is_open in found if is_open]
    if origin is None:
        return [NearRow(p, is_open, None, False) for p, is_open in found]
    walks = network.walks_from(origin.lng, origin.lat, [(p.lng, p.lat) for p, _o in found])
    rows: list[NearRow] = []
    for i, (p, is_open) in enumerate(found):
        if walks is not None and math.isfinite(walks[i]):
            rows.append(NearRow(p, is_open, walks[i], True))
        else:
            rows.append(NearRow(p, is_open, _straight_m(origin, p.lng, p.lat), False))
    rows.sort(key=lambda r: r.metres or 0.0)
    if within:  # the 15-minute life circle: along the roads, or as the crow flies where no road is known
        reach = coverage.LIMIT_MIN * walk.WALK_M_PER_MIN
        rows = [r for r in rows if r.metres is not None and r.metres <= reach]
    return rows
