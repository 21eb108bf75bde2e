"""The appeals pages through HTTP after intake: the workbench and its actions, the detail page, the resident
pages (intake: test_views.py)."""

from __future__ import annotations

import io
import sys
import types
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from linli.appeals import services
from linli.appeals.models import Appeal
from linli.appeals.tests.factories import DESCRIPTION, photo, resident_form, resolve_by_grid_worker, submit
from linli.core.models import AuditEntry, Notification
from linli.testing import Cast


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


def page_text(response: Any) -> str:
    return response.content.decode()


# --- workbench, detail, actions ------------------------------------------------------------------------------


def test_grid_worker_sees_the_queue_and_bulk_acknowledges(cast: Cast, client_for: Any) -> None:
    a = submit(cast)
    b = submit(cast, title="垃圾没人清")
    assert a.state == "dispatched" and a.tier == "grid"
    client = client_for("grid_worker")
    page = client.get(reverse("appeals:workbench"))
    assert page.status_code == 200
    assert a.tracking_number in page_text(page) and b.tracking_number in page_text(page)
    response = client.post(reverse("appeals:bulk_acknowledge"), {"ids": [a.pk, b.pk]}, HTTP_HX_REQUEST="true")
    assert response.status_code == 204
    assert response["HX-Redirect"] == reverse("appeals:workbench")
    assert set(Appeal.objects.values_list("state", flat=True)) == {"acknowledged"}


def test_workbench_filters_by_kind(cast: Cast, client_for: Any) -> None:
    complaint = submit(cast)
    suggestion = submit(cast, kind="suggestion", title="建议增加长椅")
    page = client_for("grid_worker").get(reverse("appeals:workbench") + "?kind=suggestion")
    assert suggestion.tracking_number in page_text(page)
    assert complaint.tracking_number not in page_text(page)


def test_workbench_filters_by_received_date_outcome_and_tier_and_exports_the_list_masked(
    cast: Cast, client_for: Any
) -> None:
    import datetime as dt

    from openpyxl import load_workbook

    old = submit(cast, title="旧诉求", contact_name="王小明", contact_phone="13912345678")
    Appeal.objects.filter(pk=old.pk).update(
        created_at=dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC), outcome="fixed", resolved_tier="grid"
    )
    new = submit(cast, title="新诉求")
    Appeal.objects.filter(pk=new.pk).update(outcome="answered", resolved_tier="community")
    client = client_for("community_worker")
    url = reverse("appeals:workbench")

    def listed(query: str) -> set[str]:
        text = page_text(client.get(url + query))
        return {a.tracking_number for a in (old, new) if a.tracking_number in text}

    assert listed("?tab=all") == {old.tracking_number, new.tracking_number}
    assert listed("?tab=all&received_from=2026-03-01&received_to=2026-03-31") == {old.tracking_number}
    assert listed("?tab=all&received_from=2026-04-01") == {new.tracking_number}
    assert listed("?tab=all&outcome=fixed") == {old.tracking_number}
    assert listed("?tab=all&tier=community") == {new.tracking_number}
    # An end before the start is explained, in Chinese, beside the field.
    bad = page_text(client.get(url + "?tab=all&received_from=2026-04-01&received_to=2026-03-01"))
    assert "结束日期早于开始日期" in bad

    # The export carries the same filter, masks personal data and is audited.
    page = page_text(client.get(url + "?tab=all&outcome=fixed"))
    assert "export.xlsx?" in page
    response = client.get(reverse("appeals:workbench_export", args=["xlsx"]) + "?tab=all&outcome=fixed")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [[c.value for c in row] for row in sheet.iter_rows(min_row=3)]
    assert [r[0] for r in values] == [old.tracking_number]
    flat = " ".join(str(v) for r in values for v in r)
    assert "王小明" not in flat and "13912345678" not in flat and "139****5678" in flat
    csv_text = client.get(reverse("appeals:workbench_export", args=["csv"]) + "?tab=all").content.decode()
    assert old.tracking_number in csv_text and new.tracking_number in csv_text
    assert AuditEntry.objects.filter(action="appeals_export").count() == 2
    assert client.get(reverse("appeals:workbench_export", args=["pdf"])).status_code == 404
    assert client_for("resident").get(reverse("appeals:workbench_export", args=["csv"])).status_code == 403


