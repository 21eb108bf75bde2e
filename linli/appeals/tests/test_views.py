"""The appeals pages through HTTP, intake: the resident page, the grid QR code, the hotline and patrol reports
(the workbench and the resident pages after intake: test_views_handling.py)."""

from __future__ import annotations

import datetime as dt
import sys
import types
from dataclasses import dataclass
from typing import Any

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from linli.appeals.models import Appeal
from linli.appeals.tests.factories import DESCRIPTION, photo, resident_form, submit
from linli.testing import Cast


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


def page_text(response: Any) -> str:
    return response.content.decode()


# --- intake: the resident page ------------------------------------------------------------------------------


def test_signed_in_resident_submits_with_a_photo_and_gets_a_tracking_number(
    cast: Cast, client_for: Any
) -> None:
    client = client_for("resident")
    new = client.get(reverse("appeals:new"))
    assert new.status_code == 200
    assert 'name="idempotency_key"' in page_text(new)
    response = client.post(
        reverse("appeals:new"),
        resident_form(photos=[photo()], lng="116.402", lat="39.902", grid=""),
        follow=True,
    )
    appeal = Appeal.objects.get()
    assert response.redirect_chain[-1][0] == reverse("appeals:submitted", args=[appeal.tracking_number])
    assert appeal.tracking_number in page_text(response)
    assert appeal.resident == cast.resident
    assert appeal.channel == "web"
    assert appeal.photos.count() == 1
    assert appeal.contact_phone == "13812345678"


def test_guest_through_the_grid_qr_code_submits_with_a_mobile_number(cast: Cast) -> None:
    client = Client()
    page = client.get(reverse("appeals:new") + "?grid=G001")
    assert "阳光一网格" in page_text(page)
    assert 'value="G001"' in page_text(page)
    response = client.post(
        reverse("appeals:new") + "?grid=G001", resident_form(grid="G001", contact_phone="13700001111")
    )
    appeal = Appeal.objects.get()
    assert response.status_code == 302
    assert appeal.channel == "qr"
    assert appeal.grid == cast.grid
    assert appeal.resident is None
    # The guest can follow it in the same browser without typing anything again.
    detail = client.get(reverse("appeals:resident_detail", args=[appeal.tracking_number]))
    assert detail.status_code == 200
    assert appeal.tracking_number in page_text(detail)


def test_back_on_the_report_page_after_submitting_says_it_went_through(cast: Cast, client_for: Any) -> None:
    # The browser's back button brings the report page back with what was typed; the page says the appeal was
    # taken, so the resident does not send the same problem twice, and can still report another one.
    client = client_for("resident")
    client.post(reverse("appeals:new"), resident_form())
    appeal = Appeal.objects.get()
    text = page_text(client.get(reverse("appeals:new")))
    assert "您刚刚提交的诉求已受理" in text
    assert appeal.tracking_number in text
    assert reverse("appeals:resident_detail", args=[appeal.tracking_number]) in text
    # Half an hour later it is an ordinary new report.
    with time_machine.travel(appeal.created_at + dt.timedelta(minutes=31)):
        assert "您刚刚提交的诉求已受理" not in page_text(client.get(reverse("appeals:new")))


def test_a_guest_back_on_the_report_page_is_told_too(cast: Cast) -> None:
    client = Client()
    client.post(reverse("appeals:new"), resident_form(contact_phone="13700001111"))
    appeal = Appeal.objects.get()
    text = page_text(client.get(reverse("appeals:new")))
    assert "您刚刚提交的诉求已受理" in text and appeal.tracking_number in text
    # Another browser knows nothing of it.
    assert "您刚刚提交的诉求已受理" not in page_text(Client().get(reverse("appeals:new")))


def test_guest_without_a_mobile_number_is_told_and_keeps_the_text(cast: Cast) -> None:
    response = Client().post(reverse("appeals:new"), resident_form())
    assert response.status_code == 422
    text = page_text(response)
    assert "请留下手机号码" in text
    assert DESCRIPTION in text
    assert Appeal.objects.count() == 0


