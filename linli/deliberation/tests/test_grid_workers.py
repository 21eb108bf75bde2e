"""A grid worker whose grids lie in a compound reads the joint meetings of the community above it (they collect
its topics, sit in it and carry out its decisions in their grids), on the pages and in the API alike, without
being able to run them or report on their results; another community's meetings stay out of sight."""

from __future__ import annotations

import pytest
from django.urls import reverse

from linli.deliberation import selectors, services
from linli.deliberation.models import Meeting

from .conftest import Hall, meeting_deliberating, meeting_elsewhere

pytestmark = pytest.mark.django_db


def _joint_meeting_with_a_decision(hall: Hall) -> Meeting:
    meeting = meeting_deliberating(hall.cast, title="停车难")
    services.decision_add(
        actor=hall.cast.community_worker,
        meeting=meeting,
        text_="东门划定临时停车位",
        responsible_name="阳光物业",
        working_days=10,
    )
    return meeting


def test_a_grid_worker_reads_the_joint_meetings_of_their_grids_community(hall: Hall, client_for) -> None:  # type: ignore[no-untyped-def]
    assert hall.cast.grid_worker.org_node == hall.cast.compound  # the grid worker sits in the compound
    meeting = _joint_meeting_with_a_decision(hall)
    elsewhere = meeting_elsewhere(hall.cast)
    grid = client_for("grid_worker")
    listed = grid.get(reverse("deliberation:meetings")).content.decode()
    assert "四月联席会议" in listed and "光明社区板凳会" not in listed
    page = grid.get(reverse("deliberation:meeting", args=[meeting.pk]))
    assert page.status_code == 200 and "东门划定临时停车位" in page.content.decode()
    assert grid.get(reverse("deliberation:meeting", args=[elsewhere.pk])).status_code == 404
    # The API says the same.
    assert [m["id"] for m in grid.get("/api/deliberation/meetings").json()["items"]] == [meeting.pk]
    detail = grid.get(f"/api/deliberation/meetings/{meeting.pk}")
    assert detail.status_code == 200 and detail.json()["decisions"][0]["text"] == "东门划定临时停车位"
    assert grid.get(f"/api/deliberation/meetings/{elsewhere.pk}").status_code == 404


def test_the_grid_worker_reads_the_community_meeting_but_does_not_run_it(hall: Hall, client_for) -> None:  # type: ignore[no-untyped-def]
    meeting = _joint_meeting_with_a_decision(hall)
    result = selectors.results_visible_to(hall.cast.grid_worker).get(meeting=meeting)
    grid = client_for("grid_worker")
    page = grid.get(reverse("deliberation:meeting", args=[meeting.pk])).content.decode()
    for form in ("minutes", "decision_add", "agenda_add"):
        assert reverse(f"deliberation:{form}", args=[meeting.pk]) not in page, form
    assert reverse("deliberation:result_progress", args=[meeting.pk, result.pk]) not in page
    moved = grid.post(
        f"/api/deliberation/meetings/{meeting.pk}/transitions",
        {"action": "start_implementation"},
        content_type="application/json",
    )
    assert moved.status_code == 403
    reported = grid.post(
        f"/api/deliberation/results/{result.pk}/progress",
        {"progress": 50, "note": "画了一半"},
        content_type="application/json",
    )
    assert reported.status_code == 403
    meeting.refresh_from_db()
    result.refresh_from_db()
    assert meeting.stage == "deliberate" and result.progress == 0


def test_a_grid_worker_of_another_community_does_not_see_it(hall: Hall, client_for) -> None:  # type: ignore[no-untyped-def]
    from linli.core.roles import Role
    from linli.testing import make_user

    meeting = _joint_meeting_with_a_decision(hall)
    other = make_user("othergrid", Role.GRID_WORKER, node=hall.cast.other_community, name="光明网格员")
    hall.cast.other_grid.workers.add(other)
    assert not selectors.meetings_visible_to(other).filter(pk=meeting.pk).exists()
    # A grid worker with no grid of their own sees their node's meetings only, as before.
    idle = make_user("idlegrid", Role.GRID_WORKER, node=hall.cast.compound, name="空闲网格员")
    assert not selectors.meetings_visible_to(idle).filter(pk=meeting.pk).exists()