def test_workbench_query_count_does_not_grow_with_the_queue(cast: Cast, client_for: Any) -> None:
    client = client_for("grid_worker")

    def queries_for_page() -> int:
        with CaptureQueriesContext(connection) as ctx:
            page = client.get(reverse("appeals:workbench"))
        assert page.status_code == 200
        return len(ctx.captured_queries)

    for i in range(2):
        submit(cast, title=f"问题{i}")
    client.get(reverse("appeals:workbench"))  # warm the session
    few = queries_for_page()
    for i in range(2, 14):
        submit(cast, title=f"问题{i}")
    many = queries_for_page()
    assert page_text(client.get(reverse("appeals:workbench"))).count('data-appeal="') == 14
    assert many == few
    assert few <= 20


def test_outsider_gets_404_and_resident_gets_403(cast: Cast, client_for: Any) -> None:
    appeal = submit(cast)
    assert client_for("outsider").get(reverse("appeals:detail", args=[appeal.pk])).status_code == 404
    assert (
        client_for("outsider").post(reverse("appeals:act", args=[appeal.pk, "acknowledge"])).status_code
        == 404
    )
    assert client_for("resident").get(reverse("appeals:workbench")).status_code == 403
    assert client_for("resident").get(reverse("appeals:detail", args=[appeal.pk])).status_code == 403


def test_whole_lifecycle_through_the_pages(cast: Cast, client_for: Any) -> None:
    """Resident submits → grid worker acknowledges, resolves with a note and a photo → resident rates."""
    resident = client_for("resident")
    resident.post(reverse("appeals:new"), resident_form(grid="G001"))
    appeal = Appeal.objects.get()
    worker = client_for("grid_worker")
    detail = worker.get(reverse("appeals:detail", args=[appeal.pk]))
    assert 'data-action="acknowledge"' in page_text(detail)
    worker.post(reverse("appeals:act", args=[appeal.pk, "acknowledge"]), {"seen_state": "dispatched"})
    appeal.refresh_from_db()
    assert appeal.state == "acknowledged"
    # A resolution without a note is refused with the form kept open.
    refused = worker.post(
        reverse("appeals:act", args=[appeal.pk, "resolve"]),
        {"seen_state": "acknowledged", "resolve-outcome": "fixed"},
    )
    assert refused.status_code == 422
    worker.post(
        reverse("appeals:act", args=[appeal.pk, "resolve"]),
        {
            "seen_state": "acknowledged",
            "resolve-outcome": "fixed",
            "resolve-note": "已更换楼道灯泡，并检查了整栋楼的照明线路。",
            "resolve-photos": [photo("after.jpg")],
        },
    )
    appeal.refresh_from_db()
    assert appeal.state == "resolved"
    assert appeal.photos.filter(stage="resolution").count() == 1
    mine = resident.get(reverse("appeals:resident_detail", args=[appeal.tracking_number]))
    assert "已更换楼道灯泡" in page_text(mine)
    assert 'id="rate"' in page_text(mine)
    resident.post(reverse("appeals:resident_rate", args=[appeal.tracking_number]), {"value": "satisfied"})
    appeal.refresh_from_db()
    assert appeal.state == "rated"
    trace = resident.get(reverse("appeals:resident_detail", args=[appeal.tracking_number]))
    assert "已评价" in page_text(trace) or "评价" in page_text(trace)


def test_unsatisfied_rating_needs_a_comment_and_then_reopens(cast: Cast, client_for: Any) -> None:
    appeal = submit(cast)
    resolve_by_grid_worker(cast, appeal, "已处理完毕，灯已修好。")
    resident = client_for("resident")
    url = reverse("appeals:resident_rate", args=[appeal.tracking_number])
    refused = resident.post(url, {"value": "unsatisfied", "comment": ""})
    assert refused.status_code == 422
    resident.post(url, {"value": "unsatisfied", "comment": "灯还是不亮"})
    appeal.refresh_from_db()
    assert appeal.state == "dispatched"
    assert appeal.rework_count == 1


