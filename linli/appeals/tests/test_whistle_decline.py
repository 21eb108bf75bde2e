"""吹哨报到: a summoned unit that finds the matter outside its duties says so (不属于本单位职责, with why) instead of
reporting in; the summoner is told at once and withdraws the summons (another unit may be summoned) or insists with
a note, after which the unit reports in and works its part. While the summoner decides, the unit is not marked late.
"""

from __future__ import annotations

from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from linli.appeals import services
from linli.appeals.models import Appeal, AppealEvent, AppealPart
from linli.appeals.parts import part_state
from linli.appeals.permissions import actions_for
from linli.appeals.tests.factories import at_community, post, summon
from linli.appeals.tests.test_worker import at, run_worker
from linli.core.errors import Conflict, PermissionDenied, ValidationFailed
from linli.core.models import Notification
from linli.core.roles import Role
from linli.testing import Cast, make_user

WHY = "广告牌设在小区内部，属物业管理范围，不属于城管执法职责。"
INSIST = "经现场核实，广告牌占用市政道路，属城管职责，请按时报到。"


def _page(client: Client, appeal: Appeal) -> str:
    return client.get(reverse("appeals:detail", args=[appeal.pk])).content.decode()


# --- the services -------------------------------------------------------------------------------------------


def test_a_summoned_department_declines_with_why_and_the_summoner_is_told_at_once(cast: Cast) -> None:
    with time_machine.travel(at(2026, 11, 2, 10, 0), tick=False):
        appeal = at_community(cast)
        part = summon(cast, appeal)
        services.part_decline(actor=cast.department_handler, part=part, reason=WHY)
    part.refresh_from_db()
    assert part.declined_at == at(2026, 11, 2, 10, 0)
    assert part.decline_reason == WHY
    assert part.reported_in_at is None
    assert part_state(part, at(2026, 11, 2, 10, 0)) == "declined"
    event = AppealEvent.objects.get(appeal=appeal, action="part_decline")
    assert event.actor == cast.department_handler
    assert event.reason == WHY and event.data["unit"] == cast.department.name
    told = Notification.objects.get(user=cast.community_worker, title__contains="不属于本单位职责")
    assert cast.department.name in told.title and appeal.tracking_number in told.title
    assert WHY in told.body


def test_only_the_summoned_units_handlers_decline_with_a_reason_before_reporting_in(cast: Cast) -> None:
    appeal = at_community(cast)
    part = summon(cast, appeal)
    other = make_user("shuiwu", Role.DEPARTMENT_HANDLER, org=cast.other_department, name="钱水务")
    with pytest.raises(PermissionDenied):
        services.part_decline(actor=other, part=part, reason=WHY)
    with pytest.raises(PermissionDenied):
        services.part_decline(actor=cast.community_worker, part=part, reason=WHY)
    with pytest.raises(ValidationFailed) as empty:
        services.part_decline(actor=cast.department_handler, part=part, reason="  ")
    assert empty.value.extra["field"] == "reason"
    services.part_decline(actor=cast.department_handler, part=part, reason=WHY)
    with pytest.raises(Conflict, match="已申明"):
        services.part_decline(actor=cast.department_handler, part=part, reason=WHY)

    reported = at_community(cast)
    (part2,) = services.appeal_whistle(
        actor=cast.community_worker, appeal=reported, units=[cast.department], reason="请到现场联合处置。"
    )
    services.part_report_in(actor=cast.department_handler, part=part2)
    with pytest.raises(Conflict, match="已报到"):
        services.part_decline(actor=cast.department_handler, part=part2, reason=WHY)
    assert not AppealEvent.objects.filter(appeal=reported, action="part_decline").exists()


def test_the_action_table_offers_declining_to_the_unit_and_insisting_to_the_summoner(cast: Cast) -> None:
    appeal = at_community(cast)
    part = summon(cast, appeal)
    other = make_user("shuiwu", Role.DEPARTMENT_HANDLER, org=cast.other_department, name="钱水务")
    appeal.refresh_from_db()  # in progress since the whistle
    assert "part_decline" in actions_for(cast.department_handler, appeal)
    assert "part_decline" not in actions_for(other, appeal)
    assert "part_decline" not in actions_for(cast.community_worker, appeal)
    assert "part_insist" not in actions_for(cast.community_worker, appeal)  # nothing declined yet
    services.part_decline(actor=cast.department_handler, part=part, reason=WHY)
    assert "part_decline" not in actions_for(cast.department_handler, appeal)
    assert "part_insist" in actions_for(cast.community_worker, appeal)
    assert "part_insist" in actions_for(cast.street_officer, appeal)  # the tier above the summoner
    assert "part_insist" not in actions_for(cast.department_handler, appeal)
    assert "part_insist" not in actions_for(cast.outsider, appeal)


