"""A team's page: staff change its details, leader and members (each through a service, audited, scoped to their
communities), the leader reads it, and the API offers the same; staff of another community get 404."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse

from linli.core.audit import AuditEntry
from linli.core.errors import Conflict, PermissionDenied, ValidationFailed
from linli.testing import Cast
from linli.volunteers import services

from .conftest import World, at, made_inactive, make_activity

pytestmark = pytest.mark.django_db


def enrol(cast: Cast, name: str, **kwargs: Any):  # type: ignore[no-untyped-def]
    return services.volunteer_enrol(
        actor=cast.community_worker, community=cast.community, name=name, **kwargs
    )


def page(world: World) -> str:
    return reverse("volunteers:staff_team", args=[world.team.pk])


def api(client: Any, method: str, url: str, data: dict[str, Any] | None = None) -> Any:
    send = getattr(client, method)
    return send(f"/api/volunteers{url}", json.dumps(data or {}), content_type="application/json")


# --- services ----------------------------------------------------------------------------------------------


def test_team_update_saves_the_details_and_audits_what_changed(world: World) -> None:
    services.team_update(
        actor=world.cast.community_worker,
        team=world.team,
        name="幸福先锋队",
        colour="red",
        description="每周六清扫楼道",
        party_org=world.team.party_org,
    )
    world.team.refresh_from_db()
    assert (world.team.name, world.team.description) == ("幸福先锋队", "每周六清扫楼道")
    entry = AuditEntry.objects.filter(action="volunteers.team_update").get()
    assert entry.detail["changed"] == ["name", "description"] and entry.actor == world.cast.community_worker


def test_a_leader_who_is_not_a_member_joins_the_team(world: World) -> None:
    newcomer = enrol(world.cast, "李队长")
    services.team_leader_set(actor=world.cast.community_worker, team=world.team, leader=newcomer)
    world.team.refresh_from_db()
    assert world.team.leader == newcomer and newcomer in world.team.members.all()
    assert AuditEntry.objects.filter(action="volunteers.team_leader_set").get().detail["joined"] is True


def test_a_new_team_comes_back_with_its_leader(world: World) -> None:
    """`team_create` returned the row it created before `team_set_members` named the leader on a locked copy: the
    caller read no leader (the demo asked who leads it and found nobody). It returns the team as set up."""
    leader = enrol(world.cast, "王队长")
    team = services.team_create(
        actor=world.cast.community_worker,
        community=world.cast.community,
        name="环保志愿队",
        colour="green",
        leader=leader,
    )
    assert team.leader == leader and list(team.members.all()) == [leader]


def test_volunteers_of_another_community_or_inactive_ones_cannot_join(world: World) -> None:
    stranger = services.volunteer_enrol(actor=None, community=world.cast.other_community, name="外人")
    with pytest.raises(ValidationFailed, match="不是本社区的志愿者"):
        services.team_leader_set(actor=world.cast.community_worker, team=world.team, leader=stranger)
    resting = enrol(world.cast, "歇着的")
    services.volunteer_update(
        actor=world.cast.community_worker,
        volunteer=resting,
        skills="",
        certificates=[],
        availability="",
        active=False,
    )
    with pytest.raises(ValidationFailed, match="已停用"):
        services.team_members_add(actor=world.cast.community_worker, team=world.team, members=[resting])
    assert set(world.team.members.all()) == {world.me, world.other}


def test_adding_members_adds_the_new_ones_and_refuses_when_all_are_in(world: World) -> None:
    fresh = enrol(world.cast, "新人")
    added = services.team_members_add(
        actor=world.cast.community_worker, team=world.team, members=[fresh, world.me]
    )
    assert added == [fresh] and fresh in world.team.members.all()
    with pytest.raises(ValidationFailed, match="已经是本队队员"):
        services.team_members_add(actor=world.cast.community_worker, team=world.team, members=[fresh])


def test_the_leader_is_replaced_before_being_removed(world: World) -> None:
    with pytest.raises(Conflict, match="是本队队长"):
        services.team_member_remove(actor=world.cast.community_worker, team=world.team, member=world.other)
    services.team_member_remove(actor=world.cast.community_worker, team=world.team, member=world.me)
    assert list(world.team.members.all()) == [world.other]
    assert (
        AuditEntry.objects.filter(action="volunteers.team_member_remove").get().detail["removed"]
        == world.me.pk
    )


def test_a_grid_worker_reads_teams_but_may_not_change_them(world: World) -> None:
    with pytest.raises(PermissionDenied):
        services.team_member_remove(actor=world.cast.grid_worker, team=world.team, member=world.me)


# --- pages -------------------------------------------------------------------------------------------------


def test_the_team_list_links_each_team_to_its_page(world: World, client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for("community_worker")
    body = client.get(reverse("volunteers:staff_teams")).content.decode()
    assert f'href="{page(world)}"' in body


def test_a_new_team_is_set_up_and_its_page_opens_to_add_members(world: World, client_for) -> None:  # type: ignore[no-untyped-def]
    """Before, the form listed every volunteer of every community as a box to tick; now it asks the team's own
    details and the team's page takes the members, searched, and the leader."""
    client = client_for("community_worker")
    form = client.get(reverse("volunteers:staff_teams")).content.decode()
    assert 'name="members"' not in form
    made = client.post(
        reverse("volunteers:staff_teams"),
        {
            "community": world.cast.community.pk,
            "name": "幸福助老服务队",
            "colour": "yellow",
            "description": "陪老人就医",
        },
        follow=True,
    )
    body = made.content.decode()
    assert "队伍已组建：请在本页添加队员、选定队长。" in body and "陪老人就医" in body and "添加队员" in body


