"""The party API's lists go a page at a time (core.api_paging: `limit`/`offset`, answered as {count, items}): read
page by page, every row comes once and the last one is reached, where they used to stop at 200 to 1,000 rows."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from linli.party import services
from linli.party.models import PartyOrg
from linli.party.selectors import member_points_ledger
from linli.territory import services as territory
from linli.testing import Cast, api_pages, signed_in

from .helpers import Branch

pytestmark = pytest.mark.django_db


def test_members_and_registrations_go_a_page_at_a_time(cast: Cast, branch: PartyOrg, client_for: Any) -> None:
    made = [
        services.party_member_create(
            actor=None, name=f"党员{i}", party_org=branch, phone=f"1370000{i:04d}"
        ).pk
        for i in range(5)
    ]
    for i in range(3):
        services.member_registration_apply(
            actor=None,
            community=cast.community,
            name=f"报到{i}",
            phone=f"1360000{i:04d}",
            workplace="区人民医院",
            workplace_branch="医院党委",
            specialty="medical",
            availability="weekends",
        )
    worker = client_for("community_worker")
    assert api_pages(worker, "/api/party/members") == ([5, 5, 5], made)
    assert api_pages(worker, "/api/party/members", status="left") == ([0], [])
    counts, registrations = api_pages(worker, "/api/party/registrations", key="name")
    assert counts == [3, 3] and registrations == ["报到2", "报到1", "报到0"]  # the latest first
    assert set(worker.get("/api/party/members").json()) == {"count", "items"}


def test_points_stars_and_meetings_go_a_page_at_a_time(cast: Cast, world: Branch, client_for: Any) -> None:
    for points in (1, 2, 3, 4, 5):
        services.member_points_grant(
            actor=cast.community_worker, member=world.member, points=points, reason="帮助邻居"
        )
    this_year = timezone.localdate().year
    for year in range(this_year - 2, this_year + 1):
        services.branch_stars_compute(actor=None, branch=world.branch, year=year)
    for i in range(3):
        services.branch_meeting_record(
            actor=None,
            branch=world.branch,
            kind="lesson",
            held_on=timezone.localdate() - dt.timedelta(days=i),
            topic=f"党课{i}",
            attendees=[world.member],
        )
    worker = client_for("community_worker")
    member_points = f"/api/party/members/{world.member.pk}/points"
    counts, ledger = api_pages(worker, member_points)
    assert counts == [8] * 4 and ledger == [e.pk for e in member_points_ledger(world.member)]  # latest first
    counts, years = api_pages(client_for("street_officer"), "/api/party/stars", key="year")
    assert counts == [3, 3] and years == [this_year, this_year - 1, this_year - 2]

    me = signed_in(world.secretary)
    base = f"/api/party/branch/{world.branch.pk}"
    assert api_pages(me, f"{base}/members/{world.member.pk}/points") == ([8] * 4, ledger)
    counts, topics = api_pages(me, f"{base}/meetings", key="topic")
    assert counts == [3, 3] and topics == ["党课0", "党课1", "党课2"]  # the latest first
    assert me.get(f"{base}/registrations").json() == {"count": 0, "items": []}


def test_organisations_beacon_households_and_pairings_go_a_page_at_a_time(
    cast: Cast, orgs: dict[str, PartyOrg], client_for: Any
) -> None:
    """They came back whole, a bare list: now {count, items} like every other list, the last row reached by
    raising `offset` and none twice."""
    groups = [
        services.party_org_create(
            actor=None, kind="group", name=f"第{i}党小组", org_node=cast.compound, parent=orgs["branch"]
        ).pk
        for i in range(3)
    ]
    households = [cast.household] + [
        territory.household_create(actor=None, building=cast.building, code=f"H1{i}", room=f"10{i + 2}")
        for i in range(2)
    ]
    beacons = []
    for i, household in enumerate(households):
        resident = territory.resident_create(
            actor=None,
            household=household,
            name=f"中心户{i}",
            gender="female",
            birth_date=dt.date(1960, 1, 1),
        )
        member = services.party_member_create(
            actor=None, name=f"中心户{i}", party_org=orgs["branch"], resident=resident
        )
        beacons.append(services.beacon_household_designate(actor=None, member=member).pk)
    pairings = [
        services.partner_pairing_create(
            actor=None,
            community=cast.community,
            partner_name=f"共建单位{i}",
            contact_name="周老师",
            contact_phone="13600003333",
        ).pk
        for i in range(3)
    ]
    worker = client_for("community_worker")
    counts, ids = api_pages(worker, "/api/party/orgs")
    in_area = list(PartyOrg.objects.filter(org_node__path__startswith=cast.community.path))
    assert counts == [5, 5, 5] and sorted(ids) == sorted(o.pk for o in in_area) and set(groups) <= set(ids)
    assert api_pages(worker, "/api/party/beacons") == ([3, 3], beacons)  # by grid, then member
    assert api_pages(worker, "/api/party/beacons", grid_id=cast.other_grid.pk) == ([0], [])
    assert api_pages(worker, "/api/party/partners") == ([3, 3], pairings)  # by unit name
    for url in ("/api/party/orgs", "/api/party/beacons", "/api/party/partners"):
        assert set(worker.get(url).json()) == {"count", "items"}
    assert client_for("outsider").get("/api/party/partners").json() == {"count": 0, "items": []}
