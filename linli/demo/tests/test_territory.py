from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest
from django.contrib.auth import authenticate
from django.test import RequestFactory
from django.utils import timezone
from shapely import STRtree
from shapely.geometry import Point, box, shape
from shapely.ops import unary_union

from linli.accounts.models import User
from linli.core.errors import Conflict, ValidationFailed
from linli.core.models import AuditEntry
from linli.core.validators import (
    birth_date_from_id,
    gender_from_id,
    validate_id_number,
    validate_mobile,
)
from linli.demo.territory import (
    COMMUNITIES,
    STREET_BOUNDS,
    DemoDistrict,
    _Plan,
    demo_build,
    plan_street,
    split_polygon,
)
from linli.party.models import BeaconHousehold, MemberRegistration, PartyMember, PartyOrg
from linli.party.waits import REGISTRATION_STEP_WORKING_DAYS, overdue, waiting_since, working_days_waited
from linli.territory.addresses import normalize_address
from linli.territory.geometry import area_m2, line_from_geojson, polygon_from_geojson
from linli.territory.imports.grids import OVERLAP_TOLERANCE_M2
from linli.territory.models import (
    Building,
    Grid,
    Household,
    Organisation,
    OrgNode,
    Resident,
    Road,
)
from linli.territory.services.housing import capacity, room_floor
from linli.testing.shared import refuse_unasked, shared_build

# Built once for this module (shared_build): its tests stay on one xdist worker (`--dist loadgroup`).
pytestmark = pytest.mark.xdist_group("test_territory")


@pytest.fixture(scope="module")
def small_demo(django_db_setup: None, django_db_blocker: Any) -> Iterator[DemoDistrict]:
    """The small demo district, built once for this module's tests (each rolls back what it writes)."""
    yield from shared_build(django_db_blocker, lambda: demo_build(scale=0.05, seed=11), "small_demo")


@pytest.fixture
def demo(small_demo: DemoDistrict, db: None) -> DemoDistrict:
    return small_demo


@pytest.fixture(autouse=True)
def _only_where_asked(request: pytest.FixtureRequest) -> None:
    refuse_unasked(request, "small_demo")


def test_the_full_demo_is_planned_at_the_specified_size() -> None:
    plan = _Plan.for_scale(1.0)
    assert (plan.communities, plan.compounds, plan.grids, plan.residents, plan.members) == (
        5,
        30,
        200,
        20_000,
        600,
    )
    small = _Plan.for_scale(0.05)
    assert (small.communities, small.compounds, small.grids, small.residents) == (2, 4, 10, 1000)


# Before the tests of the shared demo district (small_demo), which would be in its database.
@pytest.mark.parametrize("scale", [0, -1, 6, float("nan")])
def test_an_impossible_scale_is_refused(db: None, scale: float) -> None:
    with pytest.raises(ValidationFailed):
        demo_build(scale=scale)
    assert not OrgNode.objects.exists()


def test_the_small_demo_has_the_planned_counts(demo: DemoDistrict) -> None:
    assert OrgNode.objects.filter(kind="district").count() == 1
    assert OrgNode.objects.filter(kind="street").count() == 1
    assert OrgNode.objects.filter(kind="community").count() == 2
    assert OrgNode.objects.filter(kind="compound").count() == 4
    assert Grid.objects.count() == 10
    assert Resident.objects.count() == 1000
    assert Resident.objects.filter(is_demo=False).count() == 0
    assert PartyMember.objects.count() == 30
    assert Organisation.objects.filter(kind="department").count() == 10
    assert Organisation.objects.filter(kind="partner_unit").exists()
    assert Organisation.objects.filter(kind="property_company").exists()
    assert 1 <= Building.objects.count() / Grid.objects.count() <= 3
    assert 2.2 <= Resident.objects.count() / Household.objects.count() <= 3.2
    assert demo.counts["residents"] == 1000 and demo.counts["grids"] == 10


