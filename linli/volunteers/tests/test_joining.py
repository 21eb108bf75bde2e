"""A resident volunteer asks to join a team of their community from its page; the team's leader or the community's
workers accept or decline it with a reason; the volunteer sees the answer on the page and in their inbox. Scoped:
another community's staff and other volunteers see nothing of it. The API offers the same steps."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.urls import reverse

from linli.core.audit import AuditEntry
from linli.core.errors import Conflict, PermissionDenied, ValidationFailed
from linli.core.models import Notification
from linli.core.roles import Role
from linli.testing import make_user, signed_in
from linli.volunteers import services
from linli.volunteers.choices import JoinState
from linli.volunteers.models import TeamJoinRequest, VolunteerTeam

from .conftest import World

pytestmark = pytest.mark.django_db


def elder_team(world: World) -> tuple[VolunteerTeam, Any]:
    """A second team of the community, led by a resident with an account (who is not `me`)."""
    cast = world.cast
    account = make_user("13900000009", Role.RESIDENT, name="李队长")
    leader = services.volunteer_enrol(
        actor=cast.community_worker, community=cast.community, name="李队长", account_id=account.pk
    )
    team = services.team_create(
        actor=cast.community_worker,
        community=cast.community,
        name="助老黄马甲",
        colour="yellow",
        leader=leader,
    )
    return team, account


def test_a_resident_asks_from_the_team_page_and_a_worker_accepts(
    world: World, client_for: Any, django_capture_on_commit_callbacks: Any
) -> None:
    team, leader = elder_team(world)
    resident = client_for("resident")
    assert "助老黄马甲" in resident.get(reverse("volunteers:home")).content.decode()
    page = resident.get(reverse("volunteers:team", args=[team.pk])).content.decode()
    assert "申请加入这支队伍" in page
    with django_capture_on_commit_callbacks(execute=True):
        asked = resident.post(reverse("volunteers:team_join", args=[team.pk]), {"note": "周末有空"})
    assert asked.status_code == 302
    request = TeamJoinRequest.objects.get(team=team, volunteer=world.me)
    assert request.state == JoinState.PENDING and request.note == "周末有空"
    assert Notification.objects.filter(user=leader, title__contains="申请加入").exists()
    assert "等待答复" in resident.get(reverse("volunteers:team", args=[team.pk])).content.decode()
    again = resident.post(reverse("volunteers:team_join", args=[team.pk]), {}, follow=True).content.decode()
    assert "已经申请" in again
    assert TeamJoinRequest.objects.filter(team=team).count() == 1

    worker = client_for("community_worker")
    staff_page = worker.get(reverse("volunteers:staff_team", args=[team.pk])).content.decode()
    assert "申请加入" in staff_page and "周末有空" in staff_page
    with django_capture_on_commit_callbacks(execute=True):
        worker.post(reverse("volunteers:staff_join_decide", args=[team.pk, request.pk, "accept"]))
    request.refresh_from_db()
    assert request.state == JoinState.ACCEPTED
    assert team.members.filter(pk=world.me.pk).exists()
    assert Notification.objects.filter(user=world.cast.resident, title__contains="助老黄马甲").exists()
    assert AuditEntry.objects.filter(action="volunteers.team_join_decide").count() == 1
    assert "您已是这支队伍的队员" in resident.get(reverse("volunteers:team", args=[team.pk])).content.decode()


def test_the_leader_declines_with_a_reason_the_resident_then_reads(
    world: World, client_for: Any, django_capture_on_commit_callbacks: Any
) -> None:
    team, leader = elder_team(world)
    request = services.team_join_ask(actor=world.cast.resident, team=team, note="")
    lead = signed_in(leader)
    page = lead.get(reverse("volunteers:team", args=[team.pk])).content.decode()
    assert "张三" in page and "拒绝" in page
    url = reverse("volunteers:team_join_decide", args=[team.pk, request.pk, "decline"])
    refused = lead.post(url, {"reason": ""}, follow=True).content.decode()
    assert "请说明原因" in refused
    with django_capture_on_commit_callbacks(execute=True):
        lead.post(url, {"reason": "本队暂不招新，请关注红色先锋队"})
    request.refresh_from_db()
    assert request.state == JoinState.DECLINED and request.decided_by_id == leader.pk
    assert not team.members.filter(pk=world.me.pk).exists()
    told = Notification.objects.get(user=world.cast.resident, title__contains="未通过")
    assert "暂不招新" in told.body
    mine = client_for("resident").get(reverse("volunteers:team", args=[team.pk])).content.decode()
    assert "暂不招新" in mine and "再次申请" in mine


def test_requests_are_scoped_and_answered_once(world: World, client_for: Any) -> None:
    team, _leader = elder_team(world)
    request = services.team_join_ask(actor=world.cast.resident, team=team)
    # Another community's worker, and a volunteer who does not lead the team, cannot see or answer it.
    outsider = client_for("outsider")
    assert outsider.get(reverse("volunteers:staff_team", args=[team.pk])).status_code == 404
    url = reverse("volunteers:staff_join_decide", args=[team.pk, request.pk, "accept"])
    assert outsider.post(url).status_code == 404
    with pytest.raises(PermissionDenied):
        services.team_join_decide(actor=world.cast.outsider, request=request, accept=True)
    with pytest.raises(ValidationFailed):
        services.team_join_decide(actor=world.cast.community_worker, request=request, accept=False, reason="")
    services.team_join_decide(actor=world.cast.community_worker, request=request, accept=True)
    with pytest.raises(Conflict):
        services.team_join_decide(
            actor=world.cast.community_worker, request=request, accept=False, reason="晚了"
        )
    with pytest.raises(Conflict):  # a member already
        services.team_join_ask(actor=world.cast.resident, team=team)
    # A resident who is not a volunteer is asked to register first.
    with pytest.raises(PermissionDenied):
        services.team_join_ask(actor=make_user("13900000010", Role.RESIDENT), team=team)


def _api(client: Any, url: str, data: dict[str, Any] | None = None) -> Any:
    return client.post(f"/api/volunteers{url}", json.dumps(data or {}), content_type="application/json")


def test_the_api_asks_lists_and_answers(world: World, client_for: Any) -> None:
    team, leader = elder_team(world)
    resident = client_for("resident")
    listed = resident.get("/api/volunteers/teams-to-join").json()
    assert team.pk in [t["id"] for t in listed]
    asked = _api(resident, f"/teams/{team.pk}/join", {"note": "会开车"})
    assert asked.status_code == 201, asked.content
    assert _api(resident, f"/teams/{team.pk}/join").status_code == 409
    rid = asked.json()["id"]
    waiting = signed_in(leader).get(f"/api/volunteers/teams/{team.pk}/join-requests").json()
    assert [r["id"] for r in waiting] == [rid]
    assert client_for("outsider").get(f"/api/volunteers/teams/{team.pk}/join-requests").json() == []
    assert _api(client_for("outsider"), f"/join-requests/{rid}/accept").status_code == 404
    assert _api(signed_in(leader), f"/join-requests/{rid}/decline").status_code == 422
    answered = _api(signed_in(leader), f"/join-requests/{rid}/decline", {"reason": "人满了"})
    assert answered.status_code == 200 and answered.json()["state"] == "declined"
    mine = resident.get("/api/volunteers/join-requests/mine").json()
    assert mine[0]["reason"] == "人满了" and mine[0]["team"]["id"] == team.pk


def test_the_teams_list_says_which_team_has_requests_waiting(world: World, client_for: Any) -> None:
    team, _leader = elder_team(world)
    services.team_join_ask(actor=world.cast.resident, team=team)
    listed = client_for("community_worker").get(reverse("volunteers:staff_teams")).content.decode()
    assert "1 人申请加入" in listed
    assert reverse("volunteers:staff_team", args=[team.pk]) + "#requests" in listed


def test_a_volunteer_reads_a_teams_activities_as_short_items_and_no_note_for_its_workers(
    world: World, client_for: Any
) -> None:
    """On a volunteer's page of a team, its activities are one short item each (the title, its state, when, where
    and the places), as on their home, not the staff's table read as cards of five labelled lines; and a team with
    no description says nothing, where it read 还没有填写队伍简介, a note for the community's workers."""
    from linli.volunteers.models import Activity

    team, _leader = elder_team(world)
    Activity.objects.filter(pk=world.activity.pk).update(team=team)
    page = client_for("resident").get(reverse("volunteers:team", args=[team.pk])).content.decode()
    assert '<ul class="home-list vo-team-acts">' in page and "data-label" not in page
    assert f'<a href="{reverse("volunteers:activity", args=[world.activity.pk])}">社区环境整治</a>' in page
    assert "阳光小区中心广场 · 引导员 0/2 · 急救员 0/1" in page
    assert "还没有填写队伍简介" not in page
