"""The walking network and the walking circle (15分钟生活圈), computed on the roads, not as the crow flies.

The roads (territory.Road: GeoJSON LineStrings whose stretches share end points at junctions) become a sparse
graph: every vertex of every line is a node, every segment an edge weighted by its length in metres. A place
enters the network at the nearest point of the nearest segment (the walk from the door to that point counts).
Shortest walking distances come from Dijkstra (scipy.sparse.csgraph), cut at the longest walk asked for. The
area reached in t minutes is the reached part of every edge (a whole edge, or the part walked from either end),
buffered by half a street's depth and merged into one polygon (shapely), in a local metric plane.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import dijkstra
from shapely import LineString, MultiPolygon, Polygon, unary_union
from shapely.geometry import mapping

WALK_M_PER_MIN = 75.0  # 4.5 km/h, an elderly resident's pace used by the 15-minute life circle standard
MINUTES = (5, 10, 15)
FRONTAGE_M = 60.0  # the depth either side of a street that counts as reached (the buildings along it)
_EARTH_R = 6371008.8


@dataclass(frozen=True)
class Plane:
    """An equirectangular projection around a reference latitude: metres east and north, good to a few km."""

    lng0: float
    lat0: float

    def to_xy(self, lng: float, lat: float) -> tuple[float, float]:
        k = math.cos(math.radians(self.lat0))
        return (
            math.radians(lng - self.lng0) * _EARTH_R * k,
            math.radians(lat - self.lat0) * _EARTH_R,
        )

    def to_lnglat(self, x: float, y: float) -> tuple[float, float]:
        k = math.cos(math.radians(self.lat0))
        return (
            self.lng0 + math.degrees(x / (_EARTH_R * k)),
            self.lat0 + math.degrees(y / _EARTH_R),
        )


@dataclass
class Network:
    """Nodes (metric x, y) and undirected segments (a, b, length in metres)."""

    plane: Plane
    xy: np.ndarray  # shape (n, 2)
    seg_a: np.ndarray
    seg_b: np.ndarray
    seg_len: np.ndarray
    _matrix: object = field(default=None, repr=False)

    @property
    def size(self) -> int:
        return int(self.xy.shape[0])


def network_build(lines: Iterable[Sequence[Sequence[float]]]) -> Network | None:
    """The graph of a set of polylines (lists of [lng, lat]); None when there is no line at all."""
    lines = [line for line in lines if len(line) >= 2]
    if not lines:
        return None
    lngs = [p[0] for line in lines for p in line]
    lats = [p[1] for line in lines for p in line]
    plane = Plane((min(lngs) + max(lngs)) / 2, (min(lats) + max(lats)) / 2)
    index: dict[tuple[float, float], int] = {}
    xy: list[tuple[float, float]] = []
    seg_a: list[int] = []
    seg_b: list[int] = []

    def node(p: Sequence[float]) -> int:
        key = (round(float(p[0]), 7), round(float(p[1]), 7))  # ~1 cm: shared end points meet exactly
        found = index.get(key)
        if found is None:
            found = index[key] = len(xy)
            xy.append(plane.to_xy(key[0], key[1]))
        return found

    for line in lines:
        prev = node(line[0])
        for p in line[1:]:
            cur = node(p)
            if cur != prev:
                seg_a.append(prev)
                seg_b.append(cur)
            prev = cur
    coords = np.array(xy, dtype=float)
    a = np.array(seg_a, dtype=np.int64)
    b = np.array(seg_b, dtype=np.int64)
    lengths = np.hypot(*(coords[a] - coords[b]).T) if len(a) else np.zeros(0)
    return Network(plane, coords, a, b, lengths)


@dataclass(frozen=True)
class Entry:
    """Where a point joins the network: the segment, the distance along it from its end a, and the walk to it."""

    segment: int
    along_m: float
    offset_m: float


def entry_for(net: Network, lng: float, lat: float) -> Entry | None:
    """The nearest point of the network to (lng, lat)."""
    if len(net.seg_a) == 0:
        return None
    px, py = net.plane.to_xy(lng, lat)
    a = net.xy[net.seg_a]
    d = net.xy[net.seg_b] - a
    seg2 = np.maximum((d**2).sum(axis=1), 1e-12)
    t = np.clip(((px - a[:, 0]) * d[:, 0] + (py - a[:, 1]) * d[:, 1]) / seg2, 0.0, 1.0)
    near = a + d * t[:, None]
    dist = np.hypot(near[:, 0] - px, near[:, 1] - py)
    i = int(np.argmin(dist))
    return Entry(i, float(t[i] * net.seg_len[i]), float(dist[i]))


def matrix(net: Network) -> object:
    if net._matrix is None:
        n = net.size
        rows = np.concatenate([net.seg_a, net.seg_b])
        cols = np.concatenate([net.seg_b, net.seg_a])
        # A zero-length segment would vanish from a sparse matrix; walk it as a millimetre.
        w = np.maximum(np.concatenate([net.seg_len, net.seg_len]), 1e-3)
        net._matrix = coo_matrix((w, (rows, cols)), shape=(n, n)).tocsr()
    return net._matrix


def distances_from(net: Network, entry: Entry, limit_m: float) -> np.ndarray:
    """Walking metres from the entry's point to every node (inf beyond `limit_m`), the walk to the entry included."""
    a, b = int(net.seg_a[entry.segment]), int(net.seg_b[entry.segment])
    length = float(net.seg_len[entry.segment])
    # Dijkstra from both ends of the entry segment, each started at its distance from the entry point.
    dist = dijkstra(matrix(net), directed=False, indices=[a, b], limit=limit_m)
    start_a = entry.offset_m + entry.along_m
    start_b = entry.offset_m + (length - entry.along_m)
    best: np.ndarray = np.minimum(dist[0] + start_a, dist[1] + start_b)
    best[best > limit_m] = np.inf
    return best


