"""我的支部: a branch's secretary (a resident, signed in with their own account) sees and does their branch's
work, and nothing of another branch; the capability ends with the position; a plain member sees none of it."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from linli.core.errors import PermissionDenied, ValidationFailed
from linli.core.models import AuditEntry
from linli.party import services
from linli.party.models import BranchMeeting, BranchStarRating, MemberPointsEntry, PartyMember
from linli.party.selectors import member_points_total
from linli.testing import Cast, signed_in

from .helpers import Branch

pytestmark = pytest.mark.django_db


def _me(w: Branch) -> Client:
    return signed_in(w.secretary)


def _post(client: Client, url: str, body: dict[str, object]):  # type: ignore[no-untyped-def]
    return client.post(url, json.dumps(body), content_type="application/json")


def _meeting(topic: str, *attendees: PartyMember) -> dict[str, object]:
    return {
        "kind": "lesson",
        "held_on": timezone.localdate().isoformat(),
        "topic": topic,
        "attendee_ids": [m.pk for m in attendees],
    }


def test_the_secretary_finds_the_branch_from_the_menu_and_home(world: Branch) -> None:
    me = _me(world)
    home = me.get("/").content.decode()
    url = reverse("party:branch_home")
    assert f'href="{url}"' in home and "我的支部" in home
    response = me.get(url)
    assert response.status_code == 302 and response["Location"] == reverse(
        "party:branch", args=[world.branch.pk]
    )
    page = me.get(response["Location"]).content.decode()
    assert "阳光小区党支部" in page and "王五" in page and "137****1111" in page
    assert "13700001111" not in page  # phones masked
    assert "光明小区党支部" not in page and "李四" not in page


def test_the_secretary_records_a_meeting_and_attendance_earns_points(world: Branch) -> None:
    me = _me(world)
    url = reverse("party:branch_meeting_new", args=[world.branch.pk])
    form = me.get(url).content.decode()
    assert "王五" in form and "李四" not in form
    response = me.post(
        url,
        {
            "branch": world.branch.pk,
            "kind": "lesson",
            "held_on": timezone.localdate().isoformat(),
            "topic": "学习党章",
            "attendees": [world.member.pk, world.secretary_member.pk],
        },
    )
    assert response.status_code == 302
    meeting = BranchMeeting.objects.get()
    assert meeting.recorded_by == world.secretary and meeting.attendees.count() == 2
    assert member_points_total(world.member) == 3  # the meeting rule, as for staff
    assert AuditEntry.objects.filter(
        action="party.branch_meeting_record", actor_id=world.secretary.pk
    ).exists()


def test_the_secretary_enters_points_with_a_reason_not_for_themselves(world: Branch) -> None:
    me = _me(world)
    url = reverse("party:branch_member_points", args=[world.branch.pk, world.member.pk])
    assert me.post(url, {"points": 5, "reason": "带头清理楼道堆物"}).status_code == 302
    entry = MemberPointsEntry.objects.get(member=world.member)
    assert entry.points == 5 and entry.actor == world.secretary and entry.kind == "secretary"
    assert AuditEntry.objects.filter(action="party.member_points_grant", actor_id=world.secretary.pk).exists()
    # Points for oneself: refused on the form, in Chinese, with what was typed kept.
    own = reverse("party:branch_member_points", args=[world.branch.pk, world.secretary_member.pk])
    page = me.post(own, {"points": 10, "reason": "我自己的理由"}).content.decode()
    assert "支部其他负责人" in page and "我自己的理由" in page
    assert not MemberPointsEntry.objects.filter(member=world.secretary_member).exists()


def test_the_secretary_computes_the_self_assessment(world: Branch) -> None:
    me = _me(world)
    response = me.post(reverse("party:branch_star_compute", args=[world.branch.pk]))
    assert response.status_code == 302
    rating = BranchStarRating.objects.get(branch=world.branch)
    assert rating.state == "computed"
    page = me.get(reverse("party:branch", args=[world.branch.pk])).content.decode()
    assert "应开 4 次" in page  # an indicator's evidence
    with pytest.raises((PermissionDenied, ValidationFailed)):  # approving stays the street's
        services.branch_stars_approve(actor=world.secretary, rating=rating)


def test_another_branch_is_not_found_on_pages_and_api(world: Branch) -> None:
    me = _me(world)
    other = world.other_branch.pk
    assert me.get(reverse("party:branch", args=[other])).status_code == 404
    assert me.get(reverse("party:branch_meeting_new", args=[other])).status_code == 404
    points = reverse("party:branch_member_points", args=[world.branch.pk, world.outsider_member.pk])
    assert me.get(points).status_code == 404  # another branch's member under one's own branch
    assert me.post(points, {"points": 5, "reason": "x"}).status_code == 404
    assert me.get(f"/api/party/branch/{other}").status_code == 404
    assert (
        me.get(f"/api/party/branch/{world.branch.pk}/members/{world.outsider_member.pk}/points").status_code
        == 404
    )
    granted = _post(
        me,
        f"/api/party/branch/{world.branch.pk}/members/{world.outsider_member.pk}/points",
        {"points": 3, "reason": "x"},
    )
    assert granted.status_code == 404
    meeting = _post(me, f"/api/party/branch/{world.branch.pk}/meetings", _meeting("x", world.outsider_member))
    assert meeting.status_code == 422 and not BranchMeeting.objects.exists()
    # The staff pages and API stay staff's.
    assert me.get(reverse("party:members")).status_code == 403
    assert me.get(reverse("party:member_points", args=[world.member.pk])).status_code == 403
    assert me.get("/api/party/members").status_code == 403
    # The service refuses too, whatever a caller names.
    with pytest.raises(ValidationFailed, match="管辖范围"):
        services.member_points_grant(
            actor=world.secretary, member=world.outsider_member, points=1, reason="x"
        )


def test_the_api_does_what_the_pages_do(world: Branch) -> None:
    me = _me(world)
    mine = me.get("/api/party/branch/mine").json()
    assert mine == [
        {
            "id": world.branch.pk,
            "name": "阳光小区党支部",
            "kind": "branch",
            "org_node": {"id": world.branch.org_node_id, "name": "阳光小区"},
            "position": "secretary",
        }
    ]
    summary = me.get(f"/api/party/branch/{world.branch.pk}").json()
    assert {m["name"] for m in summary["members"]} == {"张三", "王五"}
    assert {m["phone"] for m in summary["members"]} == {"138****5678", "137****1111"}
    assert summary["may"] == ["meeting_record", "points_grant", "stars_compute", "stars_submit"]
    made = _post(me, f"/api/party/branch/{world.branch.pk}/meetings", _meeting("支部党员大会", world.member))
    assert made.status_code == 201, made.content
    assert made.json()["attendance"] == 1
    assert me.get(f"/api/party/branch/{world.branch.pk}/meetings").json()["count"] == 1
    granted = _post(
        me,
        f"/api/party/branch/{world.branch.pk}/members/{world.member.pk}/points",
        {"points": -2, "reason": "无故缺席组织生活"},
    )
    assert granted.status_code == 201
    ledger = me.get(f"/api/party/branch/{world.branch.pk}/members/{world.member.pk}/points").json()
    assert sorted(e["points"] for e in ledger["items"]) == [-2, 3]
    rating = me.post(f"/api/party/branch/{world.branch.pk}/stars/compute")
    assert rating.status_code == 200 and rating.json()["state"] == "computed"
    assert me.get(f"/api/party/branch/{world.branch.pk}/registrations").status_code == 200


def test_the_capability_ends_with_the_position(cast: Cast, world: Branch) -> None:
    me = _me(world)
    assert me.get(reverse("party:branch", args=[world.branch.pk])).status_code == 200
    services.party_member_set_position(actor=cast.community_worker, member=world.member, position="secretary")
    # 张三 is now a committee member: no pages, no API, no writes, and no 我的支部 in the menu once a branch page
    # has refused them (the menu remembers the answer for a few minutes; a branch page asks again).
    assert me.get(reverse("party:branch_home")).status_code == 403
    home = me.get("/").content.decode()
    assert reverse("party:branch_home") not in home
    assert me.get(reverse("party:branch", args=[world.branch.pk])).status_code == 404
    assert me.get(f"/api/party/branch/{world.branch.pk}").status_code == 404
    assert me.get("/api/party/branch/mine").json() == []
    with pytest.raises(ValidationFailed, match="管辖范围"):
        services.member_points_grant(actor=world.secretary, member=world.member, points=1, reason="x")


def test_a_deputy_secretary_leads_too_and_an_unverified_account_does_not(cast: Cast, world: Branch) -> None:
    services.party_member_set_position(actor=None, member=world.outsider_member, position="deputy_secretary")
    deputy = signed_in(world.plain)
    assert deputy.get(reverse("party:branch", args=[world.other_branch.pk])).status_code == 200
    assert deputy.get(reverse("party:branch", args=[world.branch.pk])).status_code == 404
    world.plain.household_verified_at = None
    world.plain.save(update_fields=["household_verified_at"])
    assert deputy.get(reverse("party:branch", args=[world.other_branch.pk])).status_code == 404


def test_a_plain_member_sees_none_of_it(world: Branch) -> None:
    plain = signed_in(world.plain)
    home = plain.get("/").content.decode()
    assert reverse("party:branch_home") not in home and "我的支部" not in home
    assert plain.get(reverse("party:branch_home")).status_code == 403
    assert plain.get(reverse("party:branch", args=[world.other_branch.pk])).status_code == 404
    assert plain.get(reverse("party:branch", args=[world.branch.pk])).status_code == 404
    assert plain.get(f"/api/party/branch/{world.other_branch.pk}").status_code == 404
    assert plain.get("/api/party/branch/mine").json() == []


def test_an_anonymous_visitor_is_sent_to_the_resident_sign_in(world: Branch) -> None:
    response = Client().get(reverse("party:branch", args=[world.branch.pk]))
    assert response.status_code == 302 and reverse("accounts:resident_login") in response["Location"]


def test_staff_of_the_area_open_the_same_page(world: Branch, client_for) -> None:  # type: ignore[no-untyped-def]
    page = client_for("community_worker").get(reverse("party:branch", args=[world.branch.pk]))
    assert page.status_code == 200 and "王五" in page.content.decode()
    assert client_for("outsider").get(reverse("party:branch", args=[world.branch.pk])).status_code == 404


def test_the_branch_page_reads_in_few_queries(world: Branch, django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
    me = _me(world)
    for i in range(5):
        services.party_member_create(actor=None, name=f"党员{i}", party_org=world.branch)
    me.get(reverse("party:branch", args=[world.branch.pk]))
    with django_assert_max_num_queries(16):  # as many with 2 members as with 7
        me.get(reverse("party:branch", args=[world.branch.pk]))


def test_the_menu_asks_whether_a_resident_leads_a_branch_once_in_a_while(world: Branch) -> None:
    """The 我的支部 entry cost a query on every page a resident opened; the answer is kept in the session for a few
    minutes (core.session_memo), so the second page reads no party table."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    me = _me(world)
    with CaptureQueriesContext(connection) as first:
        assert reverse("party:branch_home") in me.get("/").content.decode()
    assert any("party_partymember" in q["sql"] for q in first.captured_queries)
    with CaptureQueriesContext(connection) as second:
        assert reverse("party:branch_home") in me.get("/").content.decode()
    assert not any("party_partymember" in q["sql"] for q in second.captured_queries)


def test_the_branch_page_counts_every_meeting_and_pages_through_them(world: Branch) -> None:
    """The figure of meetings recorded is all of them (not the ones on the first page), ten to a page, latest
    first; a member without a phone reads "—", not an empty cell."""
    start = timezone.localdate() - dt.timedelta(days=360)  # this year's and last year's, as the branch counts
    for n in range(12):
        services.branch_meeting_record(
            actor=None,
            branch=world.branch,
            kind="committee",
            held_on=start + dt.timedelta(days=30 * n),
            topic=f"第{n + 1:02d}次支委会",
            attendees=[world.member],
        )
    services.party_member_create(actor=None, name="赵六", party_org=world.branch)
    me = _me(world)
    url = reverse("party:branch", args=[world.branch.pk])
    first = me.get(url).content.decode()
    assert '<span class="stat-value">12</span>' in first
    assert "第12次支委会" in first and "第02次支委会" not in first
    assert "第 1 / 2 页，共 12 条" in first and 'href="?page=2#meetings"' in first
    assert re.search(r"赵六</a></td><td class=\"mono\">—</td>", first)
    second = me.get(url, {"page": 2}).content.decode()
    assert "第02次支委会" in second and "第01次支委会" in second and "第12次支委会" not in second
