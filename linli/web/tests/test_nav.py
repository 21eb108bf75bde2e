"""The top bar: the co-governance apps and base-data pages fold into menus, so fifteen sections fit one row."""

from __future__ import annotations

import re
from typing import Any


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
    ]
    # The sections shown on their own stay plain links.
    assert re.search(r'<a href="/territory/tree/" class="nav-tree"', html)


def test_a_menu_whose_page_is_open_is_marked_active(client_for: Any) -> None:
    html = client_for("community_worker").get("/territory/io/").content.decode()
    assert 'class="nav-group nav-data active"' in html
    assert 'class="nav-io active" aria-current="page"' in html