def test_while_the_summoner_decides_the_declining_unit_is_not_marked_late(cast: Cast) -> None:
    with time_machine.travel(at(2026, 11, 2, 10, 0), tick=False) as traveller:
        appeal = at_community(cast)
        part = summon(cast, appeal)  # report in by 12:00
        traveller.move_to(at(2026, 11, 2, 11, 0))
        services.part_decline(actor=cast.department_handler, part=part, reason=WHY)
        traveller.move_to(at(2026, 11, 4, 10, 0))
        output = run_worker()
        assert "appeals.part_report_ins=0" in output
        part.refresh_from_db()
        assert part.report_breached_at is None
        assert part_state(part, at(2026, 11, 4, 10, 0)) == "declined"


def test_the_summoner_insists_and_the_unit_reports_in_within_a_fresh_window(cast: Cast) -> None:
    with time_machine.travel(at(2026, 11, 2, 10, 0), tick=False) as traveller:
        appeal = at_community(cast)
        part = summon(cast, appeal)
        due_at = part.due_at
        services.part_decline(actor=cast.department_handler, part=part, reason=WHY)
        with pytest.raises(Conflict, match="未申明"):
            services.part_insist(actor=cast.community_worker, part=_summon_other(cast, appeal), note=INSIST)
        traveller.move_to(at(2026, 11, 2, 15, 0))  # past the first report-in deadline
        with pytest.raises(PermissionDenied):
            services.part_insist(actor=cast.department_handler, part=part, note=INSIST)
        with pytest.raises(ValidationFailed) as empty:
            services.part_insist(actor=cast.community_worker, part=part, note="")
        assert empty.value.extra["field"] == "note"
        services.part_insist(actor=cast.community_worker, part=part, note=INSIST)
        part.refresh_from_db()
        assert part.insisted_at == at(2026, 11, 2, 15, 0) and part.insist_note == INSIST
        # The unit answered in time: it gets the rule's report-in window again; the finish date stays.
        assert part.report_due_at == at(2026, 11, 2, 17, 0)
        assert part.due_at == due_at
        assert part_state(part, at(2026, 11, 2, 15, 0)) == "awaiting_report"
        told = Notification.objects.get(user=cast.department_handler, title__contains="坚持")
        assert INSIST in told.body
        assert AppealEvent.objects.filter(appeal=appeal, action="part_insist", reason=INSIST).exists()
        with pytest.raises(Conflict, match="坚持"):
            services.part_decline(actor=cast.department_handler, part=part, reason=WHY)
        with pytest.raises(Conflict):
            services.part_insist(actor=cast.community_worker, part=part, note=INSIST)
        # Its clocks run again: a report-in still missing after the new deadline is chased.
        traveller.move_to(at(2026, 11, 2, 16, 59))
        run_worker()
        part.refresh_from_db()
        assert part.report_breached_at is None
        traveller.move_to(at(2026, 11, 2, 17, 1))
        run_worker()
        part.refresh_from_db()
        assert part.report_breached_at == at(2026, 11, 2, 17, 1)


def _summon_other(cast: Cast, appeal: Appeal) -> AppealPart:
    (part,) = services.appeal_whistle(
        actor=cast.community_worker, appeal=appeal, units=[cast.other_department], reason="请水务到场。"
    )
    return part


def test_the_summoner_withdraws_a_declined_part_and_summons_another_unit(cast: Cast) -> None:
    appeal = at_community(cast)
    part = summon(cast, appeal)
    services.part_decline(actor=cast.department_handler, part=part, reason=WHY)
    services.part_withdraw(actor=cast.community_worker, part=part, reason="同意，改由物业处置。")
    with pytest.raises(Conflict):
        services.part_insist(actor=cast.community_worker, part=part, note=INSIST)
    other = _summon_other(cast, appeal)
    assert other.organisation == cast.other_department
    part.refresh_from_db()
    assert part_state(part, part.withdrawn_at) == "withdrawn"  # type: ignore[arg-type]


def test_while_the_summoner_decides_it_does_not_urge_the_declining_unit(cast: Cast, client_for: Any) -> None:
    """督办 presses a late unit; one that said the matter is not its duty is waiting on the summoner, who insists
    or withdraws. The page offered 督办该单位 beside 坚持由该单位办理, and the service took it."""
    appeal = at_community(cast)
    part = summon(cast, appeal)
    services.part_decline(actor=cast.department_handler, part=part, reason=WHY)
    community = client_for("community_worker")
    assert 'data-part-step="urge"' not in _page(community, appeal)
    assert 'data-part-step="withdraw"' in _page(community, appeal)
    with pytest.raises(Conflict, match="坚持由其办理或撤回召集"):
        services.part_urge(actor=cast.community_worker, part=part, note="请尽快报到。")
    answer = community.post(
        reverse("appeals:part_act", args=[appeal.pk, "urge"]), {"part_id": part.pk, "note": "请尽快报到。"}
    )
    assert answer.status_code == 302
    part.refresh_from_db()
    assert part.urge_count == 0
    services.part_insist(actor=cast.community_worker, part=part, note=INSIST)
    assert 'data-part-step="urge"' in _page(community, appeal)
    services.part_urge(actor=cast.community_worker, part=part, note="请尽快报到。")
    part.refresh_from_db()
    assert part.urge_count == 1


