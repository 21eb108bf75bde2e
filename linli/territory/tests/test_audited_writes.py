"""Every addition to the register and every deletion in the admin leaves an audit entry naming who and what, as
the changes and life events do: buildings, households and residents (one by one or by import), organisations and
org nodes; a building or organisation changed in the admin goes through its service and is audited too."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.utils import translation

from linli.core.models import AuditEntry
from linli.territory.imports import territory_import
from linli.territory.models import Building, Grid, Household, Organisation, OrgNode, Resident
from linli.testing import Cast, square

from .test_imports import RESIDENT_HEADER, csv_bytes

pytestmark = pytest.mark.django_db


def entries(action: str, actor: Any) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(action=action, actor_id=actor.pk).order_by("pk"))


def test_a_building_added_and_changed_in_the_admin_is_audited_through_its_services(
    cast: Cast, client_for: Any
) -> None:
    admin: Client = client_for("admin")
    data = {
        "grid": cast.grid.pk,
        "compound": cast.compound.pk,
        "code": "B900",
        "name": "9号楼",
        "address": "和平路1号院9号楼",
        "lng": "116.401",
        "lat": "39.901",
        "floors": "6",
        "households_per_floor": "0",
    }
    assert admin.post("/admin/territory/building/add/", data).status_code == 302
    building = Building.objects.get(code="B900")
    [added] = entries("building_create", cast.admin)
    assert (added.object_id, added.detail) == (str(building.pk), {"code": "B900", "grid": cast.grid.pk})

    changed = data | {"name": "9号楼（东）", "floors": "7"}
    response = admin.post(f"/admin/territory/building/{building.pk}/change/", changed)
    assert response.status_code == 302, response.content.decode()[:2000]
    building.refresh_from_db()
    assert (building.name, building.floors) == ("9号楼（东）", 7)
    [update] = entries("building_update", cast.admin)
    assert update.object_id == str(building.pk) and sorted(update.detail["fields"]) == ["floors", "name"]
    # A position outside its grid is refused on the form, as on the building's page.
    outside = admin.post(f"/admin/territory/building/{building.pk}/change/", changed | {"lng": "116.9"})
    assert outside.status_code == 200 and "不在网格 G001 范围内" in outside.content.decode()
    # Its grid and code are not changed here (moving a building moves the people in it).
    page = admin.get(f"/admin/territory/building/{building.pk}/change/").content.decode()
    assert 'name="grid"' not in page and 'name="code"' not in page


def test_an_organisation_added_and_changed_in_the_admin_is_audited(cast: Cast, client_for: Any) -> None:
    admin: Client = client_for("admin")
    data = {
        "kind": "department",
        "name": "区水务局",
        "code": "ORG-W",
        "org_node": "",
        "phone": "",
        "duties": "",
    }
    assert admin.post("/admin/territory/organisation/add/", data).status_code == 302
    organisation = Organisation.objects.get(code="ORG-W")
    [added] = entries("organisation_create", cast.admin)
    assert added.object_id == str(organisation.pk) and added.detail["code"] == "ORG-W"
    url = f"/admin/territory/organisation/{organisation.pk}/change/"
    assert admin.post(url, data | {"phone": "010-12345678"}).status_code == 302
    organisation.refresh_from_db()
    assert organisation.phone == "010-12345678"
    [update] = entries("organisation_update", cast.admin)
    assert update.detail == {"fields": ["phone"]}


def test_a_grid_deleted_in_the_admin_leaves_an_entry_naming_it(cast: Cast, client_for: Any) -> None:
    from linli.territory import services

    spare = services.grid_create(
        actor=None, code="G950", name="备用网格", org_node=cast.compound, boundary=square(116.6, 39.95)
    )
    admin: Client = client_for("admin")
    response = admin.post(f"/admin/territory/grid/{spare.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not Grid.objects.filter(code="G950").exists()
    [gone] = entries("grid_delete", cast.admin)
    assert gone.object_id == str(spare.pk) and gone.detail["code"] == "G950"


def run(user: Any, kind: str, data: bytes) -> Any:
    with translation.override("en"):
        return territory_import(actor=user, kind=kind, data=data, filename=f"{kind}.csv")


def test_households_and_residents_added_by_import_each_leave_an_entry(cast: Cast) -> None:
    rows = [["户编码", "楼栋编码", "单元", "房号", "是否出租"], ["H101", "B001", "2", "201", "是"]]
    assert run(cast.grid_worker, "households", csv_bytes(rows)).created == 1
    [household] = entries("household_create", cast.grid_worker)
    assert household.object_id == str(Household.objects.get(code="H101").pk)

    people = [RESIDENT_HEADER]
    people += [[name, "男", "1980-01-01", "", "", "H101", "", "", ""] for name in ("钱一", "钱二")]
    assert run(cast.grid_worker, "residents", csv_bytes(people)).created == 2
    added = entries("resident_create", cast.grid_worker)
    residents = Resident.objects.filter(name__in=["钱一", "钱二"]).order_by("pk")
    assert [e.object_id for e in added] == [str(r.pk) for r in residents]
    assert added[0].detail == {"grid": cast.grid.pk, "household": Household.objects.get(code="H101").pk}


def test_an_org_node_added_and_renamed_in_the_admin_is_audited(cast: Cast, client_for: Any) -> None:
    admin: Client = client_for("admin")
    data = {"kind": "compound", "name": "新小区", "code": "110199001001009", "parent": cast.community.pk}
    assert admin.post("/admin/territory/orgnode/add/", data).status_code == 302
    [added] = entries("org_node_create", cast.admin)
    assert added.detail == {"code": "110199001001009", "kind": "compound"}
    node_id = added.object_id
    rename = {"name": "新小区（南）", "code": "110199001001009"}
    assert admin.post(f"/admin/territory/orgnode/{node_id}/change/", rename).status_code == 302
    # The new name is kept (the admin's rename used to be compared with itself and dropped) and audited.
    assert OrgNode.objects.get(pk=node_id).name == "新小区（南）"
    assert entries("org_node_update", cast.admin)[0].detail == {"fields": ["name"]}


def test_a_birth_and_a_newcomer_registered_on_the_household_page_each_leave_an_entry(
    cast: Cast, client_for: Any
) -> None:
    worker: Client = client_for("grid_worker")
    base = f"/territory/households/{cast.household.pk}"
    born = {"name": "张小宝", "gender": "female", "birth_date": "2026-10-02", "relation": "孙女"}
    assert worker.post(f"{base}/birth/", born).status_code == 302
    came = {"name": "张新来", "gender": "male", "birth_date": "1990-05-06", "on": "2026-11-01"}
    assert worker.post(f"{base}/move-in/", came).status_code == 302
    assert (
        client_for("community_worker")
        .post(
            f"/api/households/{cast.household.pk}/births",
            {"name": "张二宝", "gender": "male", "birth_date": "2026-11-20"},
            content_type="application/json",
        )
        .status_code
        == 201
    )
    added = AuditEntry.objects.filter(action="resident_create").exclude(actor_id=None).order_by("pk")
    names = ["张小宝", "张新来", "张二宝"]
    residents = [Resident.objects.get(name=name) for name in names]
    assert [(e.actor_id, e.object_id) for e in added] == [
        (cast.grid_worker.pk, str(residents[0].pk)),
        (cast.grid_worker.pk, str(residents[1].pk)),
        (cast.community_worker.pk, str(residents[2].pk)),
    ]
    assert added[0].detail == {"grid": cast.grid.pk, "household": cast.household.pk}
