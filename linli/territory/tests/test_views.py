"""The territory pages, as each persona sees them."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.contrib.staticfiles import finders
from django.test import Client

from linli.core.models import AuditEntry
from linli.core.templatetags.badges import badge
from linli.territory import services
from linli.testing import Cast

from .helpers import add_buildings, add_residents

pytestmark = pytest.mark.django_db

TREE_PERSONAS = ["grid_worker", "community_worker", "street_officer", "district_leader", "admin"]


@pytest.mark.parametrize("persona", TREE_PERSONAS)
@pytest.mark.parametrize("url", ["/territory/tree/", "/territory/map/", "/territory/residents/"])
def test_territory_pages_render_for_every_staff_role(client_for, persona: str, url: str) -> None:
    response = client_for(persona).get(url)
    assert response.status_code == 200
    assert "邻里" in response.content.decode()


@pytest.mark.parametrize("url", ["/territory/tree/", "/territory/map/", "/territory/residents/"])
def test_residents_get_the_friendly_403_page(client_for, url: str) -> None:
    response = client_for("resident").get(url)
    assert response.status_code == 403
    assert "社区工作人员" in response.content.decode()


def test_anonymous_visitors_are_sent_to_sign_in(db: None) -> None:
    response = Client().get("/territory/residents/")
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_org_tree_shows_only_the_own_subtree_with_grid_links(client_for, cast: Cast) -> None:
    page = client_for("community_worker").get("/territory/tree/").content.decode()
    assert "幸福社区" in page and "阳光小区" in page
    assert f"/territory/grids/{cast.grid.pk}/" in page
    assert "光明社区" not in page
    whole = client_for("street_officer").get("/territory/tree/").content.decode()
    assert "幸福社区" in whole and "光明社区" in whole


def test_map_data_is_the_visible_grids_as_geojson(client_for, cast: Cast) -> None:
    data = client_for("community_worker").get("/territory/map/grids.json").json()
    assert data["type"] == "FeatureCollection"
    assert [f["properties"]["code"] for f in data["features"]] == ["G001"]
    assert data["features"][0]["properties"]["community_name"] == "幸福社区"
    everything = client_for("admin").get("/territory/map/grids.json").json()
    assert {f["properties"]["code"] for f in everything["features"]} == {"G001", "G002"}


def test_map_page_has_no_tile_layer_unless_configured(client_for, settings) -> None:
    page = client_for("community_worker").get("/territory/map/").content.decode()
    assert 'data-tile-url=""' in page
    settings.LINLI_TILE_URL = "https://tiles.example.gov.cn/{z}/{x}/{y}.png"
    page = client_for("community_worker").get("/territory/map/").content.decode()
    assert 'data-tile-url="https://tiles.example.gov.cn/{z}/{x}/{y}.png"' in page


def test_map_page_has_no_inline_script(client_for) -> None:
    page = client_for("community_worker").get("/territory/map/").content.decode()
    assert "<script>" not in page
    assert " onclick=" not in page


@pytest.mark.parametrize("persona", ["grid_worker", "community_worker", "street_officer", "admin"])
def test_grid_detail_shows_the_people_and_housing_counts(client_for, cast: Cast, persona: str) -> None:
    page = client_for(persona).get(f"/territory/grids/{cast.grid.pk}/").content.decode()
    assert "阳光一网格" in page and "G001" in page
    assert "幸福社区" in page and "阳光小区" in page  # the chain of org nodes
    assert "王网格" in page  # its grid worker
    assert "1号楼" in page
    # A count opens the residents it counts (the list filtered as the count is), not a dead tile.
    g = cast.grid.pk
    assert f'<a class="stat stat-link" href="/territory/residents/?grid={g}" data-key="residents">' in page
    assert (
        f'href="/territory/residents/?grid={g}&amp;tag=elderly_alone" data-key="elderly_alone"><div class="stat-value">1</div>'
        in page
    )
    assert (
        f'href="/territory/residents/?grid={g}&amp;care=yellow" data-key="care_yellow"><div class="stat-value">1<'
        in page
    )
    # Disabled people (残疾人), not Django's own "Disabled" (禁用) for a switched-off setting.
    assert (
        '<div class="stat-value">0</div><div class="stat-label">残疾人</div>' in page and "禁用" not in page
    )


def test_outsider_gets_404_for_another_communitys_grid(client_for, cast: Cast) -> None:
    assert client_for("outsider").get(f"/territory/grids/{cast.grid.pk}/").status_code == 404
    assert client_for("community_worker").get(f"/territory/grids/{cast.other_grid.pk}/").status_code == 404
    assert client_for("grid_worker").get("/territory/grids/999999/").status_code == 404


def test_department_handler_sees_no_grids(client_for, cast: Cast) -> None:
    assert client_for("department_handler").get(f"/territory/grids/{cast.grid.pk}/").status_code == 404
    assert client_for("department_handler").get("/territory/map/grids.json").json()["features"] == []


def test_resident_registry_masks_personal_data(client_for, cast: Cast) -> None:
    page = client_for("community_worker").get("/territory/residents/").content.decode()
    assert "张三" in page
    assert "138****5678" in page
    assert "13812345678" not in page
    assert cast.resident_record.id_number not in page
    assert cast.resident_record.id_number_masked in page
    assert "李四" not in page  # another community's resident


def test_resident_registry_searches_by_name_phone_tail_and_filters(client_for, cast: Cast) -> None:
    client = client_for("street_officer")
    assert "张三" in client.get("/territory/residents/?q=张").content.decode()
    by_phone = client.get("/territory/residents/?q=5678").content.decode()
    assert "张三" in by_phone and "李四" in by_phone
    elderly = client.get("/territory/residents/?tag=elderly_alone").content.decode()
    assert "张三" in elderly and "李四" not in elderly
    yellow = client.get("/territory/residents/?care=yellow").content.decode()
    assert "张三" in yellow and "李四" not in yellow
    by_grid = client.get(f"/territory/residents/?grid={cast.other_grid.pk}").content.decode()
    assert "李四" in by_grid and "张三" not in by_grid


def test_the_resident_registry_names_the_grid_only_to_a_reader_of_several(client_for, cast: Cast) -> None:
    # A grid worker of one grid read its name on every card (a line of each of 50 on a phone's page).
    grid_column = "<th>网格</th>"
    worker = client_for("grid_worker")
    listed = worker.get("/territory/residents/").content.decode()
    assert "张三" in listed and grid_column not in listed
    assert f'href="/territory/grids/{cast.grid.pk}/"' not in listed
    revealed = worker.post(
        f"/territory/residents/{cast.resident_record.pk}/reveal/", headers={"HX-Request": "true"}
    ).content.decode()
    assert "13812345678" in revealed and f'href="/territory/grids/{cast.grid.pk}/"' not in revealed
    several = client_for("street_officer").get("/territory/residents/").content.decode()
    assert grid_column in several and f'href="/territory/grids/{cast.grid.pk}/"' in several


def test_resident_registry_htmx_search_returns_only_the_results(client_for) -> None:
    response = client_for("community_worker").get(
        "/territory/residents/?q=张", headers={"HX-Request": "true"}
    )
    body = response.content.decode()
    assert "张三" in body
    assert "<html" not in body


def test_resident_registry_paginates_fifty_per_page(client_for, cast: Cast) -> None:
    add_residents(cast, 60)
    client = client_for("community_worker")
    first = client.get("/territory/residents/").content.decode()
    assert first.count('<tr id="resident-') == 50
    second = client.get("/territory/residents/?page=2").content.decode()
    assert second.count('<tr id="resident-') == 11


def test_resident_list_query_count_does_not_grow_with_rows(
    client_for, cast: Cast, django_assert_num_queries
) -> None:
    add_residents(
        cast,
        30,
        gender="male",
        birth_date=dt.date(1970, 1, 1),
        phone=lambda i: f"1381234{i:04d}",
        tags=["disabled"],
        care_level="red",
    )
    client = client_for("community_worker")
    # session, user (+ org node for scope), count, page of residents, grids for the filter
    with django_assert_num_queries(6):
        response = client.get("/territory/residents/")
    assert response.status_code == 200


def test_reveal_shows_full_details_and_writes_the_audit_log(client_for, cast: Cast) -> None:
    client = client_for("community_worker")
    page = client.get("/territory/residents/").content.decode()
    assert "显示完整信息" in page
    response = client.post(
        f"/territory/residents/{cast.resident_record.pk}/reveal/", headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "13812345678" in body
    assert cast.resident_record.id_number in body
    entry = AuditEntry.objects.get(action="reveal_personal_data")
    assert entry.actor == cast.community_worker
    assert entry.object_id == str(cast.resident_record.pk)
    assert entry.ip == "127.0.0.1"


def test_reveal_is_refused_for_a_department_handler_and_a_street_officer(client_for, cast: Cast) -> None:
    for persona in ["department_handler", "street_officer", "district_leader"]:
        client = client_for(persona)
        assert "显示完整信息" not in client.get("/territory/residents/").content.decode()
        response = client.post(f"/territory/residents/{cast.resident_record.pk}/reveal/")
        assert response.status_code == 403
    assert not AuditEntry.objects.filter(action="reveal_personal_data").exists()


def test_reveal_outside_the_scope_is_not_found_and_not_audited(client_for, cast: Cast) -> None:
    response = client_for("outsider").post(f"/territory/residents/{cast.resident_record.pk}/reveal/")
    assert response.status_code == 404
    assert not AuditEntry.objects.filter(action="reveal_personal_data").exists()


def test_reveal_needs_a_post(client_for, cast: Cast) -> None:
    response = client_for("community_worker").get(f"/territory/residents/{cast.resident_record.pk}/reveal/")
    assert response.status_code == 405
    assert not AuditEntry.objects.filter(action="reveal_personal_data").exists()


def test_grid_detail_query_count_does_not_grow_with_buildings(
    client_for, cast: Cast, django_assert_num_queries
) -> None:
    for building in add_buildings(cast, range(10, 20)):
        services.household_create(actor=None, building=building, code=f"H{building.code}", room="101")
    client = client_for("community_worker")
    # session, user, grid, org chain (3), workers, buildings, member posts, party orgs, 13 profile counts, and
    # the venues and visits (one aggregate each)
    with django_assert_num_queries(24):
        response = client.get(f"/territory/grids/{cast.grid.pk}/")
    assert response.content.decode().count("号楼</strong>") == 11


def test_a_form_address_opened_in_the_browser_goes_to_its_page(client_for, cast: Cast) -> None:
    """A refused edit shows the form again at its POST-only address; opening that address later (the address bar,
    a bookmark) goes to the resident's page rather than a 405, and other methods are still refused."""
    client = client_for("community_worker")
    pk = cast.resident_record.pk
    response = client.get(f"/territory/residents/{pk}/edit/")
    assert response.status_code == 302
    assert response["Location"] == f"/territory/residents/{pk}/"
    assert client.put(f"/territory/residents/{pk}/edit/").status_code == 405
    outsider = client_for("outsider").get(f"/territory/residents/{pk}/edit/", follow=True)
    assert outsider.status_code == 404