# --- the pages (phone and desktop share one page) -----------------------------------------------------------


def test_on_the_page_the_unit_declines_and_a_refused_reason_is_kept_with_422(
    cast: Cast, client_for: Any
) -> None:
    appeal = at_community(cast)
    part = summon(cast, appeal)
    handler = client_for("department_handler")
    page = _page(handler, appeal)
    assert 'data-part-step="decline"' in page and "不属于本单位职责" in page
    url = reverse("appeals:part_act", args=[appeal.pk, "decline"])
    refused = handler.post(url, {"part_id": part.pk, "reason": "不归"})
    assert refused.status_code == 422
    body = refused.content.decode()
    assert "不归</textarea>" in body and "至少" in body
    part.refresh_from_db()
    assert part.declined_at is None
    done = handler.post(url, {"part_id": part.pk, "reason": WHY})
    assert done.status_code == 302
    page = _page(handler, appeal)
    assert 'data-state="declined"' in page and WHY in page
    assert 'data-part-step="decline"' not in page
    assert "等待吹哨方决定" in page


def test_on_the_page_the_summoner_insists_a_refused_note_is_kept_with_422(
    cast: Cast, client_for: Any
) -> None:
    appeal = at_community(cast)
    part = summon(cast, appeal)
    services.part_decline(actor=cast.department_handler, part=part, reason=WHY)
    community = client_for("community_worker")
    page = _page(community, appeal)
    assert WHY in page and 'data-part-step="insist"' in page and 'data-part-step="withdraw"' in page
    url = reverse("appeals:part_act", args=[appeal.pk, "insist"])
    refused = community.post(url, {"part_id": part.pk, "note": "请"})
    assert refused.status_code == 422
    assert "请</textarea>" in refused.content.decode()
    assert community.post(url, {"part_id": part.pk, "note": INSIST}).status_code == 302
    part.refresh_from_db()
    assert part.insisted_at is not None
    page = _page(client_for("department_handler"), appeal)
    assert INSIST in page and 'data-part-step="report_in"' in page
    assert 'data-part-step="decline"' not in page


def test_on_the_page_no_one_else_declines_or_insists(cast: Cast, client_for: Any) -> None:
    appeal = at_community(cast)
    part = summon(cast, appeal)
    community = client_for("community_worker")
    assert 'data-part-step="decline"' not in _page(community, appeal)
    community.post(
        reverse("appeals:part_act", args=[appeal.pk, "decline"]), {"part_id": part.pk, "reason": WHY}
    )
    part.refresh_from_db()
    assert part.declined_at is None
    services.part_decline(actor=cast.department_handler, part=part, reason=WHY)
    handler = client_for("department_handler")
    assert 'data-part-step="insist"' not in _page(handler, appeal)
    handler.post(
        reverse("appeals:part_act", args=[appeal.pk, "insist"]), {"part_id": part.pk, "note": INSIST}
    )
    outsider = client_for("outsider")
    answer = outsider.post(
        reverse("appeals:part_act", args=[appeal.pk, "insist"]), {"part_id": part.pk, "note": INSIST}
    )
    assert answer.status_code == 404
    part.refresh_from_db()
    assert part.insisted_at is None


# --- the API ------------------------------------------------------------------------------------------------


def test_through_the_api_the_unit_declines_and_the_summoner_insists(cast: Cast, client_for: Any) -> None:
    appeal = at_community(cast)
    part = summon(cast, appeal)
    handler = client_for("department_handler")
    base = f"/api/appeals/{appeal.pk}/parts/{part.pk}"
    assert "part_decline" in handler.get(f"/api/appeals/{appeal.pk}").json()["actions"]
    refused = post(handler, f"{base}/decline", {"reason": ""})
    assert refused.status_code == 422
    assert refused.json()["extra"]["field"] == "reason"
    answer = post(handler, f"{base}/decline", {"reason": WHY})
    assert answer.status_code == 200, answer.content
    (out,) = answer.json()["parts"]
    assert out["state"] == "declined" and out["decline_reason"] == WHY and out["declined_at"]
    assert post(handler, f"{base}/insist", {"note": INSIST}).status_code == 403
    community = client_for("community_worker")
    assert "part_insist" in community.get(f"/api/appeals/{appeal.pk}").json()["actions"]
    assert post(community, f"{base}/insist", {"note": ""}).status_code == 422
    answer = post(community, f"{base}/insist", {"note": INSIST})
    assert answer.status_code == 200, answer.content
    (out,) = answer.json()["parts"]
    assert out["state"] == "awaiting_report" and out["insist_note"] == INSIST and out["insisted_at"]
    assert post(client_for("outsider"), f"{base}/insist", {"note": INSIST}).status_code == 404