def test_double_submit_with_one_idempotency_key_creates_one_appeal(cast: Cast, client_for: Any) -> None:
    client = client_for("resident")
    data = resident_form(idempotency_key="same-key-123456789")
    first = client.post(reverse("appeals:new"), data)
    second = client.post(reverse("appeals:new"), data)
    assert Appeal.objects.count() == 1
    assert first["Location"] == second["Location"]


def test_guest_double_click_with_one_key_creates_one_appeal(cast: Cast) -> None:
    client = Client()
    data = resident_form(idempotency_key="guest-key-123456789", contact_phone="13700002222")
    client.post(reverse("appeals:new"), data)
    client.post(reverse("appeals:new"), data)
    assert Appeal.objects.count() == 1


def test_a_file_that_is_not_a_photo_is_refused_and_the_text_kept(cast: Cast, client_for: Any) -> None:
    fake = SimpleUploadedFile("invoice.jpg", b"%PDF-1.4 not an image", content_type="image/jpeg")
    response = client_for("resident").post(reverse("appeals:new"), resident_form(photos=[fake]))
    assert response.status_code == 422
    text = page_text(response)
    assert "invoice.jpg" in text
    assert "不是" in text  # “invoice.jpg”不是可识别的照片…
    assert DESCRIPTION in text
    assert 'id="kept-photos"' not in text  # a refused file is not kept
    assert Appeal.objects.count() == 0


def test_photos_are_kept_while_the_text_is_corrected(cast: Cast, client_for: Any) -> None:
    client = client_for("resident")
    key = "kept-photos-key-0001"
    first = client.post(
        reverse("appeals:new"),
        resident_form(idempotency_key=key, description="灯" * 2001, photos=[photo("a.jpg"), photo("b.jpg")]),
    )
    assert first.status_code == 422
    text = page_text(first)
    assert 'id="kept-photos"' in text
    assert text.count('name="keep_photo"') == 2
    kept = client.get(reverse("core:kept_file", args=[key, 0]))
    assert kept.status_code == 200 and kept["Content-Type"] == "image/jpeg"
    assert Client().get(reverse("core:kept_file", args=[key, 0])).status_code == 404  # other browsers
    names = [v.split('"')[0] for v in text.split('name="keep_photo" value="')[1:]]
    # The resident fixes the text, keeps only the first photo and adds a new one.
    client.post(
        reverse("appeals:new"),
        resident_form(idempotency_key=key, keep_photo=[names[0]], photos=[photo("c.jpg")]),
    )
    appeal = Appeal.objects.get()
    assert appeal.photos.count() == 2
    assert client.get(reverse("core:kept_file", args=[key, 0])).status_code == 404  # cleaned up


def test_seven_photos_are_refused(cast: Cast, client_for: Any) -> None:
    response = client_for("resident").post(
        reverse("appeals:new"), resident_form(photos=[photo(f"p{i}.jpg") for i in range(7)])
    )
    assert response.status_code == 422
    assert "最多" in page_text(response)
    assert Appeal.objects.count() == 0


def test_a_too_long_description_is_refused_and_kept(cast: Cast, client_for: Any) -> None:
    long_text = "楼道灯坏了。" * 400  # 2400 characters
    response = client_for("resident").post(reverse("appeals:new"), resident_form(description=long_text))
    assert response.status_code == 422
    text = page_text(response)
    assert "2000" in text and "2400" in text
    assert long_text in text
    assert Appeal.objects.count() == 0


def test_category_suggestion_comes_from_the_classifier(cast: Cast, client_for: Any, monkeypatch: Any) -> None:
    @dataclass
    class Suggestion:
        category_code: str
        confidence: float

    fake = types.ModuleType("linli.triage.services")
    fake.classify = lambda *, title, text: Suggestion("environment.noise", 0.9)  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "linli.triage.services", fake)
    response = Client().post(
        reverse("appeals:suggest"), {"title": "", "description": "楼下广场舞太吵了每天晚上"}
    )
    assert response.status_code == 200
    assert 'data-suggested-code="environment.noise"' in page_text(response)
    empty = Client().post(reverse("appeals:suggest"), {"title": "", "description": "吵"})
    assert "data-suggested-code" not in page_text(empty)


