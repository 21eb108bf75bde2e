"""The demo district: one realistic street in 北京市朝阳区 around (116.47 E, 39.92 N).

`demo_build()` makes, in one transaction and from one random seed: a street network of named roads (a bent
lattice: arterial roads round the street, secondary and branch roads inside, kept as territory `Road`s, one
stretch per junction-to-junction line); the org tree (district → street → about 5 communities, each a compact
patch of blocks → about 30 compounds, each a block between roads); about 200 grids splitting the blocks along
inner lanes, tiling the street without overlapping; buildings well inside each grid (mostly six-storey slabs)
whose floors × entrances × homes per floor house the residents with one home in ten empty, households at
addresses like 光华西里3号楼2单元502; about 20,000 residents (marked `is_demo`)
with plausible names, an age pyramid, valid ID numbers and mobile numbers, tags and care levels; the party
organisations, about 600 members, member registrations (双报到) with posts and beacon households; 10 departments,
partner units and property companies; and a staff account for every role, all sharing one password.

Small org structures go through the territory and party services (and so through their rules), the staff
accounts through accounts' `staff_create` (one password hash shared); the bulk of the data (buildings,
households, residents) is validated with territory's helpers (`resident_clean`, `resident_build`) and written
with bulk_create for speed. Everything scales with `scale` (`0.05` builds a small district for tests). Later
areas add their own demo parts (see `linli.demo.parts`) that read the result (`DemoDistrict`).
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
import random
import secrets
import time
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from shapely import STRtree
from shapely.geometry import LineString, MultiPoint, Point, Polygon
from shapely.geometry.polygon import orient
from shapely.ops import snap, split, unary_union

from linli.accounts.models import User
from linli.accounts.services import staff_create
from linli.core.errors import Conflict, ValidationFailed
from linli.core.roles import Role
from linli.core.validators import id_check_digit
from linli.party import services as party
from linli.party.choices import PartyOrgKind, RegistrationStatus, Specialty
from linli.party.models import MemberRegistration, PartyMember, PartyOrg
from linli.territory import services as territory
from linli.territory.addresses import normalize_address
from linli.territory.choices import NodeKind, OrganisationKind
from linli.territory.models import Building, Entrance, Grid, Household, Organisation, OrgNode, Resident

if TYPE_CHECKING:
    from .parts import DemoRun

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

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
    "姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严武戴孔汤"
)
# Roughly the national frequencies: the first few surnames are far commoner than the rest.
SURNAME_WEIGHTS = [max(1.0, 7.5 - 0.35 * i) for i in range(len(SURNAMES))]
GIVEN = {
    # (born before 1960, 1960–1989, 1990 on) × (male, female): full given names and characters to combine.
    ("old", "male"): ["建国", "国强", "志刚", "振华", "德明", "宝山", "福生", "玉林", "长海", "文斌", "树林", "学军"],
    ("old", "female"): ["秀英", "桂兰", "淑珍", "玉兰", "凤英", "秀兰", "桂英", "淑英", "素芳", "美兰", "玉珍", "秀珍"],
    ("mid", "male"): ["伟", "强", "磊", "军", "勇", "杰", "涛", "斌", "超", "明", "刚", "鹏", "建华", "志强", "海涛",
                      "晓东", "宏伟", "立新", "永刚", "建军"],
    ("mid", "female"): ["丽", "静", "敏", "燕", "艳", "娟", "霞", "芳", "红梅", "丽娟", "晓燕", "海燕", "春梅",
                        "雪梅", "婷", "丽华", "小红", "慧"],
    ("young", "male"): ["浩然", "子轩", "宇航", "俊杰", "一鸣", "博文", "思远", "浩宇", "睿", "子墨", "宇轩",
                        "天佑", "明轩", "皓轩", "梓豪", "嘉懿"],
    ("young", "female"): ["欣怡", "梓涵", "雨涵", "子涵", "诗涵", "可欣", "思琪", "佳怡", "雨桐", "一诺", "梦瑶",
                          "语嫣", "若曦", "欣妍", "紫萱", "雅琪"],
}  # fmt: skip
GIVEN_CHARS = {
    "male": ("建志国文明永海俊宏振德晓子浩宇博天嘉", "华强军伟平东峰林辉涛杰鹏轩然航豪睿阳"),
    "female": ("秀丽美春晓海雪静欣雨诗梦佳思婉", "英兰芳梅燕红霞娟婷怡涵琪萱瑶妍彤"),
}
# Where residents' ID numbers were issued: mostly Beijing, the rest from across the country.
ID_REGIONS = ["110105"] * 8 + ["110101", "110102", "110108", "110106"] * 2 + [
    "130102", "370102", "410105", "420106", "510104", "230102", "340104", "320102", "610103", "210102",
    "140105", "360102", "430102", "500103", "350102", "220102",
]  # fmt: skip
MOBILE_PREFIXES = [
    "130", "131", "132", "133", "135", "136", "137", "138", "139", "150", "151", "152", "153", "155", "156",
    "157", "158", "159", "166", "173", "177", "180", "181", "182", "183", "185", "186", "187", "188", "189",
    "191", "199",
]  # fmt: skip
# (code, short code for the user name, name, duties)
DEPARTMENTS = [
    ("CGW", "城管委", "朝阳区城市管理委员会", "市容环境、违法建设、占道经营、环境卫生、园林绿化"),
    ("ZJW", "住建委", "朝阳区住房和城乡建设委员会", "物业管理、房屋安全、施工扰民、老旧小区改造"),
    ("SWJ", "水务局", "朝阳区水务局", "供水、排水、污水、防汛"),
    ("JTW", "交通委", "朝阳区交通委员会", "道路交通、停车管理、公交站点、共享单车"),
    ("SCJGJ", "市场监管局", "朝阳区市场监督管理局", "食品安全、价格、消费纠纷、特种设备"),
    ("STHJJ", "生态环境局", "朝阳区生态环境局", "大气、噪声、油烟、污水排放"),
    ("WJW", "卫健委", "朝阳区卫生健康委员会", "医疗服务、公共卫生、计划免疫"),
    ("MZJ", "民政局", "朝阳区民政局", "养老服务、社会救助、残疾人福利、社会组织"),
    ("GAFJ", "公安分局", "北京市公安局朝阳分局", "治安、户籍、交通秩序、消防协查"),
    ("GDGS", "供电公司", "国网北京朝阳供电公司", "供电抢修、电力设施、电费"),
]
PARTNER_UNITS = [
    "北京市第九十四中学",
    "朝阳区金台社区卫生服务中心",
    "北京银行光华路支行",
    "京华律师事务所",
    "北京热力集团朝阳分公司",
    "中建一局集团第三建筑公司",
    "北京市朝阳区图书馆",
    "光华路邮政支局",
]
PROPERTY_COMPANIES = [
    ("北京金台物业管理有限公司", "party-led"),
    ("北京光华安居物业服务有限公司", ""),
    ("首开鸿城物业朝阳项目部", "party-led"),
    ("北京红庙佳园物业管理有限公司", ""),
]
SOCIAL_ORGANISATIONS = ["金台街道志愿者协会", "朝阳区阳光社会工作事务所"]
WORKPLACES = [
    ("首都医科大学附属北京朝阳医院", Specialty.MEDICAL),
    ("北京市朝阳区中医医院", Specialty.MEDICAL),
    ("北京市朝阳区人民法院", Specialty.LEGAL),
    ("京华律师事务所", Specialty.LEGAL),
    ("北京市第八十中学", Specialty.EDUCATION),
    ("朝阳区实验小学", Specialty.EDUCATION),
    ("中国建设银行北京朝阳支行", Specialty.FINANCE),
    ("朝阳区税务局", Specialty.FINANCE),
    ("中国移动北京公司", Specialty.IT),
    ("北京数字政通科技有限公司", Specialty.IT),
    ("北京城建集团", Specialty.ENGINEERING),
    ("国网北京朝阳供电公司", Specialty.ENGINEERING),
    ("朝阳区文化馆", Specialty.CULTURE),
    ("朝阳区心理援助热线中心", Specialty.PSYCHOLOGY),
    ("朝阳区发展和改革委员会", Specialty.OTHER),
    ("北京市朝阳区商务局", Specialty.OTHER),
]
POSTS = {
    Specialty.LEGAL: "法律咨询志愿者",
    Specialty.MEDICAL: "健康咨询志愿者",
    Specialty.EDUCATION: "课业辅导志愿者",
    Specialty.ENGINEERING: "设施巡查员",
    Specialty.PSYCHOLOGY: "矛盾调解志愿者",
    Specialty.CULTURE: "文体活动组织员",
    Specialty.IT: "智能手机助老志愿者",
    Specialty.FINANCE: "防诈骗宣传员",
    Specialty.OTHER: "楼门长助理",
}
DEMO_SEED = 20260101
MAX_SCALE = 5.0
# Square metres per degree near Beijing, for aspect ratios only.
_KX = 111_320.0 * math.cos(math.radians(39.92))
_KY = 111_320.0

Rect = tuple[float, float, float, float]  # west, south, east, north


@dataclass
class DemoDistrict:
    """What `demo_build` made: the main objects for later demo parts, counts, and the staff sign-in list."""

    district: OrgNode
    street: OrgNode
    communities: list[OrgNode]
    compounds: list[OrgNode]
    grids: list[Grid]
    departments: list[Organisation]
    password: str
    usernames: dict[str, list[str]]
    counts: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    step_seconds: dict[str, float] = field(default_factory=dict)  # time taken by each build step


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


# --- people ---------------------------------------------------------------------------------------------------


class _People:
    """Names, ID numbers and phones for generated residents; ID numbers and phones are unique."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.ids: set[str] = set()
        self.phones: set[str] = set()

    def surname(self) -> str:
        return self.rng.choices(SURNAMES, weights=SURNAME_WEIGHTS)[0]

    def given(self, gender: str, year: int) -> str:
        era = "old" if year < 1960 else "mid" if year < 1990 else "young"
        if self.rng.random() < 0.6:
            return self.rng.choice(GIVEN[(era, gender)])
        first, second = GIVEN_CHARS[gender]
        name = self.rng.choice(first) + self.rng.choice(second)
        return name[:1] if era == "mid" and self.rng.random() < 0.3 else name

    def name(self, gender: str, year: int, surname: str | None = None) -> str:
        return (surname or self.surname()) + self.given(gender, year)

    def id_number(self, birth: dt.date, gender: str) -> str:
        while True:
            region = self.rng.choice(ID_REGIONS)
            seq = self.rng.randrange(0, 500) * 2 + (1 if gender == "male" else 0)
            first17 = f"{region}{birth:%Y%m%d}{seq:03d}"
            number = first17 + id_check_digit(first17)
            if number not in self.ids:
                self.ids.add(number)
                return number

    def mobile(self) -> str:
        while True:
            number = self.rng.choice(MOBILE_PREFIXES) + f"{self.rng.randrange(10**8):08d}"
            if number not in self.phones:
                self.phones.add(number)
                return number