def test_the_demo_codes_follow_the_division_code_pattern(demo: DemoDistrict) -> None:
    assert demo.district.code == "110105"
    assert demo.street.code.startswith("110105") and len(demo.street.code) == 9
    for community in demo.communities:
        assert community.code.startswith(demo.street.code) and len(community.code) == 12
    for compound in demo.compounds:
        assert compound.code[:12] == compound.parent.code and len(compound.code) == 15  # type: ignore[union-attr]


def assert_tiles(polygons: list[Any], whole: Any) -> None:
    """The polygons cover `whole` exactly and no two overlap (beyond the grid import's rounding tolerance)."""
    assert sum(area_m2(p) for p in polygons) == pytest.approx(area_m2(whole), rel=1e-6)
    # (Coordinates are kept to 9 decimals, 0.1 mm: the slivers that leaves are far below a square metre.)
    gaps = unary_union(polygons).symmetric_difference(whole)
    assert gaps.is_empty or area_m2(gaps) < 0.1
    tree = STRtree(polygons)
    for i, p in enumerate(polygons):
        assert p.is_valid
        for j in tree.query(p, predicate="intersects"):
            if int(j) > i:
                assert area_m2(p.intersection(polygons[int(j)])) < OVERLAP_TOLERANCE_M2


@pytest.mark.parametrize("blocks", [4, 7, 13, 30, 61])
def test_the_street_plan_tiles_the_street_with_blocks_between_roads_that_meet_at_junctions(
    blocks: int,
) -> None:
    import random

    plan = plan_street(random.Random(blocks), STREET_BOUNDS, blocks)
    assert len(plan.blocks) == blocks
    assert_tiles(plan.blocks, box(*STREET_BOUNDS))
    lines = [line_from_geojson(r["geometry"]) for r in plan.roads]
    # Every end of a stretch is a junction shared with another stretch: the network is a connected graph.
    ends = Counter(
        tuple(c)
        for r in plan.roads
        for c in (r["geometry"]["coordinates"][0], r["geometry"]["coordinates"][-1])
    )
    assert min(ends.values()) >= 2
    # Every block is bounded by roads: its edge lies on the road lines.
    network = unary_union(lines).buffer(1e-7)
    assert all(network.covers(b.exterior) for b in plan.blocks)
    # Not a lattice of rectangles: most blocks are not their own bounding box, most roads bend.
    assert sum(b.area / b.envelope.area < 0.98 for b in plan.blocks) > blocks / 2
    assert all(len(r["geometry"]["coordinates"]) > 2 for r in plan.roads if r["kind"] != "arterial")
    assert len({r["code"] for r in plan.roads}) == len(plan.roads)
    kinds = {r["kind"] for r in plan.roads}
    assert "arterial" in kinds and kinds <= {"arterial", "secondary", "branch"}


def test_split_polygon_tiles_a_block_in_pieces_of_about_equal_area() -> None:
    import random

    block = plan_street(random.Random(5), STREET_BOUNDS, 4).blocks[0]
    for k in (1, 2, 5, 7, 13):
        pieces = split_polygon(random.Random(k), block, k)
        assert len(pieces) == k
        assert_tiles(pieces, block)
        areas = [area_m2(p) for p in pieces]
        assert max(areas) < 1.6 * min(areas)


def test_the_demo_grids_tile_the_street_without_overlapping_and_follow_the_roads(demo: DemoDistrict) -> None:
    grids = list(Grid.objects.filter(kind="grid").select_related("org_node"))
    polygons = [polygon_from_geojson(g.boundary) for g in grids]
    assert_tiles(polygons, box(*STREET_BOUNDS))
    # Each compound is a block between the street's roads: the edge of its grids together lies on the roads.
    roads = Road.objects.filter(org_node=demo.street)
    network = unary_union([line_from_geojson(r.geometry) for r in roads]).buffer(1e-7)
    for compound in demo.compounds:
        outline = unary_union(
            [p for g, p in zip(grids, polygons, strict=True) if g.org_node_id == compound.pk]
        )
        assert network.covers(outline.exterior)
    assert {r.name for r in roads} >= {"东三环中路", "东四环中路", "建国路", "朝阳北路"}
    # A community is one piece of the street, not scattered blocks.
    for community in demo.communities:
        mine = [p for g, p in zip(grids, polygons, strict=True) if g.org_node.parent_id == community.pk]
        assert unary_union(mine).geom_type == "Polygon"