def test_an_activity_of_a_team_links_to_the_teams_page(world: World, client_for) -> None:  # type: ignore[no-untyped-def]
    world.activity.team = world.team
    world.activity.save(update_fields=["team"])
    client = client_for("community_worker")
    assert f'href="{page(world)}"' in client.get(reverse("volunteers:staff_activities")).content.decode()
    detail = client.get(reverse("volunteers:staff_activity", args=[world.activity.pk])).content.decode()
    assert f'href="{page(world)}"' in detail


def test_the_team_page_shows_members_with_their_hours_and_activities(world: World, client_for) -> None:  # type: ignore[no-untyped-def]
    activity = make_activity(world.cast, title="楼道清扫", starts=at(3))
    activity.team = world.team
    activity.save(update_fields=["team"])
    client = client_for("community_worker")
    body = client.get(page(world)).content.decode()
    assert "王医生" in body and "队长" in body and "张三" in body and "138****5678" in body
    assert "楼道清扫" in body and "近期活动" in body
    assert 'data-confirm="要把 张三 移出' in body  # the remove button asks first


def test_a_refused_edit_keeps_what_was_typed(world: World, client_for) -> None:  # type: ignore[no-untyped-def]
    response = client_for("community_worker").post(
        reverse("volunteers:staff_team_edit", args=[world.team.pk]),
        {"name": "", "colour": "red", "description": "帮独居老人买菜"},
    )
    body = response.content.decode()
    assert response.status_code == 422 and 'role="alert"' in body and "帮独居老人买菜" in body
    world.team.refresh_from_db()
    assert world.team.name == "幸福红色先锋队" and world.team.description == ""


def test_staff_find_and_add_members_and_change_the_leader(world: World, client_for) -> None:  # type: ignore[no-untyped-def]
    fresh = enrol(world.cast, "赵六", skills="理发")
    enrol(world.cast, "钱七")
    client = client_for("community_worker")
    found = client.get(page(world), {"find": "理发"}).content.decode()
    assert "<span>赵六</span>" in found and "<span>钱七</span>" not in found
    added = client.post(reverse("volunteers:staff_team_add", args=[world.team.pk]), {"members": [fresh.pk]})
    assert added.status_code == 302 and fresh in world.team.members.all()
    leader = client.post(reverse("volunteers:staff_team_leader", args=[world.team.pk]), {"leader": fresh.pk})
    assert leader.status_code == 302  # a member now
    world.team.refresh_from_db()
    assert world.team.leader == fresh


def test_the_leader_is_chosen_among_the_members_not_from_every_volunteer(world: World, client_for) -> None:  # type: ignore[no-untyped-def]
    """Before, a drop-down offered every volunteer of the community (hundreds); now each member's row has its
    button, and a volunteer not in the team is first added with the search."""
    stranger = enrol(world.cast, "赵六")
    client = client_for("community_worker")
    body = client.get(page(world)).content.decode()
    assert "<select" not in body.split('id="members"')[1].split('id="add"')[0]
    assert f'<option value="{stranger.pk}"' not in body
    assert f'name="leader" value="{world.me.pk}"' in body and "设为队长" in body
    assert f'name="leader" value="{stranger.pk}"' not in body and "<span>赵六</span>" in body  # to be added


