"""The grid roles beside the grid worker: each sees only its own part, and the part-time grid worker and the
building captain see no ID numbers and do not keep the register (they report and visit: test_visits.py)."""

from __future__ import annotations

import datetime as dt

import pytest

from linli.core.models import AuditEntry
from linli.core.roles import Role
from linli.territory import services
from linli.testing import Cast, Neighbour, make_user, signed_in

from .helpers import second_building_home

pytestmark = pytest.mark.django_db


def test_part_time_grid_worker_sees_their_grid_only_and_no_id_number(
    cast: Cast, neighbour: Neighbour
) -> None:
    rider = make_user("rider", Role.PART_TIME_GRID_WORKER, node=cast.compound)
    cast.grid.workers.add(rider)
    client = signed_in(rider)
    assert client.get(f"/territory/grids/{cast.grid.pk}/").status_code == 200
    assert client.get(f"/territory/grids/{neighbour.grid.pk}/").status_code == 404
    assert client.get(f"/territory/residents/{neighbour.resident.pk}/").status_code == 404
    assert [r["name"] for r in client.get("/api/residents").json()["items"]] == ["张三"]
    assert client.post(f"/api/residents/{cast.resident_record.pk}/reveal").status_code == 403
    assert client.post(f"/territory/residents/{cast.resident_record.pk}/reveal/").status_code == 403
    assert not AuditEntry.objects.filter(action="reveal_personal_data").exists()
    page = client.get(f"/territory/residents/{cast.resident_record.pk}/").content.decode()
    assert cast.resident_record.id_number not in page
    response = client.patch(
        f"/api/residents/{cast.resident_record.pk}", {"phone": "13900000000"}, content_type="application/json"
    )
    assert response.status_code == 403


def test_grid_leader_sees_and_keeps_each_of_their_grids(cast: Cast, neighbour: Neighbour) -> None:
    leader = make_user("leader2", Role.GRID_LEADER, node=cast.compound)
    cast.grid.workers.add(leader)
    neighbour.grid.workers.add(leader)
    client = signed_in(leader)
    assert client.get(f"/territory/grids/{neighbour.grid.pk}/").status_code == 200
    assert {r["name"] for r in client.get("/api/residents").json()["items"]} == {"张三", "邻网格居民"}
    revealed = client.post(f"/api/residents/{neighbour.resident.pk}/reveal")
    assert revealed.json()["id_number"] == neighbour.resident.id_number
    response = client.patch(
        f"/api/residents/{neighbour.resident.pk}", {"phone": "13900000000"}, content_type="application/json"
    )
    assert response.status_code == 200
    # The compound's other grids, which they do not lead, stay out of sight.
    neighbour.grid.workers.remove(leader)
    assert client.get(f"/territory/grids/{neighbour.grid.pk}/").status_code == 404


def test_building_captain_sees_their_building_only_and_no_id_number(cast: Cast, neighbour: Neighbour) -> None:
    home = second_building_home(cast)
    second = home.building
    services.resident_create(
        actor=None, household=home, name="九号楼居民", gender="male", birth_date=dt.date(1960, 1, 1)
    )
    captain = make_user("captain", Role.BUILDING_CAPTAIN, node=cast.compound, building=cast.building)
    client = signed_in(captain)
    assert client.get(f"/territory/buildings/{cast.building.pk}/").status_code == 200
    assert client.get(f"/territory/buildings/{second.pk}/").status_code == 404
    assert client.get(f"/territory/households/{home.pk}/").status_code == 404
    assert client.get(f"/territory/grids/{neighbour.grid.pk}/").status_code == 404
    assert [b["code"] for b in client.get("/api/buildings").json()["items"]] == ["B001"]
    assert [r["name"] for r in client.get("/api/residents").json()["items"]] == ["张三"]
    assert client.post(f"/api/residents/{cast.resident_record.pk}/reveal").status_code == 403


def test_a_building_captain_account_names_a_building_inside_its_node(cast: Cast) -> None:
    from linli.accounts.services import staff_create
    from linli.core.errors import ValidationFailed

    with pytest.raises(ValidationFailed) as missing:
        staff_create(actor=None, username="c1", role=Role.BUILDING_CAPTAIN, org_node=cast.compound)
    assert missing.value.extra["field"] == "building"
    other_building = cast.other_resident_record.household.building  # type: ignore[union-attr]
    with pytest.raises(ValidationFailed):
        staff_create(
            actor=None,
            username="c2",
            role=Role.BUILDING_CAPTAIN,
            org_node=cast.compound,
            building=other_building,
        )
    ok = staff_create(
        actor=None, username="c3", role=Role.BUILDING_CAPTAIN, org_node=cast.compound, building=cast.building
    )
    assert ok.building_id == cast.building.pk


@pytest.mark.parametrize("role", [Role.PART_TIME_GRID_WORKER, Role.GRID_LEADER, Role.BUILDING_CAPTAIN])
def test_each_grid_role_reaches_its_home_and_its_grid(cast: Cast, role: str) -> None:
    user = make_user(
        f"u-{role}",
        role,
        node=cast.compound,
        **({"building": cast.building} if role == Role.BUILDING_CAPTAIN else {}),
    )
    if role != Role.BUILDING_CAPTAIN:
        cast.grid.workers.add(user)
    client = signed_in(user)
    assert client.get("/").status_code == 200
    assert client.get(f"/territory/grids/{cast.grid.pk}/").status_code == 200
    assert client.get(f"/territory/grids/{cast.grid.pk}/visits/").status_code == 200
    assert client.get(f"/territory/grids/{cast.grid.pk}/venues/").status_code == 200


def test_property_company_staff_see_nothing_of_the_territory_of_the_compound_they_serve(cast: Cast) -> None:
    """物业: their company's appeals only (appeals/tests/test_unit_roles.py); no grid, building or resident."""
    company = services.organisation_create(
        actor=None, kind="property_company", name="阳光物业", code="P-YG", org_node=cast.compound
    )
    staff = make_user("wuye", Role.PROPERTY_STAFF, org=company, name="物业")
    client = signed_in(staff)
    assert client.get("/").status_code == 200
    assert client.get(f"/territory/grids/{cast.grid.pk}/").status_code == 404
    assert client.get(f"/territory/buildings/{cast.building.pk}/").status_code in (403, 404)
    assert client.get(f"/territory/residents/{cast.resident_record.pk}/").status_code in (403, 404)
    assert client.get("/api/residents").json()["items"] == []
    assert client.get("/api/grids").json()["features"] == []