def test_a_grid_worker_is_not_offered_what_they_may_not_do(hall: Hall, client_for) -> None:  # type: ignore[no-untyped-def]
    """The hall offered a grid worker 发起投票 and the moderation queue its 保留/移除 buttons; the vote's whole form
    was filled in to be refused (403), and so was a meeting's at its address. Now the hall and the queue offer
    neither, and the two form pages refuse at once with the reason."""
    own = selectors.household_node(selectors.verified_household(hall.residents[0]))
    assert (
        own == hall.cast.compound
    )  # the grid worker's compound: its hall's hidden topics are in their queue
    topic = services.topic_create(actor=hall.residents[0], title="广告", body="卖房广告", node=own)
    for r in hall.residents[1:4]:
        services.content_report(actor=r, topic=topic, reason="广告")
    grid = client_for("grid_worker")
    assert reverse("deliberation:vote_new") not in grid.get(reverse("deliberation:hall")).content.decode()
    queue = grid.get(reverse("deliberation:moderation")).content.decode()
    assert "卖房广告" in queue and reverse("deliberation:moderate", args=["topic", topic.pk]) not in queue
    assert "由社区或街道工作人员决定保留或移除" in queue
    for name in ("vote_new", "meeting_new"):
        refused = grid.get(reverse(f"deliberation:{name}"))
        assert refused.status_code == 403 and "只有本辖区的社区或街道工作人员" in refused.content.decode(), (
            name
        )
    staff = client_for("community_worker")
    assert reverse("deliberation:vote_new") in staff.get(reverse("deliberation:hall")).content.decode()
    assert (
        reverse("deliberation:moderate", args=["topic", topic.pk])
        in staff.get(reverse("deliberation:moderation")).content.decode()
    )
    assert staff.get(reverse("deliberation:vote_new")).status_code == 200


def test_the_community_meeting_does_not_link_the_grid_worker_to_a_community_topic_they_cannot_open(
    hall: Hall, client_for
) -> None:  # type: ignore[no-untyped-def]
    """A topic of the community's hall (above the grid worker's compound) on the meeting's agenda and answered by its
    decision: its title is read on the page, not a link to a 404."""
    worker = hall.cast.community_worker
    topic = services.topic_create(
        actor=worker, title="东门停车乱", body="晚上车停满消防通道。", node=hall.cast.community
    )
    meeting = meeting_deliberating(hall.cast, title="停车难")
    services.agenda_item_add(actor=worker, meeting=meeting, title="东门停车", topic_ids=[topic.pk])
    services.decision_add(
        actor=worker,
        meeting=meeting,
        text_="东门划定临时停车位",
        responsible_name="阳光物业",
        working_days=10,
        topic=topic,
    )
    topic_url = reverse("deliberation:topic", args=[topic.pk])
    grid = client_for("grid_worker")
    assert grid.get(topic_url).status_code == 404
    page = grid.get(reverse("deliberation:meeting", args=[meeting.pk])).content.decode()
    assert "东门停车乱" in page and f'href="{topic_url}"' not in page
    assert (
        f'href="{topic_url}"'
        in client_for("community_worker")
        .get(reverse("deliberation:meeting", args=[meeting.pk]))
        .content.decode()
    )


def test_the_community_meeting_does_not_link_the_grid_worker_to_an_appeal_of_another_grid(
    hall: Hall, client_for
) -> None:  # type: ignore[no-untyped-def]
    """An appeal of a neighbouring grid on the community's agenda: its number is read, not a link to a 404."""
    from linli.appeals import services as appeals
    from linli.testing import make_neighbour

    neighbour = make_neighbour(hall.cast)
    appeal = appeals.appeal_submit(
        actor=hall.cast.community_worker,
        title="路灯不亮",
        description="小区东门路灯坏了一周，晚上很黑",
        kind="suggestion",
        channel="web",
        grid=neighbour.grid,
        contact_name="张三",
        contact_phone="13812345678",
    )
    meeting = meeting_deliberating(hall.cast, title="照明")
    services.agenda_item_add(
        actor=hall.cast.community_worker,
        meeting=meeting,
        title="东门照明",
        appeal_numbers=[appeal.tracking_number],
    )
    appeal_url = reverse("appeals:detail", args=[appeal.pk])
    grid = client_for("grid_worker")
    assert grid.get(appeal_url).status_code == 404
    page = grid.get(reverse("deliberation:meeting", args=[meeting.pk])).content.decode()
    assert appeal.tracking_number in page and f'href="{appeal_url}"' not in page
    assert (
        f'href="{appeal_url}"'
        in client_for("community_worker")
        .get(reverse("deliberation:meeting", args=[meeting.pk]))
        .content.decode()
    )
