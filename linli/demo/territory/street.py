"""The demo street's plan: its place, communities and compounds, roads, and the geometry that cuts it into
blocks and grids."""

from __future__ import annotations

import itertools
import math
import random
from dataclasses import dataclass
from typing import Any

from shapely import STRtree
from shapely.geometry import LineString, MultiPoint, Point, Polygon
from shapely.geometry.polygon import orient
from shapely.ops import snap, split, unary_union

# The street's rectangle (WGS 84): about 2.6 km east-west by 2.2 km north-south, east of the 3rd Ring Road.
STREET_BOUNDS = (116.455, 39.910, 116.485, 39.930)
DISTRICT = ("朝阳区", "110105")
STREET = ("金台街道", "110105021")
# Each community and its compounds (小区). A building's address is its compound's name and number (光华西里3号楼);
# no compound name ends another's, so the normalised address of one building never contains another's.
COMMUNITIES = [
    ("金台里社区", ["金台里小区", "金台西里", "金台北街小区", "金台东里", "金桐苑", "瑞祥里"]),
    ("光华里社区", ["光华里小区", "光华东里", "光华西里", "光华南里", "嘉盛园", "秀水园"]),
    ("延静里社区", ["延静里小区", "延静东里", "延静西里", "枣营北里", "枣营南里", "幸福家园"]),
    ("红庙社区", ["红庙北里", "红庙南里", "红庙东街小区", "核桃园北里", "核桃园西里", "和谐雅园"]),
    ("甜水园社区", ["甜水园北里", "甜水园东里", "甜水园西里", "水碓子东里", "水碓子西里", "团结湖东里"]),
]
CN_ORDINALS = "一二三四五六七八九十"
# Square metres per degree near Beijing, for aspect ratios only.
_KX = 111_320.0 * math.cos(math.radians(39.92))
_KY = 111_320.0

Rect = tuple[float, float, float, float]  # west, south, east, north

# --- geometry -----------------------------------------------------------------------------------------------


def _cuts(rng: random.Random, lo: float, hi: float, n: int, jitter: float = 0.3) -> list[float]:
    """n+1 increasing positions from lo to hi: n bands of somewhat different widths, rounded to ~0.1 m."""
    weights = [1.0 + rng.uniform(-jitter, jitter) for _ in range(n)]
    total = sum(weights)
    out, acc = [lo], lo
    for w in weights[:-1]:
        acc += (hi - lo) * w / total
        out.append(round(acc, 6))
    out.append(hi)
    return out


def _even(total: int, parts: int) -> list[int]:
    base, extra = divmod(total, parts)
    return [base + (1 if i < extra else 0) for i in range(parts)]


# Roads named west to east (running north-south) and south to north (running east-west). The outermost are the
# arterial roads that bound the street; every other inner road is a secondary road, the rest branch roads.
NS_ROADS = [
    "东三环中路",
    "金台路",
    "光华东路",
    "甜水园街",
    "延静西街",
    "水碓子东路",
    "红庙北路",
    "东四环中路",
]
EW_ROADS = ["建国路", "光华路", "枣营路", "核桃园路", "金台北街", "团结湖路", "朝阳北路"]
EXTRA_ROADS = ["秀水街", "嘉盛路", "瑞祥路", "幸福路", "和谐路", "金桐路", "延静东街", "枣营南路"]


@dataclass
class StreetPlan:
    """The generated street: road stretches (junction to junction, shared end positions) and the compounds'
    polygons (one per block between roads, each touching the next: see `_walk`)."""

    roads: list[dict[str, Any]]
    blocks: list[Polygon]


def _lattice(n: int, aspect: float) -> tuple[int, int]:
    """Columns × rows of blocks, at least n of them, about as wide as the street (aspect = width / height)."""
    best: tuple[float, int, int] | None = None
    for rows in range(1, n + 1):
        cols = math.ceil(n / rows)
        score = abs(math.log((cols / rows) / aspect)) + 0.35 * (cols * rows - n)
        if best is None or score < best[0]:
            best = (score, cols, rows)
    assert best is not None
    return best[1], best[2]


def _bend(
    rng: random.Random, a: tuple[float, float], b: tuple[float, float], amount: float
) -> list[list[float]]:
    """The line from a to b with one or two gentle bends sideways (no more than `amount` of its length)."""
    (x1, y1), (x2, y2) = a, b
    dx, dy = (x2 - x1) * _KX, (y2 - y1) * _KY
    length = math.hypot(dx, dy)
    nx, ny = -dy / length / _KX * length, dx / length / _KY * length  # the normal, scaled to the length (deg)
    points = [[x1, y1]]
    for t in sorted(rng.uniform(0.25, 0.75) for _i in range(rng.choice((1, 2)))):
        off = rng.uniform(-amount, amount)
        points.append([round(x1 + (x2 - x1) * t + nx * off, 6), round(y1 + (y2 - y1) * t + ny * off, 6)])
    points.append([x2, y2])
    return points


