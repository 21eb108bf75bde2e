"""我的党员信息: a party member who is a resident (not a branch leader) reads their own branch, their member points
of this year and in all with the ledger and what gives them, and their 双报到 with the post, on `/party/me/` (from
their home) and through `/api/party/me`; nobody else's, and a resident who is no member is told why."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import timezone

from linli.core.roles import Role
from linli.party import services
from linli.testing import Cast, make_user, signed_in

from .helpers import Branch, verified

pytestmark = pytest.mark.django_db


def _points(w: Branch) -> None:
    services.member_points_grant(actor=None, member=w.outsider_member, points=5, reason="楼道清扫志愿服务")
    services.member_points_grant(actor=None, member=w.member, points=7, reason="王五的积分")


def test_a_plain_member_reads_their_branch_points_and_ledger(world: Branch) -> None:
    _points(world)
    page = signed_in(world.plain).get("/party/me/").content.decode()
    assert "我的党员信息" in page and "李四" in page and "光明小区党支部" in page
    assert f"{timezone.localdate().year} 年积分" in page and "累计积分" in page
    assert "楼道清扫志愿服务" in page and "+5" in page  # the ledger
    assert "积分怎么得" in page  # the rules card beside it
    assert "王五的积分" not in page and "阳光小区党支部" not in page  # nobody else's


def test_the_home_offers_it_to_a_member_only(world: Branch, cast: Cast) -> None:
    assert 'href="/party/me/"' in signed_in(world.plain).get("/").content.decode()
    stranger = verified(make_user("zhao", Role.RESIDENT, name="赵六", phone="13500005555"), cast.household)
    assert 'href="/party/me/"' not in signed_in(stranger).get("/").content.decode()
    page = signed_in(stranger).get("/party/me/").content.decode()
    assert "您的账号没有关联党员档案" in page and "积分怎么得" not in page


def test_it_ends_with_the_membership(world: Branch) -> None:
    services.party_member_leave(actor=None, member=world.outsider_member, reason="迁出")
    page = signed_in(world.plain).get("/party/me/").content.decode()
    assert "您的账号没有关联党员档案" in page and "光明小区党支部" not in page


def test_a_registration_linked_to_the_member_is_shown_under_another_number(world: Branch, cast: Cast) -> None:
    services.party_member_update(actor=None, member=world.outsider_member, phone="13600002222")
    reg = services.member_registration_apply(
        actor=None,
        community=cast.other_community,
        name="李四",
        phone="13600002222",  # not the number the account signed in with
        workplace="区人民医院",
        workplace_branch="区人民医院党委",
        specialty="medical",
        availability="weekends",
    )
    services.member_registration_approve(actor=None, registration=reg)
    page = signed_in(world.plain).get("/party/me/").content.decode()
    assert f'href="/party/r/{reg.token}/"' in page and "安排岗位" in page
    mine = signed_in(world.plain).get("/api/party/registrations/mine").json()
    assert [r["token"] for r in mine["items"]] == [reg.token]


def test_the_api_reads_the_callers_own_record_and_ledger(world: Branch, cast: Cast) -> None:
    _points(world)
    me = signed_in(world.plain)
    body = me.get("/api/party/me").json()
    assert (body["name"], body["branch"]["name"], body["points_year"], body["points_total"]) == (
        "李四",
        "光明小区党支部",
        5,
        5,
    )
    assert body["leads_branch"] is False and body["position"] == "member"
    ledger = me.get("/api/party/me/points").json()
    assert ledger["count"] == 1 and [e["reason"] for e in ledger["items"]] == ["楼道清扫志愿服务"]
    assert signed_in(world.secretary).get("/api/party/me").json()["leads_branch"] is True
    none = signed_in(cast.community_worker).get("/api/party/me")
    assert none.status_code == 404 and "没有关联党员档案" in none.json()["message"]
    assert Client().get("/api/party/me").status_code == 401