@dataclass
class _Person:
    gender: str
    age: int
    relation: str
    surname: str | None = None


def _household_members(rng: random.Random) -> list[_Person]:
    """One household's make-up, drawn so that the whole street has a realistic age pyramid (about 2.7 each)."""
    g = rng.choice(("male", "female"))
    other = "female" if g == "male" else "male"
    kind = rng.choices(
        ["elderly_alone", "elderly_couple", "single", "young_couple", "family", "three_gen", "empty_nest"],
        weights=[6, 12, 13, 12, 28, 12, 17],
    )[0]
    if kind == "elderly_alone":
        return [_Person(rng.choices(("female", "male"), weights=(3, 2))[0], rng.randint(65, 94), "户主")]
    if kind == "elderly_couple":
        a = rng.randint(62, 90)
        return [_Person("male", a, "户主"), _Person("female", max(60, a - rng.randint(0, 5)), "配偶")]
    if kind == "single":
        return [_Person(g, rng.randint(20, 40), "户主")]
    if kind == "empty_nest":
        a = rng.randint(46, 66)
        out = [_Person("male", a, "户主"), _Person("female", max(40, a - rng.randint(0, 4)), "配偶")]
        if rng.random() < 0.4:
            c = rng.choice(("male", "female"))
            out.append(_Person(c, rng.randint(20, 32), "子" if c == "male" else "女"))
        return out
    parent_age = rng.randint(24, 38) if kind == "young_couple" else rng.randint(29, 50)
    out = [_Person(g, parent_age, "户主"), _Person(other, max(22, parent_age + rng.randint(-3, 3)), "配偶")]
    if kind == "young_couple":
        if rng.random() < 0.35:
            c = rng.choice(("male", "female"))
            out.append(_Person(c, rng.randint(0, 3), "子" if c == "male" else "女"))
        return out
    for _i in range(rng.choices((1, 2), weights=(7, 3))[0]):
        c = rng.choice(("male", "female"))
        out.append(
            _Person(c, max(0, min(parent_age - 24, rng.randint(0, 20))), "子" if c == "male" else "女")
        )
    if kind == "three_gen":
        elder = parent_age + rng.randint(24, 32)
        out.append(_Person("female", min(elder, 96), "母亲"))
        if rng.random() < 0.55:
            out.append(_Person("male", min(elder + rng.randint(0, 4), 98), "父亲"))
    return out