def _pieces(net: Network, dist: np.ndarray, entry: Entry, limit_m: float) -> list[LineString]:
    """The reached part of every segment within `limit_m`: whole, or walked in from one end or both."""
    pieces: list[LineString] = []
    da = dist[net.seg_a]
    db = dist[net.seg_b]
    for i in np.nonzero((da <= limit_m) | (db <= limit_m) | (np.arange(len(da)) == entry.segment))[0]:
        a = net.xy[net.seg_a[i]]
        b = net.xy[net.seg_b[i]]
        length = float(net.seg_len[i])
        if length <= 0:
            continue
        ra = max(0.0, limit_m - float(da[i])) if np.isfinite(da[i]) else 0.0
        rb = max(0.0, limit_m - float(db[i])) if np.isfinite(db[i]) else 0.0
        if i == entry.segment:  # walked both ways from the entry point
            left = max(0.0, limit_m - entry.offset_m)
            ra = max(ra, min(entry.along_m, left) if left > 0 else 0.0)
            lo = max(0.0, entry.along_m - left) if left > 0 else entry.along_m
            hi = min(length, entry.along_m + left) if left > 0 else entry.along_m
            spans = [(0.0, ra), (lo, hi), (length - rb, length)]
        else:
            spans = [(0.0, ra), (length - rb, length)]
        if ra + rb >= length:
            spans = [(0.0, length)]
        for s0, s1 in spans:
            if s1 - s0 > 0.01:
                p0 = a + (b - a) * (s0 / length)
                p1 = a + (b - a) * (s1 / length)
                pieces.append(LineString([tuple(p0), tuple(p1)]))
    return pieces


def circle_polygon(net: Network, dist: np.ndarray, entry: Entry, limit_m: float) -> dict | None:
    """The reached area within `limit_m` as a GeoJSON (Multi)Polygon in lng/lat, or None if nothing is reached."""
    pieces = _pieces(net, dist, entry, limit_m)
    if not pieces:
        return None
    shape = unary_union([p.buffer(FRONTAGE_M, quad_segs=4) for p in pieces]).simplify(5.0)
    polys = list(shape.geoms) if isinstance(shape, MultiPolygon) else [shape]
    out = []
    for poly in polys:
        if not isinstance(poly, Polygon) or poly.is_empty:
            continue
        out.append(
            Polygon(
                [net.plane.to_lnglat(x, y) for x, y in poly.exterior.coords],
                [[net.plane.to_lnglat(x, y) for x, y in ring.coords] for ring in poly.interiors],
            )
        )
    if not out:
        return None
    geom = out[0] if len(out) == 1 else MultiPolygon(out)
    return dict(mapping(geom))


@dataclass(frozen=True)
class Targets:
    """Where many points join the network, as arrays: segment (-1 when there is no network), metres along it from
    its end a, and the walk from the point to it."""

    seg: np.ndarray
    along: np.ndarray
    offset: np.ndarray


def targets_for(net: Network, points: Sequence[tuple[float, float]]) -> Targets:
    entries = [entry_for(net, lng, lat) for lng, lat in points]
    return Targets(
        np.array([e.segment if e else -1 for e in entries], dtype=np.int64),
        np.array([e.along_m if e else 0.0 for e in entries], dtype=float),
        np.array([e.offset_m if e else np.inf for e in entries], dtype=float),
    )


def walk_to(net: Network, dist: np.ndarray, targets: Targets, source: Entry | None = None) -> np.ndarray:
    """Walking metres from the source(s) of `dist` (one row of node distances, or one row per source) to every
    target: to either end of the target's segment, along it, then to the point. With `source` (one row), a
    target on the source's own segment may also walk straight along it, never through its ends."""
    seg = np.where(targets.seg >= 0, targets.seg, 0)
    rest = net.seg_len[seg] - targets.along
    metres: np.ndarray = (
        np.minimum(dist[..., net.seg_a[seg]] + targets.along, dist[..., net.seg_b[seg]] + rest)
        + targets.offset
    )
    if source is not None:
        same = targets.seg == source.segment
        metres[same] = np.minimum(
            metres[same],
            source.offset_m + np.abs(source.along_m - targets.along[same]) + targets.offset[same],
        )
    return metres
