"""Each staff member's home offers the quick links of what their role does, and every link of every home opens
a page that person may use (no 403): a district leader is not offered the grid worker's patrol report."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from linli.core.roles import Role
from linli.testing import Cast, make_user, signed_in

pytestmark = pytest.mark.django_db

EVERY_AREA = ["workbench", "overview", "map", "tree", "residents"]
IN_GRIDS = ["workbench", "patrol", "map", "tree", "residents"]
TILES = {
    "grid_worker": IN_GRIDS,
    "part_time_grid_worker": IN_GRIDS,
    "grid_leader": IN_GRIDS,
    "building_captain": IN_GRIDS,
    "community_worker": ["workbench", "overview", "verifications", "map", "tree", "residents"],
    "street_officer": EVERY_AREA,
    "district_leader": EVERY_AREA,
    "admin": ["workbench", "overview", "verifications", "map", "tree", "residents", "admin"],
    "department_handler": [],
    "property_staff": [],
}


def _person(cast: Cast, who: str):  # type: ignore[no-untyped-def]
    if hasattr(cast, who):
        return getattr(cast, who)
    if who == "property_staff":
        return make_user("property", Role.PROPERTY_STAFF, org=cast.department, name="物业")
    worker = make_user(who, who, node=cast.compound, name=who)
    cast.grid.workers.add(worker)
    return worker


def _home_links(client: Client) -> list[str]:
    page = client.get("/").content.decode()
    main = page[page.index("<main") : page.index("</main>")]
    return sorted(set(re.findall(r'<a [^>]*href="(/[^"#]*)"', main)))


def _refused(client: Client, links: list[str]) -> list[str]:
    return [f"{url} {status}" for url in links if (status := client.get(url, follow=True).status_code) != 200]


@pytest.mark.parametrize("who", TILES)
def test_each_role_is_offered_what_it_does_and_every_home_link_opens(cast: Cast, who: str) -> None:
    client = signed_in(_person(cast, who))
    page = client.get("/").content.decode()
    assert re.findall(r'data-tile="([a-z]+)"', page) == TILES[who]
    assert _refused(client, _home_links(client)) == []


def test_a_residents_home_and_a_branch_secretarys_lead_to_pages_they_may_use(cast: Cast) -> None:
    from linli.party import services
    from linli.party.tests.helpers import party_orgs, verified

    resident = signed_in(cast.resident)
    assert _refused(resident, _home_links(resident)) == []
    secretary = services.party_member_create(
        actor=None, name="张三", party_org=party_orgs(cast)["branch"], resident=cast.resident_record
    )
    services.party_member_set_position(actor=None, member=secretary, position="secretary")
    client = signed_in(verified(cast.resident, cast.household))
    links = _home_links(client)
    assert "/party/branch/" in links and _refused(client, links) == []


def test_the_party_members_figure_counts_the_list_it_opens(cast: Cast) -> None:
    """党员 on a community worker's home counted every member of their area's organisations, also those who had
    left; the list it leads to opens on those on the roll (在册), so the two figures differed. Now the figure is
    that list's count, by the same selector, and leads to it."""
    from linli.party import services
    from linli.party.tests.helpers import party_orgs

    orgs = party_orgs(cast)
    for name in ("张三", "王五", "赵六"):
        services.party_member_create(actor=None, name=name, party_org=orgs["branch"])
    services.party_member_create(actor=None, name="李四", party_org=orgs["other"])  # another community
    gone = services.party_member_create(actor=None, name="钱七", party_org=orgs["branch"])
    services.party_member_leave(actor=None, member=gone, reason="迁出本区")
    client = signed_in(cast.community_worker)
    page = client.get("/").content.decode()
    count = re.search(r'stat-party_members">\s*<div class="stat-value">(\d+)<', page)
    assert count is not None and int(count.group(1)) == 3  # 钱七 left: not counted
    link = re.search(r'<a href="([^"]+)" class="stat stat-party_members">', page)
    assert link is not None and link.group(1) == "/party/members/"
    listed = client.get(link.group(1)).content.decode()
    shown = re.search(r"共 (\d+) 名党员", listed)
    assert shown is not None and int(shown.group(1)) == 3
