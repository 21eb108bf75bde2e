"""吹哨报到 through the pages and the API (issue 11): part deadlines and their state on the appeal page, urging
and withdrawing a summons, recording an account-less unit's part on its behalf, and 网格吹哨."""

from __future__ import annotations

import datetime as dt
from typing import Any

import time_machine
from django.test import Client
from django.urls import reverse

from linli.appeals import services
from linli.appeals.models import Appeal, AppealPart, WhistleRequest
from linli.appeals.tests.factories import at_community, post, submit, summon
from linli.appeals.tests.test_worker import at
from linli.territory.models import Organisation
from linli.testing import Cast


def _page(client: Client, appeal: Appeal) -> str:
    return client.get(reverse("appeals:detail", args=[appeal.pk])).content.decode()


def test_the_page_summons_with_deadlines_and_shows_a_late_report_in(cast: Cast, client_for: Any) -> None:
    community = client_for("community_worker")
    with time_machine.travel(at(2026, 11, 2, 10, 0), tick=False) as traveller:
        appeal = at_community(cast)
        url = reverse("appeals:act", args=[appeal.pk, "whistle"])
        refused = community.post(
            url,
            {
                "whistle-organisations": [str(cast.department.pk)],
                "whistle-note": "请城管到现场联合处置。",
                "whistle-report_hours": "12",
            },
        )
        assert refused.status_code == 422
        assert "最多 8 个工作小时" in refused.content.decode()
        assert "请城管到现场联合处置。" in refused.content.decode()  # nothing typed is lost
        assert not AppealPart.objects.filter(appeal=appeal).exists()
        community.post(
            url,
            {
                "whistle-organisations": [str(cast.department.pk)],
                "whistle-note": "请城管到现场联合处置。",
                "whistle-report_hours": "3",
                "whistle-finish_by": "2026-11-05T17:00",
            },
        )
        part = AppealPart.objects.get(appeal=appeal)
        assert part.report_due_at == at(2026, 11, 2, 13, 0)
        assert part.due_at == at(2026, 11, 5, 17, 0)
        page = _page(community, appeal)
        assert 'data-state="awaiting_report"' in page and "2026-11-02 13:00" in page
        traveller.move_to(at(2026, 11, 2, 14, 0))
        page = _page(community, appeal)
        assert 'data-state="report_overdue"' in page and "报到超时" in page
        # The department sees its part late in its queue too.
        queue = client_for("department_handler").get(reverse("appeals:workbench") + "?tab=parts")
        assert "报到超时" in queue.content.decode()


def test_the_organising_unit_urges_and_withdraws_a_summons_from_the_page(cast: Cast, client_for: Any) -> None:
    appeal = at_community(cast)
    (part,) = services.appeal_whistle(
        actor=cast.community_worker, appeal=appeal, units=[cast.department], reason="请城管到现场联合处置。"
    )
    community = client_for("community_worker")
    page = _page(community, appeal)
    assert 'data-part-step="withdraw"' in page and 'data-part-step="urge"' in page
    assert 'data-part-step="withdraw"' not in _page(client_for("department_handler"), appeal)
    community.post(
        reverse("appeals:part_act", args=[appeal.pk, "urge"]), {"part_id": part.pk, "note": "请尽快"}
    )
    refused = community.post(
        reverse("appeals:part_act", args=[appeal.pk, "withdraw"]),
        {"part_id": part.pk, "note": ""},
        follow=True,
    )
    assert "撤回原因" in refused.content.decode() or "请" in refused.content.decode()
    part.refresh_from_db()
    assert part.withdrawn_at is None and part.urge_count == 1
    community.post(
        reverse("appeals:part_act", args=[appeal.pk, "withdraw"]),
        {"part_id": part.pk, "note": "经核实属物业职责，无需城管。"},
    )
    part.refresh_from_db()
    assert part.withdrawn_at is not None
    page = _page(community, appeal)
    assert 'data-state="withdrawn"' in page and "经核实属物业职责，无需城管。" in page


def test_the_summoning_unit_records_a_property_company_part_on_its_behalf(
    cast: Cast, client_for: Any
) -> None:
    company = Organisation.objects.create(
        kind="property_company", name="幸福物业公司", code="PROP-1", org_node=cast.community
    )
    appeal = at_community(cast)
    (part,) = services.appeal_whistle(
        actor=cast.community_worker, appeal=appeal, units=[company], reason="请物业公司清理楼道堆物。"
    )
    community = client_for("community_worker")
    page = _page(community, appeal)
    assert "该单位未开通邻里账号" in page and "代为记录报到" in page
    community.post(
        reverse("appeals:part_act", args=[appeal.pk, "report_in"]), {"part_id": part.pk, "note": ""}
    )
    community.post(
        reverse("appeals:part_act", args=[appeal.pk, "complete"]),
        {"part_id": part.pk, "note": "物业已清理楼道堆物。"},
    )
    part.refresh_from_db()
    assert part.done_at is not None and part.on_behalf
    assert "已代为记录" in _page(community, appeal)


