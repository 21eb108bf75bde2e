"""Test support shipped with the package: the small cast of personas every test uses, the neighbour grid beside
the cast's own, and square grids."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.core.management import call_command
from django.test import Client

from linli.accounts.models import User
from linli.core import ledger
from linli.core.roles import Role
from linli.territory import services as territory
from linli.territory.models import Building, Grid, Household, Organisation, OrgNode, Resident

PASSWORD = "linli-test-Pa55"
BEIJING = ZoneInfo("Asia/Shanghai")


def at(year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0) -> dt.datetime:
    """A moment in Beijing time: at(2026, 10, 9, 9, 0)."""
    return dt.datetime(year, month, day, hour, minute, second, tzinfo=BEIJING)


def run_worker() -> str:
    """One pass of `linli worker` (every job once); what it printed."""
    out = io.StringIO()
    call_command("worker", "--once", stdout=out)
    return out.getvalue()


def balance_from_entries(account: ledger.LedgerAccount, entry_model: type[ledger.LedgerEntry]) -> Decimal:
    """The sum of an account's entries, as the ledger's tests check its cached balance against."""
    manager: Any = entry_model._default_manager
    return ledger.sum_of(manager.filter(account=account))


def square(lng: float, lat: float, size: float = 0.004) -> dict[str, Any]:
    """A square GeoJSON polygon with its south-west corner at (lng, lat)."""
    return {
        "type": "Polygon",
        "coordinates": [
            [[lng, lat], [lng + size, lat], [lng + size, lat + size], [lng, lat + size], [lng, lat]]
        ],
    }


def valid_id_number(region: str = "110105", birth: str = "19800101", seq: str = "123") -> str:
    from linli.core.validators import id_check_digit

    first17 = f"{region}{birth}{seq}"
    return first17 + id_check_digit(first17)


@dataclass
class Cast:
    district: OrgNode
    street: OrgNode
    community: OrgNode
    compound: OrgNode
    other_community: OrgNode
    grid: Grid
    other_grid: Grid
    building: Building
    household: Household
    resident_record: Resident
    other_resident_record: Resident
    department: Organisation
    other_department: Organisation
    resident: User
    grid_worker: User
    community_worker: User
    street_officer: User
    department_handler: User
    district_leader: User
    admin: User
    outsider: User


def make_user(
    username: str,
    role: str,
    *,
    node: OrgNode | None = None,
    org: Organisation | None = None,
    name: str = "",
    **extra: Any,
) -> User:
    """An account with the shared PASSWORD, shown as `name` (or its username)."""
    user = User.objects.create_user(
        username=username,
        password=PASSWORD,
        role=role,
        org_node=node,
        organisation=org,
        display_name=name or username,
        **extra,
    )
    return user


_user = make_user  # the name other apps' tests import


def signed_in(user: User) -> Client:
    """A test client signed in as `user` (no login form)."""
    client = Client()
    client.force_login(user)
    return client


def api_pages(client: Client, url: str, key: str = "id", **query: Any) -> tuple[list[int], list[Any]]:
    """An API list (core.api_paging) read two rows at a time until its count is reached: the count each page
    gave, and the `key` of every row in the order they came."""
    counts: list[int] = []
    keys: list[Any] = []
    offset = 0
    while True:
        answer = client.get(url, {**query, "limit": 2, "offset": offset})
        assert answer.status_code == 200, answer.content
        body = answer.json()
        counts.append(body["count"])
        keys += [row[key] for row in body["items"]]
        offset += 2
        if offset >= body["count"]:
            return counts, keys


def build_cast() -> Cast:
    """District → street → two communities (one with a compound), a grid in each, people and staff."""
    d = territory.org_node_create(actor=None, kind="district", name="示范区", code="110199", parent=None)
    s = territory.org_node_create(actor=None, kind="street", name="和平街道", code="110199001", parent=d)
    c = territory.org_node_create(
        actor=None, kind="community", name="幸福社区", code="110199001001", parent=s
    )
    cp = territory.org_node_create(
        actor=None, kind="compound", name="阳光小区", code="110199001001001", parent=c
    )
    oc = territory.org_node_create(
        actor=None, kind="community", name="光明社区", code="110199001002", parent=s
    )
    g = territory.grid_create(
        actor=None, code="G001", name="阳光一网格", org_node=cp, boundary=square(116.40, 39.90)
    )
    og = territory.grid_create(
        actor=None, code="G002", name="光明一网格", org_node=oc, boundary=square(116.41, 39.90)
    )
    b = territory.building_create(
        actor=None,
        grid=g,
        compound=cp,
        code="B001",
        name="1号楼",
        address="和平路1号院1号楼",
        lng=116.402,
        lat=39.902,
        floors=6,
        entrances=2,
    )
    h = territory.household_create(
        actor=None, building=b, code="H001", room="101", entrance=b.entrances.first()
    )
    ob = territory.building_create(
        actor=None,
        grid=og,
        code="B002",
        name="2号楼",
        address="光明路2号楼",
        lng=116.412,
        lat=39.902,
    )
    oh = territory.household_create(actor=None, building=ob, code="H002", room="202")
    r = territory.resident_create(
        actor=None,
        household=h,
        name="张三",
        gender="male",
        birth_date=dt.date(1950, 3, 1),
        phone="13812345678",
        id_number=valid_id_number(birth="19500301"),
        tags=["elderly_alone"],
        care_level="yellow",
    )
    orr = territory.resident_create(
        actor=None,
        household=oh,
        name="李四",
        gender="female",
        birth_date=dt.date(1985, 6, 1),
        phone="13912345678",
        id_number=valid_id_number(birth="19850601", seq="246"),
    )
    dept = territory.organisation_create(
        actor=None, kind="department", name="区城管委", code="D-CG", org_node=d
    )
    odept = territory.organisation_create(
        actor=None, kind="department", name="区水务局", code="D-SW", org_node=d
    )
    gw = make_user("gridworker", Role.GRID_WORKER, node=cp, name="王网格")
    g.workers.add(gw)
    return Cast(
        district=d,
        street=s,
        community=c,
        compound=cp,
        other_community=oc,
        grid=g,
        other_grid=og,
        building=b,
        household=h,
        resident_record=r,
        other_resident_record=orr,
        department=dept,
        other_department=odept,
        resident=make_user("resident", Role.RESIDENT, name="张三", phone="13812345678"),
        grid_worker=gw,
        community_worker=make_user("communityworker", Role.COMMUNITY_WORKER, node=c, name="刘社工"),
        street_officer=make_user("streetofficer", Role.STREET_OFFICER, node=s, name="陈街道"),
        department_handler=make_user("depthandler", Role.DEPARTMENT_HANDLER, org=dept, name="赵城管"),
        district_leader=make_user("leader", Role.DISTRICT_LEADER, node=d, name="孙区长"),
        admin=make_user("admin", Role.ADMIN, name="管理员", is_staff=True, is_superuser=True),
        outsider=make_user("outsider", Role.COMMUNITY_WORKER, node=oc, name="外社区社工"),
    )


@dataclass
class Neighbour:
    grid: Grid
    building: Building
    household: Household
    resident: Resident


def make_neighbour(cast: Cast) -> Neighbour:
    """A second grid (G003 阳光二网格) in the grid worker's own compound, with its own worker-less building (B003
    3号楼), household (H003, room 301) and resident (邻网格居民): what the cast's grid worker must not see."""
    grid = territory.grid_create(
        actor=None, code="G003", name="阳光二网格", org_node=cast.compound, boundary=square(116.404, 39.90)
    )
    building = territory.building_create(
        actor=None,
        grid=grid,
        compound=cast.compound,
        code="B003",
        name="3号楼",
        address="和平路1号院3号楼",
        lng=116.406,
        lat=39.902,
        floors=6,
        entrances=1,
    )
    household = territory.household_create(actor=None, building=building, code="H003", room="301")
    resident = territory.resident_create(
        actor=None,
        household=household,
        name="邻网格居民",
        gender="female",
        birth_date=dt.date(1970, 5, 5),
        phone="13700001111",
        id_number=valid_id_number(birth="19700505", seq="468"),
    )
    return Neighbour(grid, building, household, resident)