def _birth_date(rng: random.Random, today: dt.date, age: int) -> dt.date:
    """A birth date giving exactly `age` today."""
    latest = (
        today.replace(year=today.year - age)
        if not (today.month == 2 and today.day == 29)
        else dt.date(today.year - age, 2, 28)
    )
    return latest - dt.timedelta(days=rng.randint(0, 364))


def _tags_and_care(
    person: _Person, alone: bool, low_income: bool, rented: bool, rng: random.Random
) -> tuple[list[str], str]:
    tags: list[str] = []
    elderly = person.age >= 60
    if elderly:
        tags.append("elderly")
        if alone:
            tags.append("elderly_alone")
    disabled = rng.random() < (0.06 if elderly else 0.012)
    if disabled:
        tags.append("disabled")
    if person.age < 3:
        tags.append("child_under_3")
    if low_income:
        tags.append("low_income")
    if person.gender == "male" and person.age >= 50 and rng.random() < 0.04:
        tags.append("veteran")
    if rented:
        tags.append("tenant")
    care = ""
    if elderly:
        if (person.age >= 80 and alone) or (disabled and person.age >= 75):
            care = "red"
        elif person.age >= 80 or alone or disabled:
            care = "yellow"
        else:
            care = "green"
    return tags, care


# --- the build ------------------------------------------------------------------------------------------------


