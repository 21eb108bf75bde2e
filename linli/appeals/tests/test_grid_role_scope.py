"""The roles that work in grids see the appeals of their own grids, not the whole compound's: a part-time grid
worker and a grid leader their grids, a building captain the grid of their building. Each is tried on an appeal of
their grid (seen, through the page and the API) and on one of the neighbour grid in the same compound (404)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from linli.accounts.models import User
from linli.appeals import selectors, services
from linli.appeals.tests.factories import by_hotline, classifier_says
from linli.core.errors import NotFound
from linli.core.roles import Role
from linli.territory.models import Grid
from linli.testing import Cast, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fast_passwords(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _member(cast: Cast, role: str) -> User:
    user = make_user(role, role, node=cast.compound)
    if role == Role.BUILDING_CAPTAIN:
        user.building = cast.building
        user.save(update_fields=["building"])
    else:
        cast.grid.workers.add(user)
    return user


@pytest.mark.parametrize("role", [Role.PART_TIME_GRID_WORKER, Role.GRID_LEADER, Role.BUILDING_CAPTAIN])
def test_a_grid_role_sees_its_grids_appeals_and_the_neighbour_grids_are_404(
    cast: Cast, neighbour_grid: Grid, role: str
) -> None:
    ours = by_hotline(cast, cast.grid, "1号楼门口的路灯不亮了，晚上很黑。", kind="help")
    theirs = by_hotline(cast, neighbour_grid, "3号楼楼道堆满杂物，消防通道堵塞。", kind="help")
    user = _member(cast, role)
    assert list(selectors.appeals_visible_to(user)) == [ours]
    assert selectors.appeal_get_for(user, ours.pk) == ours
    with pytest.raises(NotFound):
        selectors.appeal_get_for(user, theirs.pk)
    client = Client()
    client.force_login(user)
    assert client.get(f"/appeals/{ours.pk}/").status_code == 200
    assert client.get(f"/appeals/{theirs.pk}/").status_code == 404
    assert client.get(f"/api/appeals/{theirs.pk}").status_code == 404
    listing = client.get("/api/appeals/").json()
    assert [row["id"] for row in listing["items"]] == [ours.pk]


def test_a_grid_leader_of_two_grids_sees_both_and_the_community_worker_sees_all(
    cast: Cast, neighbour_grid: Grid
) -> None:
    ours = by_hotline(cast, cast.grid, "1号楼门口的路灯不亮了，晚上很黑。", kind="help")
    theirs = by_hotline(cast, neighbour_grid, "3号楼楼道堆满杂物，消防通道堵塞。", kind="help")
    leader = _member(cast, Role.GRID_LEADER)
    neighbour_grid.workers.add(leader)
    assert set(selectors.appeals_visible_to(leader)) == {ours, theirs}
    assert {ours, theirs} <= set(selectors.appeals_visible_to(cast.community_worker))


def test_a_part_time_grid_worker_sees_what_they_reported_wherever_it_went_and_may_not_handle_it(
    cast: Cast,
) -> None:
    rider = _member(cast, Role.PART_TIME_GRID_WORKER)
    reported = services.appeal_submit(
        actor=rider, kind="help", description="路口井盖松动，电动车压过去响得厉害。", channel="patrol"
    )
    assert reported.grid_id is None
    assert selectors.appeal_get_for(rider, reported.pk) == reported
    client = Client()
    client.force_login(rider)
    body = client.get(f"/api/appeals/{reported.pk}").json()
    assert body["tracking_number"] == reported.tracking_number
    assert not {"dispatch", "acknowledge", "resolve", "escalate"} & set(body["actions"])


def test_a_grid_leaders_queue_and_to_decide_hold_nothing_they_cannot_act_on(
    cast: Cast, neighbour_grid: Grid, monkeypatch: pytest.MonkeyPatch
) -> None:
    classifier_says(monkeypatch, "environment.noise", 0.0)  # no category: the appeal waits at a triage desk
    ours = by_hotline(cast, cast.grid, "1号楼门口的路灯不亮了，晚上很黑。", kind="help")
    assert ours.state == "accepted"
    leader = _member(cast, Role.GRID_LEADER)
    assert selectors.appeals_visible_to(leader).get() == ours
    assert selectors.awaiting_dispatch_for(cast.street_officer).filter(pk=ours.pk).exists()
    assert not selectors.awaiting_dispatch_for(leader).exists()
    assert not selectors.queue_for(leader).exists()
    client = Client()
    client.force_login(leader)
    page = client.get("/appeals/workbench/?tab=all").content.decode()
    assert ours.title in page and 'id="bulk-ack"' not in page
    assert ours.title not in client.get("/appeals/workbench/?tab=supervise").content.decode()


def test_a_resident_who_reported_is_shown_no_staff_to_do_for_their_own_waiting_appeal(
    cast: Cast, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An appeal routing could not place waits for staff to dispatch; its resident sees it among their own appeals,
    but it is not theirs to send on: their home offered 待派单或待审批延期的诉求 1, a link to a page refused to them."""
    classifier_says(monkeypatch, "environment.noise", 0.0)  # no category: the appeal waits at a triage desk
    mine = services.appeal_submit(
        actor=cast.resident, kind="help", description="楼道里的灯坏了好几天，晚上看不见台阶。", channel="web"
    )
    assert mine.state == "accepted"
    assert selectors.appeal_get_for(cast.resident, mine.pk) == mine
    assert not selectors.awaiting_dispatch_for(cast.resident).exists()
    client = Client()
    client.force_login(cast.resident)
    waiting = client.get("/waiting/")  # the home's to-dos, loaded just after it
    assert waiting.status_code == 200 and "tab=supervise" not in waiting.content.decode()
