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