@dataclass
class _Plan:
    communities: int
    compounds: int
    grids: int
    residents: int
    members: int

    @classmethod
    def for_scale(cls, scale: float) -> _Plan:
        communities = min(len(COMMUNITIES), max(2, round(5 * scale)))
        compounds = max(2 * communities, round(30 * scale))
        return cls(
            communities=communities,
            compounds=compounds,
            grids=max(2 * compounds, round(200 * scale)),
            residents=max(50, round(20_000 * scale)),
            members=max(10, round(600 * scale)),
        )


def _compound_name(names: list[str], k: int) -> str:
    """The k-th compound of a community; past its list of names, the names again as second, third … areas."""
    base, lap = names[k % len(names)], k // len(names)
    return base if lap == 0 else f"{base}{CN_ORDINALS[min(lap, 9)]}区"


def demo_build(*, scale: float = 1.0, seed: int = DEMO_SEED, password: str | None = None) -> DemoDistrict:
    """Build the demo district into an empty database (refuses otherwise) and return what it made."""
    if not (isinstance(scale, int | float) and 0 < scale <= MAX_SCALE):
        raise ValidationFailed(
            _("The scale must be a number above 0 and at most %(max)s.") % {"max": MAX_SCALE},
            extra={"field": "scale"},
        )
    if OrgNode.objects.exists():
        raise Conflict(
            _(
                "The database already holds an org tree. The demo district is loaded only into an empty database; use a fresh database (for example another LINLI_VAR_DIR)."
            )
        )
    started = time.perf_counter()
    rng = random.Random(seed)
    password = password or secrets.token_urlsafe(10)
    with transaction.atomic():
        demo = _build(rng, _Plan.for_scale(scale), password)
    demo.seconds = time.perf_counter() - started
    return demo


@dataclass
class _Build:
    """The state shared by the build steps below; each step reads what the earlier ones made."""

    rng: random.Random
    plan: _Plan
    password: str
    today: dt.date
    people: _People
    password_hash: str = ""
    district: OrgNode | None = None
    street: OrgNode | None = None
    communities: list[OrgNode] = field(default_factory=list)
    compounds: list[OrgNode] = field(default_factory=list)
    street_plan: StreetPlan = field(default_factory=lambda: StreetPlan(roads=[], blocks=[]))
    roads: int = 0
    compound_polygons: list[Polygon] = field(default_factory=list)
    compound_community: list[int] = field(default_factory=list)  # compound index → community index
    departments: list[Organisation] = field(default_factory=list)
    accounts: list[User] = field(default_factory=list)
    grids_per_compound: list[int] = field(default_factory=list)
    grid_worker_names: list[str] = field(default_factory=list)
    community_workers: dict[int, User] = field(default_factory=dict)  # community pk → its worker
    grid_workers: list[User] = field(default_factory=list)  # grid worker n looks after grid n
    grids: list[Grid] = field(default_factory=list)
    grid_polygons: list[Polygon] = field(default_factory=list)
    grid_compound: list[int] = field(default_factory=list)  # grid index → compound index
    buildings: list[Building] = field(default_factory=list)
    entrance_counts: list[int] = field(default_factory=list)  # of each building
    households: list[Household] = field(default_factory=list)
    residents: list[Resident] = field(default_factory=list)
    branches: list[PartyOrg] = field(default_factory=list)  # one per compound
    members: list[tuple[PartyMember, Resident]] = field(default_factory=list)
    beacons: int = 0
    step_seconds: dict[str, float] = field(default_factory=dict)

    def staff_name(self) -> str:
        gender = self.rng.choice(("male", "female"))
        return self.people.name(gender, self.today.year - self.rng.randint(24, 55))