def test_every_grid_has_a_worker_a_station_and_its_community(demo: DemoDistrict) -> None:
    for grid in Grid.objects.select_related("org_node__parent").prefetch_related("workers"):
        workers = list(grid.workers.all())
        assert len(workers) == 1 and workers[0].role == "grid_worker"
        assert workers[0].org_node_id == grid.org_node_id
        assert grid.station_name.endswith("服务站")
        assert grid.org_node.kind == "compound"
        assert grid.name.startswith(grid.org_node.parent.name)  # type: ignore[union-attr]


def test_buildings_stand_strictly_inside_their_grid_with_entrances_and_floors(demo: DemoDistrict) -> None:
    for b in Building.objects.select_related("grid", "compound").prefetch_related("entrances"):
        poly = shape(b.grid.boundary)
        assert poly.contains(Point(b.lng, b.lat)) and poly.exterior.distance(Point(b.lng, b.lat)) > 1e-5
        assert 5 <= b.floors <= 28 and 2 <= b.households_per_floor <= 4
        assert b.entrances.count() >= 1
        assert b.compound is not None and b.compound_id == b.grid.org_node_id
        assert b.address == f"{b.compound.name}{b.name}" and b.address_key == normalize_address(b.address)


def test_every_household_is_a_home_its_building_has_at_an_address_like_a_real_one(demo: DemoDistrict) -> None:
    buildings = Building.objects.select_related("compound").prefetch_related(
        "entrances", "households__entrance"
    )
    names = {name for _community, compounds in COMMUNITIES for name in compounds}
    for b in buildings:
        households = list(b.households.all())
        assert len(households) <= (capacity(b) or 0)
        for h in households:
            floor, door = room_floor(h.room), int(h.room[-2:])
            assert h.entrance is not None and h.entrance.building_id == b.pk
            assert floor is not None and 1 <= floor <= b.floors and 1 <= door <= b.households_per_floor
            # 光华西里3号楼2单元502
            assert h.address == f"{b.compound.name}{b.name}{h.entrance.number}单元{h.room}"  # type: ignore[union-attr]
            assert b.compound.name in names  # type: ignore[union-attr]
            assert h.floor_area is not None and 40 <= h.floor_area <= 140
    # The buildings are lived in: about one home in ten stands empty, as planned.
    homes = sum(capacity(b) or 0 for b in buildings)
    assert 0.75 <= Household.objects.count() / homes <= 0.97
    keys = sorted(Building.objects.values_list("address_key", flat=True))
    # No building's address is part of another's (an appeal's address text finds one building).
    for key in keys:
        assert [k for k in keys if key in k] == [key]


def test_the_demo_appeal_texts_read_as_a_city_street() -> None:
    from linli.demo.appeals import RURAL, RURAL_CATEGORIES, _texts

    texts = _texts()
    assert len(texts) > 800
    assert not [t for t in texts if RURAL.search(t[0] + t[1]) or t[2] in RURAL_CATEGORIES]
    assert not [t for t in texts if "村" in t[1] or "宅基地" in t[1]]