def test_a_form_address_opened_after_a_refusal_goes_to_its_page_not_a_405(
    cast: Cast, client_for: Any
) -> None:
    """A refused form is shown again at the address it was posted to; reloading that page (or sharing its address)
    opens the page the form is on."""
    from linli.appeals.models import CatalogueVersion

    appeal = resolve_by_grid_worker(cast, submit(cast), "已处理完毕，灯已修好。")
    resident = client_for("resident")
    url = reverse("appeals:resident_rate", args=[appeal.tracking_number])
    assert resident.post(url, {"value": "unsatisfied", "comment": ""}).status_code == 422
    reloaded = resident.get(url)
    assert (reloaded.status_code, reloaded["Location"]) == (
        302,
        reverse("appeals:resident_detail", args=[appeal.tracking_number]),
    )
    community = client_for("community_worker")
    version = CatalogueVersion.objects.order_by("pk").first()
    assert version is not None
    for posted, page in (
        (reverse("appeals:split", args=[appeal.pk]), reverse("appeals:detail", args=[appeal.pk])),
        (
            reverse("appeals:catalogue_step", args=[version.pk, "entry_set"]),
            reverse("appeals:catalogue_version", args=[version.pk]),
        ),
    ):
        opened = community.get(posted)
        assert (opened.status_code, opened["Location"]) == (302, page), posted
    assert community.put(reverse("appeals:split", args=[appeal.pk])).status_code == 405


def test_stale_page_gets_a_clear_conflict_message(cast: Cast, client_for: Any) -> None:
    appeal = submit(cast)
    services.appeal_acknowledge(actor=cast.grid_worker, appeal=appeal)  # someone else, a moment earlier
    client = client_for("community_worker")
    response = client.post(
        reverse("appeals:act", args=[appeal.pk, "acknowledge"]), {"seen_state": "dispatched"}, follow=True
    )
    text = page_text(response)
    assert "conflict" in text  # the message carries the conflict tag for styling
    assert "王网格" in text  # …and says who acted first


def test_return_needs_a_reason(cast: Cast, client_for: Any) -> None:
    appeal = submit(cast)
    client = client_for("grid_worker")
    response = client.post(reverse("appeals:act", args=[appeal.pk, "return"]), {"seen_state": "dispatched"})
    assert response.status_code == 422
    appeal.refresh_from_db()
    assert appeal.state == "dispatched"
    client.post(
        reverse("appeals:act", args=[appeal.pk, "return"]),
        {"seen_state": "dispatched", "return-reason": "不属于网格职责，应由物业公司处理。"},
    )
    appeal.refresh_from_db()
    assert appeal.state == "returned"


def test_extension_requested_by_the_grid_worker_and_approved_by_the_community(
    cast: Cast, client_for: Any
) -> None:
    appeal = submit(cast)
    services.appeal_acknowledge(actor=cast.grid_worker, appeal=appeal)
    due = Appeal.objects.get(pk=appeal.pk).resolve_due_at
    client_for("grid_worker").post(
        reverse("appeals:act", args=[appeal.pk, "extension_request"]),
        {
            "seen_state": "acknowledged",
            "extension_request-days": "3",
            "extension_request-reason": "需要等配件到货。",
        },
    )
    ext = appeal.extensions.get()
    community = client_for("community_worker")
    tab = community.get(reverse("appeals:workbench") + "?tab=supervise")
    assert "需要等配件到货" in page_text(tab)
    response = community.post(
        reverse("appeals:extension_decide", args=[appeal.pk, "approve"]),
        {"request_id": ext.pk, "next": "https://evil.example.com/"},
    )
    assert response["Location"] == reverse("appeals:detail", args=[appeal.pk])  # no open redirect
    ext.refresh_from_db()
    assert ext.status == "approved"
    after = Appeal.objects.get(pk=appeal.pk).resolve_due_at
    assert due is not None and after is not None and after > due


def test_contact_reveal_is_audited(cast: Cast, client_for: Any) -> None:
    appeal = submit(cast)
    client = client_for("grid_worker")
    detail = client.get(reverse("appeals:detail", args=[appeal.pk]))
    assert "138****5678" in page_text(detail)
    assert "13812345678" not in page_text(detail)
    response = client.post(reverse("appeals:reveal_contact", args=[appeal.pk]))
    assert "13812345678" in page_text(response)
    assert AuditEntry.objects.filter(action="appeal.contact_reveal", object_id=str(appeal.pk)).exists()