def _build(rng: random.Random, plan: _Plan, password: str) -> DemoDistrict:
    b = _Build(rng=rng, plan=plan, password=password, today=timezone.localdate(), people=_People(rng))
    # One hash for every demo account: hashing ~230 passwords one by one would take over a minute.
    b.password_hash = make_password(password)
    for step in (
        _make_tree,
        _make_roads,
        _make_organisations,
        _make_staff,
        _make_grids,
        _make_buildings_and_households,
        _make_residents,
        _make_party_orgs,
        _make_party_members,
        _make_registrations_and_beacons,
    ):
        started = time.perf_counter()
        step(b)
        b.step_seconds[step.__name__.removeprefix("_make_")] = time.perf_counter() - started
    assert b.district is not None and b.street is not None
    return DemoDistrict(
        district=b.district,
        street=b.street,
        communities=b.communities,
        compounds=b.compounds,
        grids=b.grids,
        departments=b.departments,
        password=password,
        usernames={
            "district_leader": ["leader"],
            "street_officer": ["street"],
            "community_worker": [f"community{i + 1}" for i in range(len(b.communities))],
            "department_handler": [f"dept-{code.lower()}" for code, *_rest in DEPARTMENTS],
            "grid_worker": b.grid_worker_names,
        },
        counts={
            "communities": len(b.communities),
            "compounds": len(b.compounds),
            "roads": b.roads,
            "grids": len(b.grids),
            "buildings": len(b.buildings),
            "households": len(b.households),
            "residents": len(b.residents),
            "party_orgs": PartyOrg.objects.count(),
            "party_members": len(b.members),
            "member_registrations": MemberRegistration.objects.count(),
            "active_registrations": MemberRegistration.objects.filter(
                status=RegistrationStatus.ACTIVE
            ).count(),
            "beacon_households": b.beacons,
            "organisations": Organisation.objects.count(),
            "staff_accounts": len(b.accounts),
        },
        step_seconds=b.step_seconds,
    )


def _make_tree(b: _Build) -> None:
    """District → street → communities → compounds. The street is planned as a network of named roads; each
    block between roads is a compound, and each community a run of neighbouring blocks."""
    b.district = territory.org_node_create(
        actor=None, kind=NodeKind.DISTRICT, name=DISTRICT[0], code=DISTRICT[1], parent=None
    )
    b.street = territory.org_node_create(
        actor=None, kind=NodeKind.STREET, name=STREET[0], code=STREET[1], parent=b.district
    )
    b.street_plan = plan_street(b.rng, STREET_BOUNDS, b.plan.compounds)
    blocks = iter(b.street_plan.blocks)
    for ci, count in enumerate(_even(b.plan.compounds, b.plan.communities)):
        name, compound_names = COMMUNITIES[ci]
        community = territory.org_node_create(
            actor=None, kind=NodeKind.COMMUNITY, name=name, code=f"{STREET[1]}{ci + 1:03d}", parent=b.street
        )
        b.communities.append(community)
        for k in range(count):
            compound = territory.org_node_create(
                actor=None,
                kind=NodeKind.COMPOUND,
                name=_compound_name(compound_names, k),
                code=f"{community.code}{k + 1:03d}",
                parent=community,
            )
            b.compounds.append(compound)
            b.compound_polygons.append(next(blocks))
            b.compound_community.append(ci)


def _make_roads(b: _Build) -> None:
    """The street's roads, kept by the street: stretches from junction to junction, through territory's service."""
    assert b.street is not None
    roads = [{**road, "org_node": b.street} for road in b.street_plan.roads]
    b.roads = len(territory.roads_create(actor=None, roads=roads))