# --- intake by staff: hotline and patrol ------------------------------------------------------------------


def test_hotline_operator_answers_a_consultation_on_the_call(cast: Cast, client_for: Any) -> None:
    client = client_for("community_worker")
    assert client.get(reverse("appeals:hotline")).status_code == 200
    response = client.post(
        reverse("appeals:hotline"),
        {
            "caller_name": "李阿姨",
            "caller_phone": "13911112222",
            "kind": "consultation",
            "description": "想问一下社区老年食堂几点开门，需要带什么证件？",
            "title": "",
            "category": "",
            "priority": "normal",
            "grid": "G001",
            "address": "",
            "answer_now": "on",
            "answer": "老年食堂每天11点开门，带身份证或老年卡即可。",
            "idempotency_key": "hotline-key-1234567",
        },
    )
    appeal = Appeal.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("appeals:detail", args=[appeal.pk])
    assert appeal.channel == "hotline"
    assert appeal.contact_name == "李阿姨"
    assert appeal.state == "closed"
    assert appeal.outcome == "answered"


def test_hotline_refuses_answering_a_complaint_on_the_call(cast: Cast, client_for: Any) -> None:
    response = client_for("community_worker").post(
        reverse("appeals:hotline"),
        {
            "caller_name": "李阿姨",
            "caller_phone": "13911112222",
            "kind": "complaint",
            "description": "楼下饭店油烟太大，窗户都不敢开。",
            "priority": "normal",
            "answer_now": "on",
            "answer": "已记录",
            "idempotency_key": "hotline-key-7654321",
        },
    )
    assert response.status_code == 422
    assert "楼下饭店油烟太大" in page_text(response)
    assert Appeal.objects.count() == 0


def test_grid_worker_patrol_report_resolved_on_the_spot(cast: Cast, client_for: Any) -> None:
    client = client_for("grid_worker")
    response = client.post(
        reverse("appeals:patrol"),
        {
            "kind": "help",
            "description": "巡查发现1号楼门口井盖松动，已临时围挡。",
            "title": "",
            "category": "property_management.property_service",
            "lng": "116.401",
            "lat": "39.901",
            "address": "",
            "photos": [photo()],
            "resolve_now": "on",
            "resolution_note": "联系物业当场更换固定螺栓，井盖已固定。",
            "idempotency_key": "patrol-key-12345678",
        },
    )
    appeal = Appeal.objects.get()
    assert response.status_code == 302
    assert appeal.channel == "patrol"
    assert appeal.grid == cast.grid
    assert appeal.photos.count() == 1
    assert appeal.state == "resolved"
    assert appeal.outcome == "fixed"


def test_patrol_report_needs_a_position(cast: Cast, client_for: Any) -> None:
    response = client_for("grid_worker").post(
        reverse("appeals:patrol"),
        {"kind": "help", "description": "巡查发现井盖松动。", "idempotency_key": "patrol-key-87654321"},
    )
    assert response.status_code == 422
    assert "巡查发现井盖松动。" in page_text(response)


def test_an_appeal_pinned_outside_every_grid_says_so_where_its_place_is_named(
    cast: Cast, client_for: Any
) -> None:
    """A point on the map that no grid holds (a patrol report beyond the grids) showed "位置 —" above the map with
    its pin, as if the appeal had no place at all."""
    appeal = submit(cast, grid=None, lng=116.9, lat=39.5, address="")
    assert appeal.grid_id is None and appeal.lng is not None
    page = client_for("admin").get(reverse("appeals:detail", args=[appeal.pk])).content.decode()
    row = page[page.index("<dt>位置</dt>") :][:200]
    assert "已在地图上标点（不在已知网格内）" in row and "<dd>—</dd>" not in row
