"""Grid and road geometry: GeoJSON polygons and lines in WGS 84 checked and measured with shapely."""

from __future__ import annotations

import itertools
import math
import re
from typing import Any

from django.utils.translation import gettext as _
from shapely import affinity
from shapely.geometry import LineString, Polygon, shape
from shapely.validation import explain_validity

# Metres per degree at the equator; longitude shrinks with cos(latitude).
_M_PER_DEG = 111_320.0


def metres_per_degree(lat: float) -> tuple[float, float]:
    """Metres per degree of longitude and of latitude at `lat`: the local equirectangular projection every measure
    of a shape here uses (multiply a difference of longitudes by the first, of latitudes by the second; fine at the
    scale of a street or a district, not across a country)."""
    return _M_PER_DEG * math.cos(math.radians(lat)), _M_PER_DEG


# Interiors of two grids may share edges; an overlap smaller than this is rounding, not an overlap. Shared edges
# are exact in an import (the same positions) and on the drawing map (a corner snaps onto the neighbour's corner
# or edge, sent at full precision), so what is left is floating-point rounding, far below a square metre.
OVERLAP_TOLERANCE_M2 = 1.0


# A grid's boundary is drawn on every map of its area: a street's grids have tens to a few hundred corners each.
MAX_POSITIONS = 20_000


def _finite(v: Any) -> bool:
    """A number a coordinate can be (an int too large for a float is not: float() overflows)."""
    if isinstance(v, bool) or not isinstance(v, int | float):
        return False
    try:
        return math.isfinite(float(v))
    except OverflowError:
        return False


def polygon_checked(geometry: Any) -> Polygon:
    """The shapely polygon of a GeoJSON Polygon, checked with a message in plain words per kind of fault (no
    rings, a position that is not [longitude, latitude], a ring open or too short, a ring crossing itself, with
    where); ValueError otherwise. An import's row and a grid drawn on the map are checked by it."""
    if not isinstance(geometry, dict) or geometry.get("type") != "Polygon":
        raise ValueError(_("The geometry must be a GeoJSON Polygon."))
    rings = geometry.get("coordinates")
    if not isinstance(rings, list) or not rings or not all(isinstance(r, list) for r in rings):
        raise ValueError(_("The polygon has no coordinates."))
    if sum(len(r) for r in rings) > MAX_POSITIONS:
        raise ValueError(
            _("The boundary has more than %(n)s positions: simplify it first.") % {"n": f"{MAX_POSITIONS:,}"}
        )
    for ring in rings:
        if not all(isinstance(p, list | tuple) and len(p) == 2 and all(_finite(v) for v in p) for p in ring):
            raise ValueError(_("Each position must be [longitude, latitude]."))
        if len(ring) < 4:
            raise ValueError(_("A polygon ring needs at least 4 positions."))
        if list(ring[0][:2]) != list(ring[-1][:2]):
            raise ValueError(_("The ring is not closed: its last position must repeat the first."))
        for p in ring:
            if not (-180 <= p[0] <= 180 and -90 <= p[1] <= 90):
                raise ValueError(
                    _("Position (%(lng)s, %(lat)s) is not a longitude/latitude.") % {"lng": p[0], "lat": p[1]}
                )
    poly = shape(geometry)
    if not poly.is_valid:
        reason = explain_validity(poly)
        m = re.search(r"\[([-\d.eE]+) ([-\d.eE]+)\]", reason)
        where = f"({float(m.group(1)):.6f}, {float(m.group(2)):.6f})" if m else ""
        if "Self-intersection" in reason or "Ring Self" in reason:
            raise ValueError(_("The polygon intersects itself at %(where)s.") % {"where": where})
        raise ValueError(_("The polygon is not valid near %(where)s.") % {"where": where})
    return polygon_from_geojson(geometry)  # the services' own check, so a write cannot fail on it