def _walk(cols: int, rows: int) -> list[tuple[int, int]]:
    """Every block (column, row) once, each next to the one before. With an odd number of rows the walk goes up
    and down bands two columns wide, so that a run of six blocks is a compact patch rather than a strip; with an
    odd number of columns the same across; otherwise row by row, back and forth."""
    if rows % 2 == 1 and cols >= 4:
        out = []
        for band, c0 in enumerate(range(0, cols, 2)):
            for k, j in enumerate(range(rows) if band % 2 == 0 else range(rows - 1, -1, -1)):
                columns = list(range(c0, min(c0 + 2, cols)))
                out += [(i, j) for i in (columns[::-1] if k % 2 else columns)]
        return out
    if cols % 2 == 1 and rows >= 4:
        return [(i, j) for j, i in _walk(rows, cols)]
    return [(i, j) for j in range(rows) for i in (range(cols) if j % 2 == 0 else range(cols - 1, -1, -1))]


def plan_street(rng: random.Random, bounds: Rect, blocks: int) -> StreetPlan:
    """A street network over `bounds`: a bent lattice of named roads whose junctions are moved off the straight
    lines, with one road ending at a T-junction, and the blocks between the roads merged down to `blocks`."""
    west, south, east, north = bounds
    cols, rows = _lattice(blocks, ((east - west) * _KX) / ((north - south) * _KY))
    xs, ys = _cuts(rng, west, east, cols, 0.3), _cuts(rng, south, north, rows, 0.3)
    # Junctions: inner ones moved up to a sixth of the neighbouring blocks' size; those on the street's edge only
    # along the edge, so the street keeps its outline.
    widths = [b - a for a, b in itertools.pairwise(xs)]
    heights = [b - a for a, b in itertools.pairwise(ys)]
    junction: dict[tuple[int, int], tuple[float, float]] = {}
    for i, x in enumerate(xs):
        for j, y in enumerate(ys):
            w = min(widths[max(i - 1, 0) : i + 1])
            h = min(heights[max(j - 1, 0) : j + 1])
            jx = 0.0 if i in (0, cols) else rng.uniform(-w, w) / 6
            jy = 0.0 if j in (0, rows) else rng.uniform(-h, h) / 6
            junction[(i, j)] = (round(x + jx, 6), round(y + jy, 6))
    edges: dict[tuple[tuple[int, int], tuple[int, int]], list[list[float]]] = {}
    for (i, j), p in junction.items():
        for q in ((i + 1, j), (i, j + 1)):
            if q in junction:
                outer = (q[1] == j and j in (0, rows)) or (q[0] == i and i in (0, cols))
                a, b = p, junction[q]
                edges[((i, j), q)] = [list(a), list(b)] if outer else _bend(rng, a, b, 0.06)
    roads: list[dict[str, Any]] = []

    def road(name: str, kind: str, stretches: list[list[list[float]]], prefix: str) -> None:
        for n, coords in enumerate(stretches, start=1):
            roads.append(
                {
                    "code": f"{prefix}-{n:02d}",
                    "name": name,
                    "kind": kind,
                    "geometry": {"type": "LineString", "coordinates": coords},
                }
            )

    # Past the spare names, the planners' numbered names (规划1路 …), as unnamed new roads have.
    spare = itertools.chain(EXTRA_ROADS, (f"规划{n}路" for n in itertools.count(1)))

    def name_of(names: list[str], k: int, last: int) -> str:
        """The k-th of `last + 1` parallel roads: the outer ones take the list's ends, the inner ones its middle,
        then spare names."""
        if k in (0, last):
            return names[0] if k == 0 else names[-1]
        return names[k] if k < len(names) - 1 else next(spare)

    for i in range(cols + 1):
        kind = "arterial" if i in (0, cols) else "secondary" if i % 2 else "branch"
        stretches = [edges[((i, j), (i, j + 1))] for j in range(rows)]
        road(name_of(NS_ROADS, i, cols), kind, stretches, f"NS{i:02d}")
    for j in range(rows + 1):
        kind = "arterial" if j in (0, rows) else "secondary" if j % 2 else "branch"
        stretches = [edges[((i, j), (i + 1, j))] for i in range(cols)]
        road(name_of(EW_ROADS, j, rows), kind, stretches, f"EW{j:02d}")
    # Blocks in an order where each one touches the next, so that a run of them (a community) is one piece.
    cells: list[Polygon] = []
    for i, j in _walk(cols, rows):
        ring = (
            edges[((i, j), (i + 1, j))]
            + edges[((i + 1, j), (i + 1, j + 1))][1:]
            + edges[((i, j + 1), (i + 1, j + 1))][::-1][1:]
            + edges[((i, j), (i, j + 1))][::-1][1:]
        )
        cells.append(Polygon(ring))
    # More blocks than compounds: a few neighbours are one compound (the road between them is its inner road).
    while len(cells) > blocks:
        k = rng.randrange(len(cells) - 1)
        merged = unary_union([cells[k], cells[k + 1]])
        assert isinstance(merged, Polygon)
        cells[k : k + 2] = [merged]
    return StreetPlan(roads=roads, blocks=cells)