def _make_organisations(b: _Build) -> None:
    """Departments serve the district; partner units pair with communities; property companies run compounds."""
    rng = b.rng
    for code, _short, name, duties in DEPARTMENTS:
        b.departments.append(
            territory.organisation_create(
                actor=None,
                kind=OrganisationKind.DEPARTMENT,
                name=name,
                code=code,
                org_node=b.district,
                phone=f"010-6{rng.randrange(10**6, 10**7)}",
                duties=duties,
            )
        )
    for i, name in enumerate(PARTNER_UNITS):
        territory.organisation_create(
            actor=None,
            kind=OrganisationKind.PARTNER_UNIT,
            name=name,
            code=f"PU{i + 1:02d}",
            org_node=b.communities[i % len(b.communities)],
            phone=f"010-8{rng.randrange(10**6, 10**7)}",
        )
    for i, (name, flavour) in enumerate(PROPERTY_COMPANIES):
        territory.organisation_create(
            actor=None,
            kind=OrganisationKind.PROPERTY_COMPANY,
            name=name,
            code=f"PC{i + 1:02d}",
            org_node=b.compounds[i * len(b.compounds) // len(PROPERTY_COMPANIES)],
            duties="红色物业：党组织领导下的物业服务" if flavour else "物业服务",
        )
    for i, name in enumerate(SOCIAL_ORGANISATIONS):
        territory.organisation_create(
            actor=None,
            kind=OrganisationKind.SOCIAL_ORGANISATION,
            name=name,
            code=f"SO{i + 1:02d}",
            org_node=b.street,
        )


def _make_staff(b: _Build) -> None:
    """An account per role, all with the one demo password: leader, street, communityN, dept-xxx, gridNNN.
    Created through accounts' staff_create (placement rules, audit), with the password hashed once."""

    def staff(
        username: str, role: str, *, org_node: OrgNode | None = None, organisation: Organisation | None = None
    ) -> User:
        return staff_create(
            actor=None,
            username=username,
            role=role,
            org_node=org_node,
            organisation=organisation,
            password_hash=b.password_hash,
            display_name=b.staff_name(),
            phone=b.people.mobile(),
        )

    b.accounts = [
        staff("leader", Role.DISTRICT_LEADER, org_node=b.district),
        staff("street", Role.STREET_OFFICER, org_node=b.street),
    ]
    for i, community in enumerate(b.communities):
        worker = staff(f"community{i + 1}", Role.COMMUNITY_WORKER, org_node=community)
        b.community_workers[community.pk] = worker
        b.accounts.append(worker)
    b.accounts += [
        staff(f"dept-{code.lower()}", Role.DEPARTMENT_HANDLER, organisation=d)
        for (code, *_rest), d in zip(DEPARTMENTS, b.departments, strict=True)
    ]
    b.grids_per_compound = _even(b.plan.grids, len(b.compounds))
    b.rng.shuffle(b.grids_per_compound)
    width = max(3, len(str(b.plan.grids)))
    b.grid_worker_names = [f"grid{n:0{width}d}" for n in range(1, b.plan.grids + 1)]
    # Grid worker n looks after grid n, in its compound.
    owners = [ki for ki, count in enumerate(b.grids_per_compound) for _j in range(count)]
    b.grid_workers = [
        staff(name, Role.GRID_WORKER, org_node=b.compounds[ki])
        for name, ki in zip(b.grid_worker_names, owners, strict=True)
    ]
    b.accounts += b.grid_workers


def _make_grids(b: _Build) -> None:
    """Each compound's block split into grids along its inner lanes, numbered within the community, with worker
    and station."""
    pieces = [
        (ki, poly)
        for ki in range(len(b.compounds))
        for poly in split_polygon(b.rng, b.compound_polygons[ki], b.grids_per_compound[ki])
    ]
    polygons = join_corners([poly for _ki, poly in pieces])
    per_community = [0] * len(b.communities)
    for (ki, _piece), poly in zip(pieces, polygons, strict=True):
        compound = b.compounds[ki]
        ci = b.compound_community[ki]
        community = b.communities[ci]
        per_community[ci] += 1
        n = per_community[ci]
        grid = territory.grid_create(
            actor=None,
            code=f"{community.code}G{n:02d}",
            name=f"{community.name}第{n}网格",
            org_node=compound,
            boundary=polygon_geojson(poly),
            station_name=f"{community.name}第{n}网格服务站",
            workers=[b.grid_workers[len(b.grids)]],
        )
        b.grids.append(grid)
        b.grid_polygons.append(poly)
        b.grid_compound.append(ki)


def _make_buildings_and_households(b: _Build) -> None:
    """Buildings well inside each grid, numbered within their compound (光华西里3号楼), each with floors, entrances
    and homes per floor (一梯几户) that house the planned residents with one home in ten empty; a household in each
    home, on a floor, entrance and door the building has (光华西里3号楼2单元502)."""
    rng = b.rng
    # Homes enough for the planned residents (about 2.7 a household) with one in ten standing empty, shared out
    # over the grids; each grid gets buildings until its share is housed.
    homes = math.ceil(b.plan.residents / 2.7 / 0.9)
    next_number = [0] * len(b.compounds)
    for gi, grid in enumerate(b.grids):
        ki = b.grid_compound[gi]
        need = homes // len(b.grids) + (1 if gi < homes % len(b.grids) else 0)
        shapes = _building_shapes(rng, need)
        for (floors, entrance_count, per_floor), (lng, lat) in zip(
            shapes, points_inside_polygon(rng, b.grid_polygons[gi], len(shapes)), strict=False
        ):
            next_number[ki] += 1
            number = next_number[ki]
            b.entrance_counts.append(entrance_count)
            address = f"{b.compounds[ki].name}{number}号楼"
            b.buildings.append(
                Building(
                    grid=grid,
                    compound=b.compounds[ki],
                    code=f"{b.compounds[ki].code}-{number:02d}",
                    name=f"{number}号楼",
                    address=address,
                    address_key=normalize_address(address),
                    lng=lng,
                    lat=lat,
                    floors=floors,
                    households_per_floor=per_floor,
                )
            )
    Building.objects.bulk_create(b.buildings, batch_size=1000)
    entrances = [
        Entrance(building=building, number=n)
        for building, count in zip(b.buildings, b.entrance_counts, strict=True)
        for n in range(1, count + 1)
    ]
    Entrance.objects.bulk_create(entrances, batch_size=2000)
    entrances_of: dict[int, list[Entrance]] = {}
    for entrance in Entrance.objects.filter(building__in=[x.pk for x in b.buildings]).order_by("number"):
        entrances_of.setdefault(entrance.building_id, []).append(entrance)
    # The homes of one door position share a floor plan: its floor area, the same on every floor.
    plans = {
        (x.pk, door): rng.choice((48, 56, 62, 75, 86, 92, 105, 118, 135))
        for x in b.buildings
        for door in (1, 2, 3, 4)
    }
    dwellings = [
        (building, entrance, floor, door)
        for building in b.buildings
        for entrance in entrances_of[building.pk]
        for floor in range(1, building.floors + 1)
        for door in range(1, building.households_per_floor + 1)
    ]
    # In random order: families move in until the street has its residents; the homes left over stand empty.
    for building, entrance, floor, door in rng.sample(dwellings, len(dwellings)):
        room = f"{floor}{door:02d}"
        b.households.append(
            Household(
                building=building,
                entrance=entrance,
                code=f"{building.code}-{entrance.number}-{room}",
                room=room,
                address=f"{building.address}{entrance.number}单元{room}",
                is_rented=rng.random() < 0.18,
                floor_area=Decimal(f"{plans[(building.pk, door)] + rng.choice((0, 0, 0.5, -0.4)):.2f}"),
            )
        )


def _building_shapes(rng: random.Random, homes: int) -> list[tuple[int, int, int]]:
    """Floors, entrances and homes per floor (一梯几户) of buildings that together hold about `homes` homes: mostly
    the six-storey walk-up slabs of a Beijing 里 (two or three homes a landing), some mid-rise blocks, now and then
    a tower; the last one sized to what is left."""
    out: list[tuple[int, int, int]] = []
    while homes > 0:
        kind = rng.choices(("slab", "mid", "tower"), weights=(6, 3, 1))[0] if homes >= 60 else "slab"
        if kind == "tower":
            shape = (rng.randint(18, 28), 1, rng.choice((3, 4)))
        elif kind == "mid":
            shape = (rng.randint(9, 14), rng.randint(1, 2), 2)
        else:
            floors, per_floor = rng.choice((5, 6, 6, 6)), rng.choice((2, 2, 3))
            shape = (floors, max(1, min(6, round(homes / (floors * per_floor)))), per_floor)
        out.append(shape)
        homes -= shape[0] * shape[1] * shape[2]
    return out


def _make_residents(b: _Build) -> None:
    """Families drawn household by household until the street has its residents; validated like an import,
    ID numbers encrypted per row. Only the households that got residents are kept."""
    rng, people = b.rng, b.people
    used: list[Household] = []
    for household in b.households:
        if len(b.residents) >= b.plan.residents:
            break
        members = _household_members(rng)[: b.plan.residents - len(b.residents)]
        used.append(household)
        low_income = rng.random() < 0.025
        alone = len(members) == 1
        head_surname = people.surname()
        for person in members:
            # Children mostly take the head's surname; spouses and parents keep their own.
            keeps_head = person.relation == "户主" or (
                person.relation in ("子", "女") and rng.random() < 0.85
            )
            birth = _birth_date(rng, b.today, person.age)
            tags, care = _tags_and_care(person, alone, low_income, household.is_rented, rng)
            phone_odds = 0.97 if person.age < 70 else 0.75 if person.age < 85 else 0.35
            has_phone = (person.age >= 18 and rng.random() < phone_odds) or (
                14 <= person.age < 18 and rng.random() < 0.5
            )
            cleaned = territory.resident_clean(
                name=people.name(person.gender, birth.year, head_surname if keeps_head else None),
                gender=person.gender,
                birth_date=birth,
                phone=people.mobile() if has_phone else "",
                id_number=people.id_number(birth, person.gender),
                tags=tags,
                care_level=care,
            )
            resident = territory.resident_build(
                grid=household.building.grid, household=household, cleaned=cleaned, is_demo=True
            )
            resident.relation = person.relation
            b.residents.append(resident)
    b.households = used
    Household.objects.bulk_create(b.households, batch_size=2000)
    for resident in b.residents:
        resident.household = resident.household  # picks up the household's new primary key
    Resident.objects.bulk_create(b.residents, batch_size=2000)


def _make_party_orgs(b: _Build) -> None:
    """Street committee → community committee (or general branch) → a branch per compound → a group per grid."""
    street_committee = party.party_org_create(
        actor=None,
        kind=PartyOrgKind.COMMITTEE,
        name=f"中共{STREET[0]}工作委员会",
        org_node=b.street,  # type: ignore[arg-type]
        secretary=b.staff_name(),
    )
    community_orgs = []
    for ci, community in enumerate(b.communities):
        committee = ci % 2 == 0  # the larger communities have a committee, the others a general branch
        community_orgs.append(
            party.party_org_create(
                actor=None,
                kind=PartyOrgKind.COMMITTEE if committee else PartyOrgKind.GENERAL_BRANCH,
                name=f"中共{community.name}{'委员会' if committee else '总支部委员会'}",
                org_node=community,
                parent=street_committee,
                secretary=b.staff_name(),
            )
        )
    for ki, compound in enumerate(b.compounds):
        ci = b.compound_community[ki]
        b.branches.append(
            party.party_org_create(
                actor=None,
                kind=PartyOrgKind.BRANCH,
                name=f"中共{b.communities[ci].name}{compound.name}支部委员会",
                org_node=compound,
                parent=community_orgs[ci],
                secretary=b.staff_name(),
            )
        )
    for gi, grid in enumerate(b.grids):
        party.party_org_create(
            actor=None,
            kind=PartyOrgKind.GROUP,
            name=f"{grid.name}党小组",
            org_node=b.compounds[b.grid_compound[gi]],
            parent=b.branches[b.grid_compound[gi]],
            grid=grid,
        )


def _age(b: _Build, r: Resident) -> int:
    return (
        b.today.year
        - r.birth_date.year
        - ((b.today.month, b.today.day) < (r.birth_date.month, r.birth_date.day))
    )


def _make_party_members(b: _Build) -> None:
    """Members drawn from adult residents (older ones more often), kept by the branch of their compound."""
    rng = b.rng
    grid_index = {g.pk: i for i, g in enumerate(b.grids)}
    adults = [r for r in b.residents if _age(b, r) >= 20]
    weights = [1.0 + max(0, _age(b, r) - 40) / 15 for r in adults]
    picked: dict[int, Resident] = {}
    while len(picked) < min(b.plan.members, len(adults)):
        r = rng.choices(adults, weights=weights)[0]
        picked.setdefault(r.pk, r)
    for r in picked.values():
        age = _age(b, r)
        working = 25 <= age < 60 and rng.random() < 0.75
        workplace = rng.choice(WORKPLACES)[0] if working else ""
        joined_age = rng.randint(18, max(18, min(age - 1, 45)))
        joined_on = min(
            dt.date(r.birth_date.year + joined_age, rng.randint(1, 12), rng.randint(1, 28)),
            b.today - dt.timedelta(days=rng.randint(30, 300)),
        )
        member = party.party_member_create(
            actor=None,
            name=r.name,
            party_org=b.branches[b.grid_compound[grid_index[r.grid_id]]],
            resident=r,
            phone=r.phone,
            joined_on=joined_on,
            workplace=workplace,
            is_demo=True,
        )
        b.members.append((member, r))


def _make_registrations_and_beacons(b: _Build) -> None:
    """双报到: most working members register with their community; its worker gives most of them a post in
    their own grid, a few are still pending, a few ended. Then a beacon household in about every other grid."""
    rng = b.rng
    grid_index = {g.pk: i for i, g in enumerate(b.grids)}
    specialty_of = dict(WORKPLACES)
    for member, r in b.members:
        if not member.workplace or rng.random() > 0.8:
            continue
        gi = grid_index[r.grid_id]
        community = b.communities[b.compound_community[b.grid_compound[gi]]]
        specialty = specialty_of[member.workplace]
        registration = party.member_registration_register(
            actor=None,
            member=member,
            community=community,
            workplace=member.workplace,
            specialty=specialty,
            registered_on=b.today - dt.timedelta(days=rng.randint(20, 1000)),
        )
        worker = b.community_workers[community.pk]
        roll = rng.random()
        if roll < 0.78:
            party.member_registration_assign_post(
                actor=worker, registration=registration, grid=b.grids[gi], post=POSTS[specialty]
            )
        elif roll < 0.83:
            party.member_registration_end(
                actor=worker, registration=registration, reason="工作调动，已迁出本社区"
            )
    served: set[int] = set()
    for member, r in b.members:
        if len(served) >= max(1, len(b.grids) // 2):
            break
        if _age(b, r) < 45 or r.grid_id in served or r.household_id is None or rng.random() < 0.3:
            continue
        served.add(r.grid_id)
        party.beacon_household_designate(actor=None, member=member, households_served=rng.randint(8, 20))
    b.beacons = len(served)


def part(run: DemoRun) -> None:
    """The demo's territory part: the district, its people and the staff accounts (see `demo_build`)."""
    demo = demo_build(scale=run.scale, seed=run.seed)
    run.district = demo
    run.say(
        _(
            "Demo district loaded in %(seconds).1f s: %(communities)d communities, %(compounds)d compounds, %(grids)d grids, %(buildings)d buildings, %(households)d households, %(residents)d residents, %(party_orgs)d party organisations, %(party_members)d party members, %(member_registrations)d member registrations, %(beacon_households)d beacon households, %(organisations)d departments and other organisations."
        )
        % {**demo.counts, "seconds": demo.seconds}
    )
    if run.verbosity >= 2:
        for step, seconds in demo.step_seconds.items():
            run.say(f"  {step:<32} {seconds:6.2f} s")