def polygon_from_geojson(geometry: dict[str, Any]) -> Polygon:
    """Return the shapely polygon of a GeoJSON Polygon, or raise ValueError in plain words."""
    if not isinstance(geometry, dict) or geometry.get("type") != "Polygon":
        raise ValueError(_("The boundary must be a GeoJSON Polygon."))
    coords = geometry.get("coordinates")
    if not coords or not isinstance(coords, list) or not coords[0] or len(coords[0]) < 4:
        raise ValueError(_("A polygon needs a closed ring of at least 4 positions."))
    ring = coords[0]
    if list(ring[0]) != list(ring[-1]):
        raise ValueError(_("The polygon ring is not closed: its first and last positions differ."))
    poly = shape(geometry)
    if not isinstance(poly, Polygon):
        raise ValueError(_("The boundary must be a GeoJSON Polygon."))
    for lng, lat in poly.exterior.coords:
        if not (-180 <= lng <= 180 and -90 <= lat <= 90):
            raise ValueError(
                _("Position (%(lng)s, %(lat)s) is not a longitude/latitude.") % {"lng": lng, "lat": lat}
            )
    if not poly.is_valid:
        raise ValueError(
            _("The polygon is not valid (%(reason)s), for example it intersects itself.")
            % {"reason": explain_validity(poly)}
        )
    return poly


def area_m2(poly: Polygon) -> float:
    """Approximate area in square metres (equirectangular projection at the centroid; fine at grid scale)."""
    kx, ky = metres_per_degree(poly.centroid.y)
    return float(poly.area * kx * ky)


def area_m2_of(geom: Any) -> float:
    """Area in square metres of any (multi)polygon result of an intersection."""
    if geom.is_empty or geom.area == 0:
        return 0.0
    polys = [geom] if isinstance(geom, Polygon) else [g for g in getattr(geom, "geoms", []) if g.area > 0]
    return sum(area_m2(p) if isinstance(p, Polygon) else area_m2_of(p) for p in polys)


def distance_m_between(a: Any, b: Any) -> float:
    """Approximate distance in metres between two shapes (equirectangular projection at `a`'s centre; fine at the
    scale of a community)."""
    kx, ky = metres_per_degree(a.centroid.y)
    return float(affinity.scale(a, kx, ky, origin=(0, 0)).distance(affinity.scale(b, kx, ky, origin=(0, 0))))


def geometry_fields(geometry: dict[str, Any]) -> dict[str, float]:
    """Derived columns stored on a grid: bounding box, centroid and area."""
    poly = polygon_from_geojson(geometry)
    min_lng, min_lat, max_lng, max_lat = poly.bounds
    c = poly.centroid
    return {
        "min_lng": min_lng,
        "min_lat": min_lat,
        "max_lng": max_lng,
        "max_lat": max_lat,
        "centroid_lng": c.x,
        "centroid_lat": c.y,
        "area_m2": area_m2(poly),
    }


def distance_m(lng1: float, lat1: float, lng2: float, lat2: float) -> float:
    """Great-circle distance in metres."""
    r = 6_371_000.0
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lng2 - lng1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * r * math.asin(math.sqrt(a))


def line_from_geojson(geometry: Any) -> LineString:
    """Return the shapely line of a GeoJSON LineString (2+ distinct longitude/latitude positions), or raise
    ValueError in plain words."""
    if not isinstance(geometry, dict) or geometry.get("type") != "LineString":
        raise ValueError(_("The geometry must be a GeoJSON LineString."))
    coords = geometry.get("coordinates")
    if not isinstance(coords, list) or len(coords) < 2:
        raise ValueError(_("A line needs at least 2 positions."))
    for position in coords:
        if (
            not isinstance(position, list | tuple)
            or len(position) < 2
            or not all(isinstance(v, int | float) and math.isfinite(v) for v in position[:2])
        ):
            raise ValueError(_("Each position must be [longitude, latitude]."))
        lng, lat = position[0], position[1]
        if not (-180 <= lng <= 180 and -90 <= lat <= 90):
            raise ValueError(
                _("Position (%(lng)s, %(lat)s) is not a longitude/latitude.") % {"lng": lng, "lat": lat}
            )
    line = LineString([(p[0], p[1]) for p in coords])
    if line.length == 0:
        raise ValueError(_("The line has no length: its positions are all the same."))
    return line


def line_length_m(line: LineString) -> float:
    """Length in metres, the sum of the great-circle distances between successive positions."""
    coords = list(line.coords)
    return sum(distance_m(*a[:2], *b[:2]) for a, b in itertools.pairwise(coords))
