"""The grid's admin page: every save goes through the grid services and is audited, as a save from Linli's own
pages is; the area and centre the boundary gives are shown rounded, not as fields to type."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from django.test import Client

from linli.core.models import AuditEntry
from linli.core.roles import Role
from linli.territory.models import Grid
from linli.testing import Cast, make_user, square

pytestmark = pytest.mark.django_db


def change_url(grid: Grid) -> str:
    return f"/admin/territory/grid/{grid.pk}/change/"


def form_data(grid: Grid, **changes: Any) -> dict[str, Any]:
    """The change form as it stands for `grid`, with `changes`."""
    data: dict[str, Any] = {
        "code": grid.code,
        "name": grid.name,
        "kind": grid.kind,
        "org_node": grid.org_node_id,
        "parent_grid": grid.parent_grid_id or "",
        "boundary": json.dumps(grid.boundary),
        "station_name": grid.station_name,
        "workers": list(grid.workers.values_list("pk", flat=True)),
    }
    return data | changes


def test_an_admin_change_of_a_grid_goes_through_its_service_and_is_audited(
    cast: Cast, client_for: Any
) -> None:
    admin: Client = client_for("admin")
    helper = make_user("helper", Role.GRID_WORKER, node=cast.compound)
    grid = cast.grid
    data = form_data(
        grid,
        name="阳光一网格（调整）",
        station_name="阳光驿站",
        kind="microgrid",
        workers=[cast.grid_worker.pk, helper.pk],
    )
    response = admin.post(change_url(grid), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    grid.refresh_from_db()
    assert (grid.name, grid.station_name, grid.kind) == ("阳光一网格（调整）", "阳光驿站", "microgrid")
    assert set(grid.workers.all()) == {cast.grid_worker, helper}
    entry = AuditEntry.objects.get(action="grid_update", object_id=str(grid.pk))
    assert entry.actor_id == cast.admin.pk
    assert sorted(entry.detail["fields"]) == ["kind", "name", "station_name", "workers"]

    # Only the workers changed: one more entry, naming them.
    response = admin.post(change_url(grid), form_data(grid, workers=[cast.grid_worker.pk]))
    assert response.status_code == 302
    assert list(grid.workers.all()) == [cast.grid_worker]
    latest = AuditEntry.objects.filter(action="grid_update").latest("pk")
    assert latest.detail["fields"] == ["workers"]

    # Saved as it is: nothing changed, nothing audited.
    assert admin.post(change_url(grid), form_data(grid)).status_code == 302
    assert AuditEntry.objects.filter(action="grid_update").count() == 2


def test_a_boundary_changed_in_the_admin_is_audited_with_its_new_area(cast: Cast, client_for: Any) -> None:
    grid = cast.grid
    before = grid.area_m2
    data = form_data(grid, boundary=json.dumps(square(116.40, 39.90, size=0.002)))
    assert client_for("admin").post(change_url(grid), data).status_code == 302
    grid.refresh_from_db()
    assert grid.area_m2 == pytest.approx(before / 4, rel=0.01)
    assert AuditEntry.objects.get(action="grid_update").detail["fields"] == ["boundary"]


def test_a_grid_cannot_be_its_own_parent(cast: Cast, client_for: Any) -> None:
    grid = cast.grid
    response = client_for("admin").post(change_url(grid), form_data(grid, parent_grid=grid.pk, name="改名"))
    assert response.status_code == 200
    assert "网格不能以自身为上级网格" in response.content.decode()
    grid.refresh_from_db()
    assert grid.name != "改名" and not AuditEntry.objects.filter(action="grid_update").exists()


def test_the_grid_page_shows_area_and_centre_rounded_and_not_editable(cast: Cast, client_for: Any) -> None:
    admin: Client = client_for("admin")
    page = admin.get(change_url(cast.grid)).content.decode()
    area = re.search(r"面积.*?<div class=\"readonly\">([^<]+)</div>", page, re.S)
    assert area is not None and re.fullmatch(r"\d{3},\d{3} m²", area.group(1)), area
    assert "116.402000, 39.902000" in page
    assert 'name="area_m2"' not in page and 'name="centroid_lng"' not in page
    assert f"{cast.grid.area_m2:.1f}" not in page  # the stored area, unrounded, is not shown
    listing = admin.get("/admin/territory/grid/").content.decode()
    assert re.search(r"\d{3},\d{3} m²", listing)


def test_a_large_grid_reads_in_square_kilometres(cast: Cast, client_for: Any) -> None:
    from linli.territory.admin import area_text

    assert area_text(151_234.4) == "151,234 m²"
    assert area_text(2_345_678) == "2.35 km²"
    big = square(116.30, 39.80, size=0.02)  # about 1.7 km × 2.2 km
    response = client_for("admin").post(change_url(cast.grid), form_data(cast.grid, boundary=json.dumps(big)))
    assert response.status_code == 302
    page = client_for("admin").get(change_url(cast.grid)).content.decode()
    assert re.search(r"<div class=\"readonly\">\d\.\d\d km²</div>", page)


def test_a_grid_added_in_the_admin_is_checked_and_audited_with_who_and_what(
    cast: Cast, client_for: Any
) -> None:
    admin: Client = client_for("admin")
    data = {
        "code": " G900 ",
        "name": "新建网格",
        "kind": "grid",
        "org_node": cast.compound.pk,
        "parent_grid": "",
        "boundary": json.dumps(square(116.50, 39.95)),
        "station_name": "",
        "workers": [cast.grid_worker.pk],
    }
    response = admin.post("/admin/territory/grid/add/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    grid = Grid.objects.get(code="G900")
    assert list(grid.workers.all()) == [cast.grid_worker]
    entry = AuditEntry.objects.get(action="grid_create", object_id=str(grid.pk))
    assert (entry.actor_id, entry.object_type, entry.object_id) == (
        cast.admin.pk,
        "territory.grid",
        str(grid.pk),
    )
    assert entry.detail == {
        "code": "G900",
        "fields": ["code", "name", "kind", "org_node", "boundary", "workers"],
    }
    assert not AuditEntry.objects.filter(action="grid_update").exists()

    # The code is taken now: the add page says so and nothing more is written.
    response = admin.post("/admin/territory/grid/add/", data | {"boundary": json.dumps(square(116.6, 39.95))})
    assert response.status_code == 200
    assert Grid.objects.filter(code="G900").count() == 1
    assert AuditEntry.objects.filter(action="grid_create", actor_id=cast.admin.pk).count() == 1