def test_residents_have_valid_unique_id_numbers_and_mobile_numbers(demo: DemoDistrict) -> None:
    seen: set[str] = set()
    phones = 0
    for r in Resident.objects.all():
        number = r.id_number
        assert validate_id_number(number) == number
        assert birth_date_from_id(number) == r.birth_date
        assert gender_from_id(number) == r.gender
        assert r.id_number_masked == f"{number[:4]}{'*' * 10}{number[-4:]}"
        assert number not in r.id_number_encrypted  # stored encrypted, not in clear
        seen.add(number)
        if r.phone:
            assert validate_mobile(r.phone) == r.phone
            phones += 1
    assert len(seen) == Resident.objects.count()
    assert phones > 600


def test_the_residents_have_a_plausible_age_pyramid_names_and_tags(demo: DemoDistrict) -> None:
    today = timezone.localdate()
    residents = list(Resident.objects.select_related("household"))
    ages = [
        today.year - r.birth_date.year - ((today.month, today.day) < (r.birth_date.month, r.birth_date.day))
        for r in residents
    ]
    share = lambda lo, hi: sum(lo <= a < hi for a in ages) / len(ages)  # noqa: E731
    assert 0.08 <= share(0, 15) <= 0.22
    assert 0.14 <= share(60, 200) <= 0.30
    assert 0.45 <= share(15, 60) <= 0.75
    genders = Counter(r.gender for r in residents)
    assert abs(genders["male"] - genders["female"]) < 0.1 * len(residents)
    assert all(2 <= len(r.name) <= 4 for r in residents)
    assert len({r.name[0] for r in residents}) > 40  # many surnames
    sizes = Counter(r.household_id for r in residents)
    for r, age in zip(residents, ages, strict=True):
        tags = r.tag_list
        assert ("elderly" in tags) == (age >= 60)
        assert (r.care_level != "") == (age >= 60)
        if "elderly_alone" in tags:
            assert sizes[r.household_id] == 1
        if "child_under_3" in tags:
            assert age < 3
        assert ("tenant" in tags) == r.household.is_rented  # type: ignore[union-attr]
    assert Counter(r.care_level for r in residents).keys() >= {"green", "yellow"}


def test_the_party_organisations_are_laid_over_the_tree(demo: DemoDistrict) -> None:
    assert PartyOrg.objects.filter(kind="committee", org_node=demo.street).count() == 1
    assert PartyOrg.objects.filter(org_node__kind="community", parent__org_node=demo.street).count() == 2
    assert PartyOrg.objects.filter(kind="branch").count() == len(demo.compounds)
    groups = PartyOrg.objects.filter(kind="group")
    assert sorted(g.grid_id for g in groups) == sorted(g.pk for g in demo.grids)
    for member in PartyMember.objects.select_related("party_org", "resident__grid"):
        assert member.party_org.kind == "branch" and member.is_demo
        assert (
            member.resident is not None and member.party_org.org_node_id == member.resident.grid.org_node_id
        )
    for reg in MemberRegistration.objects.select_related("grid__org_node", "community"):
        if reg.status == "active":
            assert reg.grid is not None and reg.post
            assert reg.grid.org_node.path.startswith(reg.community.path)
    assert MemberRegistration.objects.filter(status="active").exists()
    for beacon in BeaconHousehold.objects.select_related("member__resident"):
        assert beacon.household_id == beacon.member.resident.household_id  # type: ignore[union-attr]


def test_some_approved_registrations_wait_for_a_post_one_of_them_past_the_limit(demo: DemoDistrict) -> None:
    # 双报到 as the community meets it: approved a few working days ago by the community's worker (the clock moved),
    # not yet given a post; one has waited past the five working days (party/waits.py), so the list marks it.
    waiting = MemberRegistration.objects.filter(status="approved").select_related("community")
    assert 1 <= waiting.count() <= 2
    waited = sorted(working_days_waited(waiting_since(reg)) for reg in waiting)  # type: ignore[arg-type]
    assert waited[0] <= REGISTRATION_STEP_WORKING_DAYS < waited[-1] <= 10
    for reg in waiting:
        assert reg.grid_id is None and not reg.post and reg.decided_at is not None
        approval = AuditEntry.objects.get(action="member_registration_approve", object_id=str(reg.pk))
        assert approval.actor is not None and approval.actor.role == "community_worker"
        assert approval.at == reg.decided_at  # written at the moment it says, not at the build's
    assert overdue(waiting).count() == 1