def test_node_grid_and_resident_status_badges_wear_the_colours_their_choices_declare(
    client_for, cast: Cast
) -> None:
    """The one badge tag (core/templatetags/badges.py) draws them from the choices; no territory stylesheet repeats
    a colour."""
    client = client_for("community_worker")
    tree = client.get("/territory/tree/").content.decode()
    assert str(badge("community", "territory.NodeKind")) in tree
    assert str(badge("compound", "territory.NodeKind")) in tree
    assert str(badge("grid", "territory.GridKind")) in tree
    assert 'style="--badge:#e8f5ee;color:#1b5e38"' in str(badge("community", "territory.NodeKind"))
    grid = client.get(f"/territory/grids/{cast.grid.pk}/").content.decode()
    assert str(badge("grid", "territory.GridKind")) in grid
    services.resident_move_out(actor=cast.community_worker, resident=cast.resident_record, destination="外省")
    resident = client.get(f"/territory/residents/{cast.resident_record.pk}/").content.decode()
    assert str(badge("moved_away", "territory.ResidentStatus")) in resident
    css = Path(finders.find("territory/register.css")).read_text()
    assert "status-moved_away" not in css


def test_a_grid_worker_s_phone_offers_logging_a_visit_at_the_top_of_their_grid(
    cast: Cast, client_for: Any
) -> None:
    # On a phone the profile's tiles and the map fill three screens before 物和情: the day's work comes first.
    page = client_for("grid_worker").get(f"/territory/grids/{cast.grid.pk}/").content.decode()
    head = page[page.index('class="page-head') : page.index('id="grid-profile"')]
    assert f'href="/territory/grids/{cast.grid.pk}/visits/?new=1"' in head and "登记走访" in head
    reader = client_for("street_officer").get(f"/territory/grids/{cast.grid.pk}/").content.decode()
    assert "?new=1" not in reader[: reader.index('id="grid-profile"')]


def test_a_residents_own_page_reveals_their_phone_and_comes_back_to_it(client_for, cast: Cast) -> None:
    """On a phone the grid worker opens the person, not the list: the reveal is there too, audited, and leads back."""
    url = f"/territory/residents/{cast.resident_record.pk}/"
    page = client_for("grid_worker").get(url).content.decode()
    assert f'action="{url}reveal/"' in page and "13812345678" not in page
    shown = client_for("grid_worker").post(f"{url}reveal/").content.decode()
    assert "13812345678" in shown and f'href="{url}"' in shown
    assert AuditEntry.objects.filter(action="reveal_personal_data").count() == 1
    # Those who may not see personal data are offered nothing.
    assert f'action="{url}reveal/"' not in client_for("street_officer").get(url).content.decode()
