"""The top bar: the co-governance apps and base-data pages fold into menus, so fifteen sections fit one row."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from linli.core.roles import Role
from linli.territory import services as territory
from linli.testing import Cast, make_user


def test_a_community_worker_finds_the_co_governance_apps_in_one_menu_of_the_top_bar(client_for: Any) -> None:
    html = client_for("community_worker").get("/").content.decode()
    menu = re.search(r'<div class="nav-group nav-cogov[^"]*">(.*?)</div></div>', html, re.S)
    assert menu is not None and "共建共治" in menu.group(1)
    links = re.findall(r'<a href="[^"]*" class="nav-(\w+)', menu.group(1))
    assert links == ["deliberation", "cobuild", "volunteers", "care", "places", "sensors"]
    data = re.search(r'<div class="nav-group nav-data[^"]*">(.*?)</div></div>', html, re.S)
    assert data is not None and re.findall(r'<a href="[^"]*" class="nav-(\w+)', data.group(1)) == [
        "io",
        "verifications",
        "staff",
    ]
    # The sections shown on their own stay plain links.
    assert re.search(r'<a href="/territory/tree/" class="nav-tree"', html)


def test_a_resident_finds_the_community_pages_in_one_menu_of_the_top_bar(client_for: Any) -> None:
    """The bar of a branch secretary (消息, 我的支部, 关爱探访 too) took two rows up to 1400 px: the community's
    pages fold into 社区生活, the resident's own stay on the bar."""
    html = client_for("resident").get("/volunteers/").content.decode()
    bar = re.search(r'<nav class="mainnav"[^>]*>(.*?)</nav>', html, re.S)
    assert bar is not None
    menu = re.search(r'<div class="nav-group nav-community active">(.*?)</div></div>', bar.group(1), re.S)
    assert menu is not None and "社区生活" in menu.group(1)
    assert re.findall(r'<a href="[^"]*" class="nav-(\w+)', menu.group(1)) == [
        "hall",
        "volunteering",
        "near",
        "services",
    ]
    outside = bar.group(1).replace(menu.group(0), "")
    assert re.findall(r'<a href="[^"]*" class="nav-(\w+)', outside) == [
        "home",
        "report",
        "mine",
        "inbox",
        "account",
    ]


@pytest.mark.parametrize(
    ("persona", "offered"),
    [
        ("community_worker", True),
        ("street_officer", True),
        ("district_leader", True),
        ("admin", True),
        ("grid_worker", False),
        ("department_handler", False),
        ("resident", False),
    ],
)
def test_those_who_read_the_staff_accounts_find_them_under_base_data(
    client_for: Any, persona: str, offered: bool
) -> None:
    """工作人员账号 (/accounts/staff/) had no entry in the menu: it stands beside the household claims under 基础数据
    for whoever the page serves, and nobody it refuses (a grid worker, a department) is offered it."""
    client = client_for(persona)
    html = client.get("/").content.decode()
    entry = re.search(r'<a href="/accounts/staff/" class="nav-staff[^"]*"[^>]*>([^<]*)</a>', html)
    assert (entry is not None) is offered, persona
    if offered:
        assert entry is not None and entry.group(1).strip() == "工作人员账号"
        data = re.search(r'<div class="nav-group nav-data[^"]*">(.*?)</div></div>', html, re.S)
        assert data is not None and "nav-staff" in data.group(1), persona
        assert client.get("/accounts/staff/").status_code == 200
    else:
        refused = client.get("/accounts/staff/", follow=True)
        assert refused.status_code == 403 or refused.redirect_chain, persona


def test_a_menu_whose_page_is_open_is_marked_active(client_for: Any) -> None:
    html = client_for("community_worker").get("/territory/io/").content.decode()
    assert 'class="nav-group nav-data active"' in html
    assert 'class="nav-io active" aria-current="page"' in html


@pytest.mark.parametrize(
    "persona",
    [
        "resident",
        "grid_worker",
        "community_worker",
        "street_officer",
        "department_handler",
        "district_leader",
    ],
)
def test_every_entry_of_a_users_menu_opens_for_them(client_for: Any, persona: str) -> None:
    """No menu entry leads a user to a refusal: a department handler is not shown the overview (it counts areas,
    and a department has none) nor the community's co-building and volunteer desks."""
    client = client_for(persona)
    html = client.get("/").content.decode()
    links = re.findall(r'<a href="(/[^"]*)" class="nav-(\w+)', html)
    assert links
    for url, section in links:
        assert client.get(url, follow=True).status_code == 200, (persona, section, url)


def test_a_department_handler_is_shown_its_work_not_the_communitys_desks(client_for: Any) -> None:
    html = client_for("department_handler").get("/").content.decode()
    sections = set(re.findall(r'class="nav-(\w+)', html))
    assert "appeals" in sections
    assert not sections & {"dashboard", "cobuild", "volunteers", "care", "tree", "residents"}
    home = client_for("department_handler").get("/").content.decode()
    assert 'id="department-work" href="/appeals/workbench/"' in home


def test_a_property_company_s_staff_are_told_their_units_work_not_a_departments(cast: Cast) -> None:
    """Property staff share the department handler's home: it speaks of their unit, not of a department."""
    company = territory.organisation_create(
        actor=None, kind="property_company", name="阳光物业", code="P-YG", org_node=cast.compound
    )
    client = Client()
    client.force_login(make_user("property", Role.PROPERTY_STAFF, org=company, name="物业小李"))
    home = client.get("/").content.decode()
    assert 'id="department-work" href="/appeals/workbench/"' in home
    assert "本单位工作" in home and "物业公司" in home
    assert "部门承办人" not in home


def test_a_grid_worker_s_home_leads_with_their_work(client_for: Any) -> None:
    html = client_for("grid_worker").get("/").content.decode()
    links = re.findall(r'<a class="tile tile-work" href="([^"]+)"', html)
    assert links == ["/appeals/workbench/", "/appeals/patrol/"]


@pytest.mark.parametrize("persona", ["community_worker", "district_leader"])
def test_every_section_opens_at_its_own_address_typed_by_hand(client_for: Any, persona: str) -> None:
    """/territory/ (not only /territory/tree/): what a user types or shortens in the address bar is a page."""
    client = client_for(persona)
    html = client.get("/").content.decode()
    sections = {
        "/" + url.strip("/").split("/")[0] + "/"
        for url in re.findall(r'<a href="(/[^"]*)" class="nav-', html)
    }
    assert "/territory/" in sections
    for section in sorted(sections):
        assert client.get(section, follow=True).status_code == 200, section