def test_registrations_were_lived_step_by_step_and_none_has_waited_for_weeks(demo: DemoDistrict) -> None:
    # A live community decides a registration within days: none still to decide has waited more than two working
    # weeks, at most one is past the five working days; those posted were approved and posted days after they
    # registered, each step by the community's worker at the moment it says.
    today = timezone.localdate()
    pending = MemberRegistration.objects.filter(status="pending")
    waited = [working_days_waited(reg.registered_on, today) for reg in pending]
    assert waited and max(waited) <= 10, waited
    assert overdue(pending).count() <= 1
    for reg in MemberRegistration.objects.filter(status__in=("active", "ended")):
        steps = {
            e.action: e
            for e in AuditEntry.objects.filter(
                object_id=str(reg.pk), action__startswith="member_registration_"
            )
        }
        registered = steps["member_registration_register"]
        assert timezone.localdate(registered.at) == reg.registered_on < today
        assert registered.at < steps["member_registration_approve"].at
        assert steps["member_registration_approve"].at < steps["member_registration_assign_post"].at
        assert working_days_waited(reg.registered_on, timezone.localdate(reg.decided_at)) <= 5  # type: ignore[arg-type]
        assert registered.actor is not None and registered.actor.role == "community_worker"
        if reg.status == "ended":
            assert steps["member_registration_assign_post"].at < steps["member_registration_end"].at


def test_every_role_signs_in_with_the_one_demo_password_and_there_is_no_admin(demo: DemoDistrict) -> None:
    request = RequestFactory().post("/login/")
    for username in [
        "leader",
        "street",
        "community1",
        "community2",
        "dept-cgw",
        "dept-gdgs",
        "grid001",
        "grid010",
        "property1",
        "partner1",
    ]:
        user = authenticate(request, username=username, password=demo.password)
        assert user is not None, username
    assert authenticate(request, username="grid001", password="wrong-password") is None
    assert not User.objects.filter(username="admin").exists()
    roles = Counter(User.objects.values_list("role", flat=True))
    assert roles == {
        "district_leader": 1,
        "street_officer": 1,
        "community_worker": 2,
        "department_handler": 11,  # the ten departments' and the first partner unit's contact (partner1)
        "grid_worker": 10,
        "property_staff": 1,  # of the first property company (北京金台物业), which serves the first compound
        # the branch secretary and a plain member of the branch who sign in with a code (demo/territory/party.py
        # SECRETARY_PHONE, MEMBER_PHONE)
        "resident": 2,
    }
    handler = User.objects.get(username="dept-cgw")
    assert handler.organisation is not None and handler.organisation.name == "朝阳区城市管理委员会"
    unit = User.objects.get(username="partner1").organisation
    assert unit is not None and (unit.kind, unit.name) == ("partner_unit", "北京市第九十四中学")
    property_staff = User.objects.get(username="property1")
    assert property_staff.organisation is not None
    assert property_staff.organisation.name == "北京金台物业管理有限公司"
    assert property_staff.phone == "19900000021" and "property1" in demo.usernames["property_staff"]
    # No two accounts share a mobile number (it finds the account at a code sign-in and on the staff pages).
    phones = list(User.objects.exclude(phone="").values_list("phone", flat=True))
    assert len(phones) == len(set(phones)), [p for p, n in Counter(phones).items() if n > 1]


def test_the_demo_refuses_a_database_that_already_has_an_org_tree(demo: DemoDistrict) -> None:
    before = Resident.objects.count()
    with pytest.raises(Conflict):
        demo_build(scale=0.05)
    assert Resident.objects.count() == before