def test_whistle_two_departments_from_the_page(cast: Cast, client_for: Any) -> None:
    appeal = submit(cast)
    services.appeal_escalate(actor=cast.grid_worker, appeal=appeal, reason="需要社区协调")
    appeal.refresh_from_db()
    community = client_for("community_worker")
    services.appeal_acknowledge(actor=cast.community_worker, appeal=appeal)
    community.post(
        reverse("appeals:act", args=[appeal.pk, "whistle"]),
        {
            "seen_state": "acknowledged",
            "whistle-organisations": [cast.department.pk, cast.other_department.pk],
            "whistle-note": "请城管和水务到现场联合处置。",
        },
    )
    assert appeal.parts.count() == 2
    handler = client_for("department_handler")
    part = appeal.parts.get(organisation=cast.department)
    page = handler.get(reverse("appeals:detail", args=[appeal.pk]))
    assert page.status_code == 200
    handler.post(reverse("appeals:part_act", args=[appeal.pk, "report_in"]), {"part_id": part.pk, "note": ""})
    part.refresh_from_db()
    assert part.reported_in_at is not None


# --- resident pages -----------------------------------------------------------------------------------------


def test_guest_follows_by_tracking_number_and_phone(cast: Cast) -> None:
    appeal = submit(cast, actor=None, contact_phone="13700003333", channel="web")
    client = Client()
    wrong = client.post(
        reverse("appeals:track"), {"tracking_number": appeal.tracking_number, "phone": "13700009999"}
    )
    assert wrong.status_code == 422
    assert "请核对" in page_text(wrong)
    right = client.post(
        reverse("appeals:track"),
        {"tracking_number": appeal.tracking_number.lower(), "phone": "137 0000 3333"},
    )
    assert right["Location"] == reverse("appeals:resident_detail", args=[appeal.tracking_number])
    mine = client.get(reverse("appeals:mine"))
    assert appeal.tracking_number in page_text(mine)


def test_guessing_tracking_numbers_is_limited(cast: Cast) -> None:
    appeal = submit(cast, actor=None, contact_phone="13700005555", channel="web")
    client = Client()
    for i in range(10):
        client.post(
            reverse("appeals:track"), {"tracking_number": appeal.tracking_number, "phone": f"1370000{i:04d}"}
        )
    blocked = client.post(
        reverse("appeals:track"), {"tracking_number": appeal.tracking_number, "phone": "13700005555"}
    )
    assert blocked.status_code == 422
    assert "一小时后再试" in page_text(blocked)