def split_polygon(rng: random.Random, poly: Polygon, k: int) -> list[Polygon]:
    """k pieces that tile `poly` exactly, of about equal area: cut across its longer side by a slightly slanted
    lane (placed by bisection on the area), then each side again."""
    if k <= 1:
        return [poly]
    left_k = k // 2
    w, s, e, n = poly.bounds
    across_x = (e - w) * _KX >= (n - s) * _KY  # wider than tall: cut with a north-south lane
    slant = rng.uniform(-0.12, 0.12)

    def cut(t: float) -> list[Polygon]:
        if across_x:
            x = w + (e - w) * t
            d = (n - s) * slant * _KY / _KX
            line = LineString([(x - d, s - 1e-3), (x + d, n + 1e-3)])
        else:
            y = s + (n - s) * t
            d = (e - w) * slant * _KX / _KY
            line = LineString([(w - 1e-3, y - d), (e + 1e-3, y + d)])
        pieces = [g for g in split(poly, line).geoms if isinstance(g, Polygon)]
        key = (lambda p: p.centroid.x) if across_x else (lambda p: p.centroid.y)
        return sorted(pieces, key=key)

    target = left_k / k
    lo, hi = 0.05, 0.95
    for _i in range(24):
        mid = (lo + hi) / 2
        pieces = cut(mid)
        share = pieces[0].area / poly.area if len(pieces) == 2 else mid
        lo, hi = (mid, hi) if share < target else (lo, mid)
    pieces = cut((lo + hi) / 2)
    if len(pieces) != 2:  # an odd shape the lane would cut in three: split it straight at the middle instead
        slant = 0.0
        pieces = cut(0.5)
    return split_polygon(rng, pieces[0], left_k) + split_polygon(rng, pieces[1], k - left_k)


def join_corners(polygons: list[Polygon]) -> list[Polygon]:
    """The polygons with each neighbour's corner that lies on one of their edges made a corner of theirs too
    (where a lane meets a road, the grids across the road get that point): neighbours then share every point of
    their common edges, and their union has no hairline between them."""
    tree = STRtree(polygons)
    out = []
    for i, poly in enumerate(polygons):
        near = [polygons[int(j)] for j in tree.query(poly.buffer(1e-7)) if int(j) != i]
        corners = MultiPoint([c for other in near for c in other.exterior.coords])
        joined = snap(poly, corners, 1e-9)
        out.append(joined if isinstance(joined, Polygon) and joined.is_valid else poly)
    return out


def polygon_geojson(poly: Polygon) -> dict[str, Any]:
    # Kept to 9 decimals (0.1 mm): a lane's end on a block's edge stays on that edge, with no sliver between.
    ring = [[round(x, 9), round(y, 9)] for x, y in orient(poly, 1.0).exterior.coords]
    return {"type": "Polygon", "coordinates": [ring]}


def points_inside_polygon(rng: random.Random, poly: Polygon, m: int) -> list[tuple[float, float]]:
    """m points well inside `poly` (about 15 m from its edge) and apart from each other where room allows."""
    inner = poly.buffer(-15 / _KY)
    if inner.is_empty or inner.area < poly.area * 0.05:
        inner = poly.buffer(-3 / _KY)
    w, s, e, n = inner.bounds
    out: list[tuple[float, float]] = []
    gap = 30 / _KY
    for attempt in range(4000):
        x, y = rng.uniform(w, e), rng.uniform(s, n)
        if not inner.contains(Point(x, y)):
            continue
        if attempt < 3000 and any(math.hypot((x - a) * _KX / _KY, y - b) < gap for a, b in out):
            continue
        out.append((round(x, 6), round(y, 6)))
        if len(out) == m:
            break
    return out


def _compound_name(names: list[str], k: int) -> str:
    """The k-th compound of a community; past its list of names, the names again as second, third … areas."""
    base, lap = names[k % len(names)], k // len(names)
    return base if lap == 0 else f"{base}{CN_ORDINALS[min(lap, 9)]}区"