def test_grid_whistle_through_the_pages_raise_queue_summon(cast: Cast, client_for: Any) -> None:
    appeal = submit(cast)
    services.appeal_acknowledge(actor=cast.grid_worker, appeal=appeal)
    grid = client_for("grid_worker")
    assert 'data-action="whistle_request"' in _page(grid, appeal)
    grid.post(
        reverse("appeals:act", args=[appeal.pk, "whistle_request"]),
        {"whistle_request-reason": "占道经营屡劝不改，需要城管执法到场。"},
    )
    request = WhistleRequest.objects.get(appeal=appeal)
    community = client_for("community_worker")
    queue = community.get(reverse("appeals:workbench") + "?tab=whistle_requests").content.decode()
    assert appeal.tracking_number in queue
    page = _page(community, appeal)
    assert "占道经营屡劝不改" in page and 'data-action="whistle_request_summon"' in page
    assert 'data-action="whistle_request_summon"' not in _page(grid, appeal)
    community.post(
        reverse("appeals:whistle_request_act", args=[appeal.pk, "summon"]),
        {"wr-organisations": [str(cast.department.pk)], "wr-note": "网格员申请吹哨，请城管到现场。"},
    )
    request.refresh_from_db()
    assert request.status == "summoned"
    assert AppealPart.objects.filter(appeal=appeal, organisation=cast.department).exists()


def test_grid_whistle_declined_from_the_page(cast: Cast, client_for: Any) -> None:
    appeal = submit(cast)
    services.appeal_acknowledge(actor=cast.grid_worker, appeal=appeal)
    request = services.whistle_request_raise(
        actor=cast.grid_worker, appeal_id=appeal.pk, reason="楼道堆物需要消防部门到场。"
    )
    # Another community's worker cannot decide it (404: not in their area).
    outsider = client_for("outsider").post(
        reverse("appeals:whistle_request_act", args=[appeal.pk, "decline"]),
        {"wr_decline-note": "不是我们社区的事情"},
    )
    assert outsider.status_code == 404
    client_for("community_worker").post(
        reverse("appeals:whistle_request_act", args=[appeal.pk, "decline"]),
        {"wr_decline-note": "社区可协调物业清理，无需召集部门。"},
    )
    request.refresh_from_db()
    assert request.status == "declined"


def test_api_part_clocks_urge_withdraw_and_state(cast: Cast, client_for: Any) -> None:
    community = client_for("community_worker")
    with time_machine.travel(at(2026, 11, 2, 10, 0), tick=False):
        appeal = at_community(cast)
        url = f"/api/appeals/{appeal.pk}"
        bad = post(
            community,
            f"{url}/whistle",
            {"organisation_ids": [cast.department.pk], "reason": "请城管到现场处置。", "report_hours": 0},
        )
        assert bad.status_code == 422 and bad.json()["code"] == "invalid"
        done = post(
            community,
            f"{url}/whistle",
            {
                "organisation_ids": [cast.department.pk],
                "reason": "请城管到现场处置。",
                "report_hours": 4,
                "finish_by": at(2026, 11, 4, 17, 0).isoformat(),
            },
        ).json()
    (part,) = done["parts"]
    assert part["state"] == "awaiting_report"
    assert dt.datetime.fromisoformat(part["report_due_at"]) == at(2026, 11, 2, 14, 0)
    assert dt.datetime.fromisoformat(part["due_at"]) == at(2026, 11, 4, 17, 0)
    urged = post(community, f"{url}/parts/{part['id']}/urge", {"note": "请尽快到场"}).json()
    assert urged["parts"][0]["urge_count"] == 1
    refused = post(
        client_for("department_handler"), f"{url}/parts/{part['id']}/withdraw", {"reason": "不想来了啊"}
    )
    assert refused.status_code in (403, 404)
    withdrawn = post(community, f"{url}/parts/{part['id']}/withdraw", {"reason": "无需城管到场处置。"}).json()
    assert withdrawn["parts"][0]["state"] == "withdrawn"
    assert withdrawn["parts"][0]["withdraw_reason"] == "无需城管到场处置。"