def test_stranger_cannot_open_someone_elses_appeal(cast: Cast) -> None:
    appeal = submit(cast)
    response = Client().get(reverse("appeals:resident_detail", args=[appeal.tracking_number]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("appeals:track"))
    photo_appeal = submit(cast, photos=[photo()], title="有照片")
    stored = photo_appeal.photos.get()
    assert Client().get(reverse("appeals:photo", args=[stored.pk])).status_code == 404


def test_resident_withdraws_and_sees_their_list(cast: Cast, client_for: Any) -> None:
    appeal = submit(cast)
    client = client_for("resident")
    listing = client.get(reverse("appeals:mine"))
    assert appeal.tracking_number in page_text(listing)
    client.post(reverse("appeals:resident_withdraw", args=[appeal.tracking_number]), {"reason": "已自行解决"})
    appeal.refresh_from_db()
    assert appeal.state == "closed"
    assert appeal.outcome == "withdrawn"


def test_a_refused_withdrawal_comes_back_on_the_form_with_the_reason_kept(
    cast: Cast, client_for: Any
) -> None:
    """A reason over the limit, or an appeal closed meanwhile: the page again with the form open, its error said
    on it and everything typed kept (as the resident's other forms), not a message with the text lost."""
    appeal = submit(cast)
    client = client_for("resident")
    url = reverse("appeals:resident_withdraw", args=[appeal.tracking_number])
    too_long = "已经解决了" * 101
    refused = client.post(url, {"reason": too_long})
    assert refused.status_code == 422
    text = refused.content.decode()
    assert '<details class="ap-card ap-action" id="withdraw" open>' in text
    assert too_long in text and "500" in page_text(refused)
    appeal.refresh_from_db()
    assert appeal.state != "closed"
    services.appeal_withdraw(actor=cast.resident, appeal=appeal, reason="打错了")
    again = client.post(url, {"reason": "再撤一次"})
    assert again.status_code == 422 and "再撤一次" in again.content.decode()


def test_inbox_lists_and_marks_read(cast: Cast, client_for: Any) -> None:
    appeal = submit(cast)
    services.appeal_acknowledge(actor=cast.grid_worker, appeal=appeal)
    client = client_for("resident")
    page = client.get(reverse("appeals:inbox"))
    assert page.status_code == 200
    note = Notification.objects.filter(user=cast.resident).first()
    assert note is not None
    assert note.title in page_text(page)
    response = client.post(reverse("appeals:inbox"), {"id": note.pk})
    note.refresh_from_db()
    assert note.read_at is not None
    assert response["Location"] == note.url
    assert Client().get(reverse("appeals:inbox")).status_code == 302


def test_public_grid_map_data_has_no_personal_data(cast: Cast) -> None:
    data = Client().get(reverse("appeals:grids_json")).json()
    codes = {f["properties"]["code"] for f in data["features"]}
    assert codes == {"G001", "G002"}
    assert set(data["features"][0]["properties"]) == {"id", "code", "name", "community_name", "colour"}


def test_community_dispatches_an_unclassified_appeal_from_the_page(
    cast: Cast, client_for: Any, monkeypatch: Any
) -> None:
    @dataclass
    class Unsure:
        category_code: str = "other.other"
        confidence: float = 0.05
        confident: bool = False

    fake = types.ModuleType("linli.triage.services")
    fake.classify = lambda *, title, text: Unsure()  # type: ignore[attr-defined]
    fake.labelled_example_record = lambda **kw: None  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "linli.triage.services", fake)
    appeal = submit(cast, category_code="", description="有件事不知道该找谁，小区后门一直有人乱停车堵路。")
    appeal.refresh_from_db()
    assert appeal.state == "accepted"  # below the threshold: it waits for a person
    community = client_for("community_worker")
    tab = community.get(reverse("appeals:workbench") + "?tab=supervise")
    assert appeal.tracking_number in page_text(tab)
    refused = community.post(
        reverse("appeals:act", args=[appeal.pk, "dispatch"]), {"seen_state": "accepted", "dispatch-tier": ""}
    )
    assert refused.status_code == 422
    community.post(
        reverse("appeals:act", args=[appeal.pk, "dispatch"]),
        {
            "seen_state": "accepted",
            "dispatch-tier": "grid",
            "dispatch-category": "property_management.property_service",
            "dispatch-reason": "小区内停车问题，交网格员处理。",
        },
    )
    appeal.refresh_from_db()
    assert appeal.state == "dispatched"
    assert appeal.tier == "grid"
    assert appeal.category is not None and appeal.category.code == "property_management.property_service"


def test_grid_worker_escalates_and_the_community_sees_it(cast: Cast, client_for: Any) -> None:
    appeal = submit(cast)
    client_for("grid_worker").post(
        reverse("appeals:act", args=[appeal.pk, "escalate"]),
        {"seen_state": "dispatched", "escalate-reason": "涉及多个楼栋，需要社区协调。"},
    )
    appeal.refresh_from_db()
    assert appeal.escalation_count == 1
    assert appeal.tier in {"compound", "community"}
    community = client_for("community_worker")
    page = community.get(reverse("appeals:workbench") + "?tab=supervise")
    assert appeal.tracking_number in page_text(page)
    assert "已上报" in page_text(page)
    detail = community.get(reverse("appeals:detail", args=[appeal.pk]))
    assert 'data-action="acknowledge"' in page_text(detail)


