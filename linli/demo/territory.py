"""The demo district: one realistic street in 北京市朝阳区 around (116.47 E, 39.92 N).

`demo_build()` makes, in one transaction and from one random seed: the org tree (district → street → about 5
communities → about 30 compounds), about 200 grids whose rectangles tile the street without overlapping, a few
buildings strictly inside each grid with entrances and households, about 20,000 residents (marked `is_demo`)
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
import math
import random
import secrets
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

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
# Each community: its name, the road its compounds are numbered on, and its compounds. No road name is a part of
# another, so the normalised address of one building never contains another's.
COMMUNITIES = [
    ("金台里社区", "金台路", ["金台里小区", "金台西里", "金台北街小区", "金台东里", "金桐苑", "瑞祥里"]),
    ("光华里社区", "光华东路", ["光华里小区", "光华东里", "光华西里", "光华南里", "嘉盛园", "秀水园"]),
    ("延静里社区", "延静西街", ["延静里小区", "延静东里", "延静西里", "枣营北里", "枣营南里", "幸福家园"]),
    (
        "红庙社区",
        "红庙北路",
        ["红庙北里", "红庙南里", "红庙东街小区", "核桃园北里", "核桃园西里", "和谐雅园"],
    ),
    (
        "甜水园社区",
        "甜水园街",
        ["甜水园北里", "甜水园东里", "甜水园西里", "水碓子东里", "水碓子西里", "团结湖东里"],
    ),
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


def split_rect(rng: random.Random, rect: Rect, k: int) -> list[Rect]:
    """k rectangles that tile `rect` exactly: rows of near-square cells, rows and columns of varied widths."""
    w, s, e, n = rect
    aspect = ((n - s) * _KY) / max((e - w) * _KX, 1e-9)
    rows = min(k, max(1, round(math.sqrt(k * aspect))))
    row_cuts = _cuts(rng, s, n, rows)
    out: list[Rect] = []
    for r, cols in enumerate(_even(k, rows)):
        col_cuts = _cuts(rng, w, e, cols)
        for c in range(cols):
            out.append((col_cuts[c], row_cuts[r], col_cuts[c + 1], row_cuts[r + 1]))
    return out


def rect_polygon(rect: Rect) -> dict[str, Any]:
    w, s, e, n = rect
    return {"type": "Polygon", "coordinates": [[[w, s], [e, s], [e, n], [w, n], [w, s]]]}


def points_inside(rng: random.Random, rect: Rect, m: int) -> list[tuple[float, float]]:
    """m points strictly inside `rect`, each in its own cell of a small lattice, clear of the edges."""
    w, s, e, n = rect
    cols = math.ceil(math.sqrt(m))
    rows = math.ceil(m / cols)
    out = []
    for i in range(m):
        r, c = divmod(i, cols)
        cw, ch = (e - w) / cols, (n - s) / rows
        x = w + cw * (c + rng.uniform(0.3, 0.7))
        y = s + ch * (r + rng.uniform(0.3, 0.7))
        out.append((round(x, 6), round(y, 6)))
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
    compound_rects: list[Rect] = field(default_factory=list)
    compound_community: list[int] = field(default_factory=list)  # compound index → community index
    departments: list[Organisation] = field(default_factory=list)
    accounts: list[User] = field(default_factory=list)
    grids_per_compound: list[int] = field(default_factory=list)
    grid_worker_names: list[str] = field(default_factory=list)
    community_workers: dict[int, User] = field(default_factory=dict)  # community pk → its worker
    grid_workers: list[User] = field(default_factory=list)  # grid worker n looks after grid n
    grids: list[Grid] = field(default_factory=list)
    grid_rects: list[Rect] = field(default_factory=list)
    grid_compound: list[int] = field(default_factory=list)  # grid index → compound index
    buildings: list[Building] = field(default_factory=list)
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
    """District → street → communities (strips west to east) → compounds (each community's strip split)."""
    b.district = territory.org_node_create(
        actor=None, kind=NodeKind.DISTRICT, name=DISTRICT[0], code=DISTRICT[1], parent=None
    )
    b.street = territory.org_node_create(
        actor=None, kind=NodeKind.STREET, name=STREET[0], code=STREET[1], parent=b.district
    )
    west, south, east, north = STREET_BOUNDS
    strips = _cuts(b.rng, west, east, b.plan.communities, 0.2)
    compounds_per_community = _even(b.plan.compounds, b.plan.communities)
    for ci in range(b.plan.communities):
        name, _road, compound_names = COMMUNITIES[ci]
        community = territory.org_node_create(
            actor=None, kind=NodeKind.COMMUNITY, name=name, code=f"{STREET[1]}{ci + 1:03d}", parent=b.street
        )
        b.communities.append(community)
        strip = (strips[ci], south, strips[ci + 1], north)
        for k, rect in enumerate(split_rect(b.rng, strip, compounds_per_community[ci])):
            compound = territory.org_node_create(
                actor=None,
                kind=NodeKind.COMPOUND,
                name=_compound_name(compound_names, k),
                code=f"{community.code}{k + 1:03d}",
                parent=community,
            )
            b.compounds.append(compound)
            b.compound_rects.append(rect)
            b.compound_community.append(ci)


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
    """Each compound's rectangle split into grid cells, numbered within the community, with worker and station."""
    per_community = [0] * len(b.communities)
    for ki, compound in enumerate(b.compounds):
        ci = b.compound_community[ki]
        community = b.communities[ci]
        for rect in split_rect(b.rng, b.compound_rects[ki], b.grids_per_compound[ki]):
            per_community[ci] += 1
            n = per_community[ci]
            grid = territory.grid_create(
                actor=None,
                code=f"{community.code}G{n:02d}",
                name=f"{community.name}第{n}网格",
                org_node=compound,
                boundary=rect_polygon(rect),
                station_name=f"{community.name}第{n}网格服务站",
                workers=[b.grid_workers[len(b.grids)]],
            )
            b.grids.append(grid)
            b.grid_rects.append(rect)
            b.grid_compound.append(ki)


def _make_buildings_and_households(b: _Build) -> None:
    """A few buildings strictly inside each grid, numbered within their compound; entrances; households in
    enough dwellings to house the planned residents."""
    rng = b.rng
    # A compound's address is a numbered courtyard on its community's road: 金台路1号院, 金台路3号院 …
    courtyard = [
        f"{COMMUNITIES[b.compound_community[ki]][1]}{2 * (int(c.code[-3:]) - 1) + 1}号院"
        for ki, c in enumerate(b.compounds)
    ]
    next_number = [0] * len(b.compounds)
    for gi, grid in enumerate(b.grids):
        ki = b.grid_compound[gi]
        for lng, lat in points_inside(rng, b.grid_rects[gi], rng.choices((2, 3, 4), weights=(3, 4, 3))[0]):
            next_number[ki] += 1
            number = next_number[ki]
            floors = rng.choices(
                (6, rng.randint(7, 12), rng.randint(13, 20), rng.randint(21, 33)), weights=(30, 25, 25, 20)
            )[0]
            address = f"{courtyard[ki]}{number}号楼"
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
                )
            )
    Building.objects.bulk_create(b.buildings, batch_size=1000)
    entrances: list[Entrance] = []
    for building in b.buildings:
        # Six-storey slabs have many entrances, towers one or two.
        f = building.floors
        count = rng.randint(3, 6) if f <= 7 else rng.randint(2, 4) if f <= 18 else rng.randint(1, 2)
        entrances += [Entrance(building=building, number=n) for n in range(1, count + 1)]
    Entrance.objects.bulk_create(entrances, batch_size=2000)
    entrances_of: dict[int, list[Entrance]] = {}
    for entrance in Entrance.objects.filter(building__in=[x.pk for x in b.buildings]).order_by("number"):
        entrances_of.setdefault(entrance.building_id, []).append(entrance)
    dwellings = [
        (building, entrance, floor, unit)
        for building in b.buildings
        for entrance in entrances_of[building.pk]
        for floor in range(1, building.floors + 1)
        for unit in (1, 2)
    ]
    needed = math.ceil(b.plan.residents / 2) + 50  # more than enough; those left empty are dropped
    for building, entrance, floor, unit in rng.sample(dwellings, min(needed, len(dwellings))):
        room = f"{floor}{unit:02d}"
        b.households.append(
            Household(
                building=building,
                entrance=entrance,
                code=f"{building.code}-{entrance.number}-{room}",
                room=room,
                address=f"{building.address}{entrance.number}单元{room}",
                is_rented=rng.random() < 0.18,
            )
        )


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
