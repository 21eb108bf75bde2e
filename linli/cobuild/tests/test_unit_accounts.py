"""A unit's account (a partner unit's contact such as partner1, a department's handler, a property company's staff)
keeps only its unit's commitment lists in co-building: every other staff page — the community's lists, projects,
orders, wishes, stars and fund — takes it to those lists saying why, though typed as an address or reached by a
link (co-building's home, 提需求), and a post to one is refused (403)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse

from linli.cobuild import services
from linli.territory import services as territory
from linli.territory.choices import OrganisationKind
from linli.testing import make_user, signed_in

from .conftest import World, grid_visit
from .test_partners import pairing, project

pytestmark = pytest.mark.django_db


def _units(world: World) -> dict[str, Any]:
    property_company = territory.organisation_create(
        actor=None, kind=OrganisationKind.PROPERTY_COMPANY, name="安居物业", code="P-AJ"
    )
    return {
        "partner": make_user("unit1", "department_handler", org=pairing(world).partner),
        "department": world.cast.department_handler,
        "property": make_user("prop1", "property_staff", org=property_company),
    }


def test_a_units_account_is_refused_every_staff_page_but_its_commitment_lists(world: World) -> None:
    cw = world.cast.community_worker
    p, need = project(world)
    visit = grid_visit(world)
    milestone = services.milestone_add(actor=cw, project=p, title="开工", due_on=dt.date(2026, 12, 1))
    pages = [
        reverse("cobuild:staff_needs"),
        reverse("cobuild:staff_need", args=[need.pk]),
        reverse("cobuild:need_from_visit", args=[visit.pk]),
        reverse("cobuild:staff_resources"),
        reverse("cobuild:staff_projects"),
        reverse("cobuild:staff_project", args=[p.pk]),
        reverse("cobuild:staff_orders"),
        reverse("cobuild:staff_wishes"),
        reverse("cobuild:staff_stars"),
        reverse("cobuild:staff_fund"),
    ]
    posts = [
        reverse("cobuild:staff_match", args=[need.pk]),
        reverse("cobuild:staff_need_close", args=[need.pk]),
        reverse("cobuild:staff_project_progress", args=[p.pk]),
        reverse("cobuild:staff_stars_publish"),
        reverse("cobuild:staff_milestone_reach", args=[p.pk, milestone.pk]),
    ]
    for kind, unit in _units(world).items():
        client = signed_in(unit)
        partners = reverse("cobuild:staff_partners")
        answers = {}
        for url in pages:
            r = client.get(url)
            answers[url] = (r.status_code, r.get("Location"))
        assert set(answers.values()) == {(302, partners)}, (kind, answers)
        told = client.get(reverse("cobuild:staff_resources"), follow=True).content.decode()
        assert "职能部门、共建单位和物业公司的账号在本页" in told  # says what a unit's account keeps here
        # The ways in lead there too: co-building's home offers the unit's lists, 提需求 goes to them.
        home = client.get(reverse("cobuild:home")).content.decode()
        assert f'href="{partners}"' in home and f'href="{reverse("cobuild:staff_needs")}"' not in home, kind
        assert client.get(reverse("cobuild:need_new"))["Location"] == partners
        posted = {url: client.post(url, {"note": "x"}).status_code for url in posts}
        assert set(posted.values()) == {403}, (kind, posted)
        assert client.get(reverse("cobuild:staff_partners")).status_code == 200
    # The community's own worker keeps every page.
    staff = signed_in(cw)
    assert {url: staff.get(url, follow=True).status_code for url in pages} == dict.fromkeys(pages, 200)


def test_a_unit_paired_with_no_community_is_told_so_in_its_own_words(world: World) -> None:
    """property1 (a property company's staff, paired with no community) read “no partner unit is paired with a
    community of your area”, words for a community's staff; a unit's account is told its unit is not paired."""
    property_staff = _units(world)["property"]
    page = signed_in(property_staff).get(reverse("cobuild:staff_partners")).content.decode()
    assert "本单位还没有与社区结对共建" in page and "本辖区" not in page
    staff = signed_in(world.cast.street_officer).get(reverse("cobuild:staff_partners")).content.decode()
    assert "本单位还没有" not in staff


def test_a_units_account_tapping_tell_us_a_need_is_told_why_it_lands_on_its_lists(world: World) -> None:
    """提需求 (a tab of co-building's pages) takes a unit's account to its commitment lists, saying why, as every other
    page it does not keep does: not a silent jump to another page."""
    for kind, unit in _units(world).items():
        landed = signed_in(unit).get(reverse("cobuild:need_new"), follow=True)
        assert landed.redirect_chain[-1][0] == reverse("cobuild:staff_partners"), kind
        assert "职能部门、共建单位和物业公司的账号在本页" in landed.content.decode(), kind


def test_a_units_account_is_shown_only_the_tabs_it_can_use(world: World) -> None:
    """property1 saw the resident's tabs 点单服务 and 提需求 on co-building's pages, though 提需求 sends it on to its
    unit's commitment lists and 点单服务 only points there: its tabs are 我的订单 (its orders as a provider) and
    微心愿 (a unit's staff may adopt a wish); a resident keeps all four."""
    home, need = reverse("cobuild:home"), reverse("cobuild:need_new")
    orders, wishes = reverse("cobuild:my_orders"), reverse("cobuild:wishes")

    def tabs(client: Any, url: str) -> list[str]:
        page = client.get(url).content.decode()
        nav = page.split('class="page-tabs"', 1)[1].split("</nav>", 1)[0]
        return [u for u in (home, orders, wishes, need) if f'href="{u}"' in nav]

    for kind, unit in _units(world).items():
        client = signed_in(unit)
        for url in (home, orders, wishes, reverse("cobuild:my_needs")):
            assert tabs(client, url) == [orders, wishes], (kind, url)
    resident = signed_in(world.cast.resident)
    assert tabs(resident, orders) == [home, orders, wishes, need]