def test_merge_a_duplicate_from_the_page(cast: Cast, client_for: Any) -> None:
    primary = submit(cast)
    duplicate = submit(cast, actor=None, contact_phone="13700004444", title="楼道灯不亮")
    client = client_for("grid_worker")
    unknown = client.post(
        reverse("appeals:act", args=[duplicate.pk, "merge"]),
        {"seen_state": "dispatched", "merge-primary": "LL0"},
    )
    assert unknown.status_code == 422
    assert "没有该受理编号" in page_text(unknown)
    client.post(
        reverse("appeals:act", args=[duplicate.pk, "merge"]),
        {"seen_state": "dispatched", "merge-primary": primary.tracking_number.lower()},
    )
    duplicate.refresh_from_db()
    assert duplicate.state == "closed"
    assert duplicate.outcome == "duplicate"
    assert duplicate.primary == primary
    # The duplicate's resident (a guest here) is told where their problem is handled now.
    guest = Client()
    guest.post(
        reverse("appeals:track"), {"tracking_number": duplicate.tracking_number, "phone": "13700004444"}
    )
    page = guest.get(reverse("appeals:resident_detail", args=[duplicate.tracking_number]))
    assert primary.tracking_number in page_text(page)
    assert "合并办理" in page_text(page)


def test_guest_rates_in_the_browser_that_submitted(cast: Cast) -> None:
    client = Client()
    client.post(reverse("appeals:new"), resident_form(grid="G001", contact_phone="13700006666"))
    appeal = Appeal.objects.get()
    resolve_by_grid_worker(cast, appeal, "楼道灯已更换，恢复照明。")
    client.post(reverse("appeals:resident_rate", args=[appeal.tracking_number]), {"value": "basically"})
    appeal.refresh_from_db()
    assert appeal.state == "rated"
    rating = appeal.ratings.get()
    assert rating.value == "basically"
    assert rating.by is None
    # Another browser that never gave the phone number cannot rate or withdraw.
    stranger = Client().post(
        reverse("appeals:resident_rate", args=[appeal.tracking_number]), {"value": "unsatisfied"}
    )
    assert stranger.status_code == 404


def test_pause_and_resume_the_clock_from_the_page(cast: Cast, client_for: Any) -> None:
    appeal = submit(cast)
    services.appeal_acknowledge(actor=cast.grid_worker, appeal=appeal)
    worker = client_for("grid_worker")
    worker.post(
        reverse("appeals:act", args=[appeal.pk, "pause"]),
        {"seen_state": "acknowledged", "pause-reason": "居民出差，下周一回来后才能入户查看。"},
    )
    appeal.refresh_from_db()
    assert appeal.state == "waiting"
    assert appeal.paused_at is not None
    detail = worker.get(reverse("appeals:detail", args=[appeal.pk]))
    assert "计时暂停" in page_text(detail)
    worker.post(reverse("appeals:act", args=[appeal.pk, "resume"]), {"seen_state": "waiting"})
    appeal.refresh_from_db()
    assert appeal.state == "in_progress"
    assert appeal.paused_at is None


def test_queue_marks_overdue_and_near_due(cast: Cast, client_for: Any) -> None:
    import datetime as dt

    import time_machine

    appeal = submit(cast)
    appeal.refresh_from_db()
    assert appeal.resolve_due_at is not None and appeal.warn_at is not None
    # Sign in at each moment (a session lasts hours, the deadlines are days away).
    with time_machine.travel(appeal.warn_at + dt.timedelta(minutes=1), tick=False):
        near = page_text(client_for("grid_worker").get(reverse("appeals:workbench")))
    assert "ap-is-near" in near and "即将到期" in near
    with time_machine.travel(appeal.resolve_due_at + dt.timedelta(hours=1), tick=False):
        late = client_for("grid_worker").get(reverse("appeals:workbench") + "?overdue=on")
    text = page_text(late)
    assert "ap-is-overdue" in text and "已超期" in text
    assert appeal.tracking_number in text


def test_a_too_long_title_is_named_with_its_limit_and_nothing_typed_is_lost(cast: Cast) -> None:
    title = "楼道灯坏了" * 40
    response = Client().post(reverse("appeals:new"), resident_form(title=title, contact_phone="13700001234"))
    assert response.status_code == 422
    text = page_text(response)
    assert "标题太长：最多 100 个字（您已输入 200 个字）。" in text
    assert "确保该变量" not in text
    assert title in text and DESCRIPTION in text
    assert Appeal.objects.count() == 0