def test_a_member_is_made_leader_and_the_leader_stands_down(world: World, client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for("community_worker")
    url = reverse("volunteers:staff_team_leader", args=[world.team.pk])
    made = client.post(url, {"leader": world.me.pk}, follow=True)
    world.team.refresh_from_db()
    assert world.team.leader == world.me and "队长已更换" in made.content.decode()
    body = made.content.decode()
    assert 'name="leader" value=""' in body and "取消队长" in body  # on 张三's row now
    client.post(url, {"leader": ""})
    world.team.refresh_from_db()
    assert world.team.leader is None and set(world.team.members.all()) == {world.me, world.other}
    entries = AuditEntry.objects.filter(action="volunteers.team_leader_set").order_by("id")
    assert [e.detail["after"] for e in entries] == [world.me.pk, None]


def test_a_non_member_posted_as_leader_is_refused_on_the_page(world: World, client_for) -> None:  # type: ignore[no-untyped-def]
    stranger = enrol(world.cast, "赵六")
    response = client_for("community_worker").post(
        reverse("volunteers:staff_team_leader", args=[world.team.pk]), {"leader": stranger.pk}
    )
    body = response.content.decode()
    assert response.status_code == 422 and 'role="alert"' in body and "请先将其加入本队" in body
    world.team.refresh_from_db()
    assert world.team.leader == world.other and stranger not in world.team.members.all()


def test_an_inactive_member_is_not_offered_as_leader(world: World) -> None:
    made_inactive(world)
    from linli.volunteers.forms import TeamLeaderForm

    form = TeamLeaderForm({"leader": world.me.pk}, user=world.cast.community_worker, team=world.team)
    assert not form.is_valid() and "请先将其加入本队" in form.errors["leader"][0]


def test_adding_nobody_is_refused_with_the_search_kept(world: World, client_for) -> None:  # type: ignore[no-untyped-def]
    enrol(world.cast, "赵六", skills="理发")
    response = client_for("community_worker").post(
        reverse("volunteers:staff_team_add", args=[world.team.pk]), {"find": "理发"}
    )
    body = response.content.decode()
    assert response.status_code == 422 and "请勾选要加入的志愿者" in body
    assert 'value="理发"' in body and "赵六" in body


def test_removing_a_member_and_the_leaders_refusal(world: World, client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for("community_worker")
    url = reverse("volunteers:staff_team_remove", args=[world.team.pk, world.other.pk])
    refused = client.post(url, follow=True)
    assert "王医生 是本队队长" in refused.content.decode() and world.other in world.team.members.all()
    gone = client.post(
        reverse("volunteers:staff_team_remove", args=[world.team.pk, world.me.pk]), follow=True
    )
    assert "张三 已离开本队" in gone.content.decode() and world.me not in world.team.members.all()


def test_the_leader_reads_their_team_and_others_do_not(world: World, client_for) -> None:  # type: ignore[no-untyped-def]
    resident = client_for("resident")
    url = reverse("volunteers:team", args=[world.team.pk])
    # 张三 is a member, not the leader: the team's page reads as any volunteer's of the community, no member list.
    member = resident.get(url).content.decode()
    assert "您已是这支队伍的队员" in member and 'id="members"' not in member
    assert client_for("outsider").get(url).status_code == 404  # no volunteer of this community
    services.team_leader_set(actor=world.cast.community_worker, team=world.team, leader=world.me)
    body = resident.get(url).content.decode()
    assert "幸福红色先锋队" in body and "王医生" in body and "移出本队" not in body
    home = resident.get(reverse("volunteers:home")).content.decode()
    assert f'href="{url}"' in home
    assert resident.get(page(world)).status_code == 403  # the staff's page is for staff


def test_staff_of_another_community_get_404(world: World, client_for) -> None:  # type: ignore[no-untyped-def]
    outsider = client_for("outsider")
    assert outsider.get(page(world)).status_code == 404
    removed = outsider.post(reverse("volunteers:staff_team_remove", args=[world.team.pk, world.me.pk]))
    assert removed.status_code == 404 and world.me in world.team.members.all()
    assert api(outsider, "patch", f"/teams/{world.team.pk}", {"name": "x"}).status_code == 404


def test_a_grid_worker_reads_the_page_without_its_forms(world: World, client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for("grid_worker")
    body = client.get(page(world)).content.decode()
    assert "张三" in body and "添加队员" not in body and "移出本队" not in body
    assert "<th></th>" not in body  # no empty column where the remove buttons would be
    posted = client.post(
        reverse("volunteers:staff_team_remove", args=[world.team.pk, world.me.pk]), follow=True
    )
    assert world.me in world.team.members.all() and "只有社区或街道工作人员" in posted.content.decode()


def test_the_team_page_reads_in_a_fixed_number_of_queries(
    world: World, client_for, django_assert_max_num_queries
) -> None:  # type: ignore[no-untyped-def]
    client = client_for("community_worker")
    client.get(page(world))
    for n in range(6):
        services.team_members_add(
            actor=world.cast.community_worker, team=world.team, members=[enrol(world.cast, f"队员{n}")]
        )
    with django_assert_max_num_queries(22):
        assert client.get(page(world)).status_code == 200


# --- API ---------------------------------------------------------------------------------------------------


def test_the_api_reads_and_changes_a_team(world: World, client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for("community_worker")
    listed = client.get("/api/volunteers/teams").json()
    assert [t["name"] for t in listed] == ["幸福红色先锋队"] and listed[0]["member_count"] == 2
    detail = client.get(f"/api/volunteers/teams/{world.team.pk}").json()
    assert detail["leader"]["name"] == "王医生" and detail["may_manage"] is True
    assert {m["name"]: m["team_hours"] for m in detail["members"]} == {"王医生": "0", "张三": "0"}
    changed = api(client, "patch", f"/teams/{world.team.pk}", {"description": "巡逻"}).json()
    assert changed["description"] == "巡逻" and changed["name"] == "幸福红色先锋队"
    fresh = enrol(world.cast, "赵六")
    added = api(client, "post", f"/teams/{world.team.pk}/members", {"volunteer_ids": [fresh.pk]})
    assert added.status_code == 200 and added.json()["member_count"] == 3
    led = api(client, "put", f"/teams/{world.team.pk}/leader", {"volunteer_id": fresh.pk}).json()
    assert led["leader"]["id"] == fresh.pk
    refused = api(client, "delete", f"/teams/{world.team.pk}/members/{fresh.pk}")
    assert refused.status_code == 409 and "队长" in refused.json()["message"]
    left = api(client, "delete", f"/teams/{world.team.pk}/members/{world.me.pk}").json()
    assert [m["name"] for m in left["members"]] == ["赵六", "王医生"]


def test_the_api_refuses_with_the_field_and_keeps_the_team(world: World, client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for("community_worker")
    refused = api(client, "patch", f"/teams/{world.team.pk}", {"colour": "purple"})
    assert refused.status_code == 422 and refused.json()["extra"]["field"] == "colour"
    assert (
        api(client_for("grid_worker"), "patch", f"/teams/{world.team.pk}", {"name": "x"}).status_code == 403
    )
    assert api(client_for("resident"), "patch", f"/teams/{world.team.pk}", {"name": "x"}).status_code == 403
    world.team.refresh_from_db()
    assert world.team.name == "幸福红色先锋队"


def test_the_leader_reads_the_team_in_the_api(world: World, client_for) -> None:  # type: ignore[no-untyped-def]
    resident = client_for("resident")
    assert resident.get(f"/api/volunteers/teams/{world.team.pk}").status_code == 404
    services.team_leader_set(actor=world.cast.community_worker, team=world.team, leader=world.me)
    detail = resident.get(f"/api/volunteers/teams/{world.team.pk}").json()
    assert detail["leader"]["name"] == "张三" and detail["may_manage"] is False
    assert Decimal(detail["members"][0]["all_hours"]) == 0


def test_a_worker_makes_a_volunteer_inactive_and_active_again(world: World, client_for) -> None:  # type: ignore[no-untyped-def]
    """A volunteer who moved away: before, no page could stop them being called and signing up."""
    client = client_for("community_worker")
    listing = client.get(reverse("volunteers:staff_volunteers"), {"q": "张三"}).content.decode()
    assert 'data-confirm="要停用 张三 吗？' in listing
    url = reverse("volunteers:staff_volunteer_active", args=[world.me.pk])
    back = reverse("volunteers:staff_volunteers") + "?page=1"
    done = client.post(url, {"active": "0", "next": back})
    assert done.status_code == 302 and done["Location"] == back
    world.me.refresh_from_db()
    assert world.me.active is False
    client.post(url, {"active": "1"})
    world.me.refresh_from_db()
    assert world.me.active is True


def test_a_grid_worker_is_offered_no_deactivation_and_is_refused(world: World, client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for("grid_worker")
    assert "停用" not in client.get(reverse("volunteers:staff_volunteers")).content.decode()
    client.post(reverse("volunteers:staff_volunteer_active", args=[world.me.pk]), {"active": "0"})
    world.me.refresh_from_db()
    assert world.me.active is True