def test_api_grid_whistle_request_list_summon_and_decline(
    cast: Cast, client_for: Any, django_assert_num_queries: Any
) -> None:
    first, second = submit(cast), submit(cast, title="占道经营")
    grid = client_for("grid_worker")
    for appeal in (first, second):
        services.appeal_acknowledge(actor=cast.grid_worker, appeal=appeal)
        raised = post(grid, f"/api/appeals/{appeal.pk}/whistle-request", {"reason": "需要城管执法到场处置。"})
        assert raised.status_code == 200, raised.content
    community = client_for("community_worker")
    community.get("/api/appeals/whistle-requests")  # warm the session
    with django_assert_num_queries(5):  # the session, the user, the page of requests, their count, the caller
        listed = community.get("/api/appeals/whistle-requests").json()["items"]
    assert [r["tracking_number"] for r in listed] == [first.tracking_number, second.tracking_number]
    assert client_for("outsider").get("/api/appeals/whistle-requests").json() == {"count": 0, "items": []}
    # A page at a time: the second request is one page away, and the count says there are two.
    paged = community.get("/api/appeals/whistle-requests", {"limit": 1, "offset": 1}).json()
    assert paged["count"] == 2 and [r["id"] for r in paged["items"]] == [listed[1]["id"]]
    summoned = post(
        community,
        f"/api/appeals/{first.pk}/whistle-requests/{listed[0]['id']}/summon",
        {"organisation_ids": [cast.department.pk], "reason": "请城管到现场执法。"},
    )
    assert summoned.status_code == 200, summoned.content
    assert summoned.json()["parts"][0]["organisation_id"] == cast.department.pk
    declined = post(
        community,
        f"/api/appeals/{second.pk}/whistle-requests/{listed[1]['id']}/decline",
        {"note": "社区协调物业处理即可。"},
    )
    assert declined.status_code == 200
    assert community.get("/api/appeals/whistle-requests").json() == {"count": 0, "items": []}


def test_resolve_is_not_offered_while_a_summoned_unit_owes_its_part(cast: Cast, client_for: Any) -> None:
    """The street walk: the summoner's page offered 办结 while a summoned department had not finished, and the note
    written into it was refused (被召集的部门尚未完成协办). The page says it waits on the parts instead, and offers
    办结 once every part is done."""
    appeal = at_community(cast)
    part = summon(cast, appeal)
    community = client_for("community_worker")
    page = _page(community, appeal)
    assert 'data-action="resolve"' not in page
    assert "被召集的部门完成协办后方可办结" in page
    services.part_report_in(actor=cast.department_handler, part=part)
    services.part_complete(actor=cast.department_handler, part=part, note="已拆除违规广告牌，现场恢复原状。")
    page = _page(community, appeal)
    assert 'data-action="resolve"' in page and "被召集的部门完成协办后方可办结" not in page


def test_a_part_left_unfinished_reads_as_ended_with_its_withdrawn_or_merged_appeal(
    cast: Cast, client_for: Any
) -> None:
    """The resident withdraws an appeal while the summoned department has not reported in: its part read 待报到
    for ever on the appeal's page and in the API. It reads 随诉求撤回 there and on the trace's withdrawal, with
    no step offered on it; a part of an appeal merged into another reads 随诉求终止."""
    with time_machine.travel(at(2026, 11, 2, 10, 0), tick=False) as traveller:
        appeal = at_community(cast)
        summon(cast, appeal, report_hours=3)
        services.appeal_withdraw(actor=cast.resident, appeal=appeal, reason="问题已自行解决")
        traveller.move_to(at(2026, 11, 3, 10, 0))
        community = client_for("community_worker")
        page = _page(community, appeal)
        assert 'data-state="appeal_withdrawn"' in page and "待报到" not in page
        assert f"随诉求撤回：{cast.department.name}" in page  # the trace's withdrawal names the unit
        assert 'data-part-step="withdraw"' not in page and 'data-part-step="urge"' not in page
        [part] = community.get(f"/api/appeals/{appeal.pk}").json()["parts"]
        assert part["state"] == "appeal_withdrawn"

        primary = at_community(cast, description="另一处：小区门口违规广告牌遮挡视线。")
        duplicate = at_community(cast)
        summon(cast, duplicate)
        services.appeal_merge(actor=cast.community_worker, appeal=duplicate, primary=primary)
        page = _page(community, duplicate)
        assert 'data-state="appeal_ended"' in page and "随诉求终止" in page and "待报到" not in page
