"""Who sees which part of the territory: each role's scope, through the pages and the API.

The cast's compound gets a second grid (the grid worker's neighbour) with a building, a household and a resident:
the grid worker of the first grid must not find any of it, while the community worker above both sees both."""

from __future__ import annotations

from typing import Any

import pytest

from linli.core.models import AuditEntry
from linli.territory import services
from linli.testing import Cast, Neighbour, square

pytestmark = pytest.mark.django_db


def test_grid_worker_sees_only_their_own_grid_of_the_compound(
    client_for: Any, cast: Cast, neighbour: Neighbour
) -> None:
    client = client_for("grid_worker")
    assert client.get(f"/territory/grids/{cast.grid.pk}/").status_code == 200
    assert client.get(f"/territory/grids/{neighbour.grid.pk}/").status_code == 404
    assert client.get(f"/api/grids/{neighbour.grid.pk}").status_code == 404
    features = client.get("/api/grids").json()["features"]
    assert [f["properties"]["code"] for f in features] == ["G001"]
    assert "阳光二网格" not in client.get("/territory/tree/").content.decode()


def test_grid_worker_finds_no_building_household_or_resident_of_the_neighbour_grid(
    client_for: Any, cast: Cast, neighbour: Neighbour
) -> None:
    client = client_for("grid_worker")
    buildings = client.get("/api/buildings").json()["items"]
    assert [b["code"] for b in buildings] == ["B001"]
    residents = client.get("/api/residents").json()["items"]
    assert [r["name"] for r in residents] == ["张三"]
    page = client.get("/territory/residents/").content.decode()
    assert "张三" in page and "邻网格居民" not in page
    assert client.get(f"/territory/residents/{neighbour.resident.pk}/").status_code == 404
    assert client.get(f"/territory/households/{neighbour.household.pk}/").status_code == 404
    assert client.get(f"/territory/buildings/{neighbour.building.pk}/").status_code == 404
    assert client.get(f"/api/residents/{neighbour.resident.pk}").status_code == 404
    assert client.get(f"/api/households/{neighbour.household.pk}").status_code == 404


def test_grid_worker_cannot_reveal_the_id_number_of_a_neighbour_grids_resident(
    client_for: Any, cast: Cast, neighbour: Neighbour
) -> None:
    client = client_for("grid_worker")
    assert client.post(f"/api/residents/{neighbour.resident.pk}/reveal").status_code == 404
    assert client.post(f"/territory/residents/{neighbour.resident.pk}/reveal/").status_code == 404
    assert not AuditEntry.objects.filter(action="reveal_personal_data").exists()
    own = client.post(f"/api/residents/{cast.resident_record.pk}/reveal")
    assert own.json()["id_number"] == cast.resident_record.id_number


def test_grid_worker_cannot_change_a_neighbour_grids_resident(
    client_for: Any, cast: Cast, neighbour: Neighbour
) -> None:
    client = client_for("grid_worker")
    response = client.patch(
        f"/api/residents/{neighbour.resident.pk}", {"phone": "13900000000"}, content_type="application/json"
    )
    assert response.status_code == 404
    response = client.post(f"/territory/residents/{neighbour.resident.pk}/edit/", {"phone": "13900000000"})
    assert response.status_code == 404
    neighbour.resident.refresh_from_db()
    assert neighbour.resident.phone == "13700001111"


def test_grid_worker_of_two_grids_sees_both(client_for: Any, cast: Cast, neighbour: Neighbour) -> None:
    neighbour.grid.workers.add(cast.grid_worker)
    client = client_for("grid_worker")
    assert client.get(f"/territory/grids/{neighbour.grid.pk}/").status_code == 200
    names = {r["name"] for r in client.get("/api/residents").json()["items"]}
    assert names == {"张三", "邻网格居民"}


def test_grid_worker_sees_the_microgrids_inside_their_grid(client_for: Any, cast: Cast) -> None:
    micro = services.grid_create(
        actor=None,
        code="G001-1",
        name="阳光一网格微网格",
        org_node=cast.compound,
        boundary=square(116.40, 39.90, 0.002),
        kind="microgrid",
        parent_grid=cast.grid,
    )
    assert client_for("grid_worker").get(f"/territory/grids/{micro.pk}/").status_code == 200


def test_grid_worker_without_a_grid_sees_no_one(client_for: Any, cast: Cast) -> None:
    cast.grid.workers.remove(cast.grid_worker)
    client = client_for("grid_worker")
    assert client.get("/api/residents").json()["count"] == 0
    assert client.get(f"/territory/grids/{cast.grid.pk}/").status_code == 404


@pytest.mark.parametrize("persona", ["community_worker", "street_officer", "admin"])
def test_roles_above_the_grid_see_every_grid_of_their_subtree(
    client_for: Any, cast: Cast, neighbour: Neighbour, persona: str
) -> None:
    client = client_for(persona)
    assert client.get(f"/territory/grids/{neighbour.grid.pk}/").status_code == 200
    names = {r["name"] for r in client.get("/api/residents").json()["items"]}
    assert {"张三", "邻网格居民"} <= names


def test_outsider_and_department_handler_see_nothing_of_the_compound(
    client_for: Any, cast: Cast, neighbour: Neighbour
) -> None:
    for persona in ("outsider", "department_handler"):
        client = client_for(persona)
        assert client.get(f"/territory/grids/{neighbour.grid.pk}/").status_code == 404
        assert client.get(f"/territory/residents/{neighbour.resident.pk}/").status_code in (403, 404)
        assert "邻网格居民" not in str(client.get("/api/residents").json())
