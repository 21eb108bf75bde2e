"""不满意 → 重办, walked as the people in it: the resident rates unsatisfied with a reason, the same unit gets the
appeal back with fresh deadlines — its contact clock too: the unit calls the unsatisfied resident again — works it
and resolves it again, and the resident rates again. While it is being reworked, the earlier round's resolution
does not read as the appeal's result on the pages or in the API."""

from __future__ import annotations

from typing import Any

import time_machine
from django.utils import timezone

from linli.appeals import services
from linli.appeals.models import Appeal
from linli.appeals.tests.factories import resolve_by_grid_worker, submit
from linli.appeals.tests.test_worker import at, run_worker
from linli.testing import Cast

FIRST = "已更换楼道灯泡，现场已亮灯。"
WHY = "灯只亮了一天又坏了，晚上楼道还是黑的。"


def _reworked(cast: Cast) -> Appeal:
    appeal = submit(cast)
    services.appeal_acknowledge(actor=cast.grid_worker, appeal=appeal)
    services.appeal_contact(actor=cast.grid_worker, appeal=appeal, note="已电话联系居民。")
    appeal.refresh_from_db()
    services.appeal_resolve(actor=cast.grid_worker, appeal=appeal, note=FIRST)
    appeal.refresh_from_db()
    services.appeal_rate(actor=cast.resident, appeal=appeal, value="unsatisfied", comment=WHY)
    appeal.refresh_from_db()
    return appeal


def test_an_unsatisfied_rating_starts_the_contact_clock_again(cast: Cast) -> None:
    with time_machine.travel(at(2026, 11, 2, 9, 0), tick=False) as traveller:
        appeal = submit(cast)
        services.appeal_acknowledge(actor=cast.grid_worker, appeal=appeal)
        services.appeal_contact(actor=cast.grid_worker, appeal=appeal, note="已电话联系居民。")
        appeal.refresh_from_db()
        services.appeal_resolve(actor=cast.grid_worker, appeal=appeal, note=FIRST)
        traveller.move_to(at(2026, 11, 3, 9, 0))
        appeal.refresh_from_db()
        services.appeal_rate(actor=cast.resident, appeal=appeal, value="unsatisfied", comment=WHY)
        appeal.refresh_from_db()
        assert appeal.state == "dispatched" and appeal.rework_count == 1
        assert appeal.first_contact_at is None  # the earlier round's call does not answer this one
        assert appeal.contact_due_at is not None and appeal.contact_due_at > at(2026, 11, 3, 9, 0)
        assert appeal.resolve_due_at is not None and appeal.resolve_due_at > at(2026, 11, 3, 9, 0)
        traveller.move_to(appeal.contact_due_at)
        traveller.shift(60)
        assert "appeals.contact_breaches=1" in run_worker()
    appeal.refresh_from_db()
    assert appeal.contact_breached_at is not None


def test_the_rework_round_does_not_show_the_earlier_resolution_as_its_result(
    cast: Cast, client_for: Any
) -> None:
    appeal = _reworked(cast)
    assert appeal.resolution_note == ""  # kept in the trace, not as the result of an open appeal
    resident = client_for("resident").get(f"/appeals/track/{appeal.tracking_number}/").content.decode()
    assert 'id="resolution"' not in resident
    assert FIRST in resident and WHY in resident  # the trace keeps both
    staff = client_for("grid_worker").get(f"/appeals/{appeal.pk}/").content.decode()
    assert "<h3>办结说明</h3>" not in staff  # (the resolve form still asks for this round's note)
    body = client_for("grid_worker").get(f"/api/appeals/{appeal.pk}").json()
    assert body["resolution_note"] == "" and body["state"] == "dispatched"
    assert body["contact_due_at"] is not None and body["first_contact_at"] is None
    assert body["rework_count"] == 1


def test_the_unit_works_it_again_and_the_resident_rates_again(cast: Cast, client_for: Any) -> None:
    appeal = _reworked(cast)
    resolve_by_grid_worker(cast, appeal)
    appeal.refresh_from_db()
    assert appeal.state == "resolved" and appeal.first_contact_at is not None
    resident = client_for("resident")
    page = resident.get(f"/appeals/track/{appeal.tracking_number}/").content.decode()
    assert 'id="rate"' in page and 'id="resolution"' in page
    answer = resident.post(
        f"/appeals/track/{appeal.tracking_number}/rate/", {"value": "satisfied", "comment": ""}
    )
    assert answer.status_code == 302
    appeal.refresh_from_db()
    assert appeal.state == "rated"
    assert [r.value for r in appeal.ratings.order_by("round")] == ["unsatisfied", "satisfied"]
    body = client_for("grid_worker").get(f"/api/appeals/{appeal.pk}").json()
    assert body["state"] == "rated" and body["resolution_note"]
    # Both rounds' ratings, as the pages show them (the API had none).
    assert [(r["round"], r["value"], r["comment"]) for r in body["ratings"]] == [
        (1, "unsatisfied", WHY),
        (2, "satisfied", ""),
    ]
    mine = client_for("resident").get(f"/api/appeals/{appeal.pk}").json()
    assert [r["value"] for r in mine["ratings"]] == ["unsatisfied", "satisfied"]


def test_after_an_unsatisfied_rating_the_resident_is_told_what_happens_next(
    cast: Cast, client_for: Any
) -> None:
    appeal = submit(cast)
    resolve_by_grid_worker(cast, appeal)
    resident = client_for("resident")
    url = f"/appeals/track/{appeal.tracking_number}/rate/"
    assert resident.post(url, {"value": "unsatisfied", "comment": ""}).status_code == 422
    page = resident.post(url, {"value": "unsatisfied", "comment": WHY}, follow=True).content.decode()
    appeal.refresh_from_db()
    assert appeal.state == "dispatched" and appeal.resolve_due_at is not None
    due = timezone.localtime(appeal.resolve_due_at).strftime("%Y-%m-%d %H:%M")
    assert f"已收到您的评价：{appeal.unit_name}将重新办理，新的办结时限为 {due}。" in page
    assert "感谢您的评价。" not in page
    satisfied = submit(cast)
    resolve_by_grid_worker(cast, satisfied)
    page = resident.post(
        f"/appeals/track/{satisfied.tracking_number}/rate/", {"value": "satisfied"}, follow=True
    ).content.decode()
    assert "感谢您的评价。" in page


def test_the_api_offers_deciding_a_whistle_request_only_while_one_is_open(
    cast: Cast, client_for: Any
) -> None:
    """Walking the rework as the community, the API offered 'whistle_request_decline' on an appeal no grid worker
    had asked about, which the page (rightly) did not."""
    appeal = submit(cast)
    services.appeal_acknowledge(actor=cast.grid_worker, appeal=appeal)
    community = client_for("community_worker")
    assert "whistle_request_decline" not in community.get(f"/api/appeals/{appeal.pk}").json()["actions"]
    services.whistle_request_raise(
        actor=cast.grid_worker, appeal_id=appeal.pk, reason="需要城管到场联合处置。"
    )
    assert "whistle_request_decline" in community.get(f"/api/appeals/{appeal.pk}").json()["actions"]
