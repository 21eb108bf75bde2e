"""A signed agreement's follow-up visit: the case list says what each dispute is about and which follow-ups are due
or late, filters them, and the home counts them as a to-do."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

from django.utils import timezone

from linli.care import services
from linli.care.models import MediationCase
from linli.core.todo import waiting_for
from linli.testing import Cast

from .conftest import open_case


def _signed(cast: Cast, follow_up_on: dt.date, summary: str) -> MediationCase:
    case = open_case(cast, summary=summary)
    today = timezone.localdate()
    services.session_record(
        actor=cast.grid_worker,
        case=case,
        held_at=timezone.now() - dt.timedelta(days=20),
        attendees="双方",
        notes="各自陈述",
    )
    services.agreement_sign(
        actor=cast.grid_worker,
        case=case,
        terms="双方同意一周内修好防水并赔偿",
        signed_on=min(today, follow_up_on) - dt.timedelta(days=1),
        follow_up_on=follow_up_on,
    )
    case.refresh_from_db()
    return case


def test_the_list_says_what_each_dispute_is_about_and_flags_a_late_follow_up(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    today = timezone.localdate()
    late = _signed(cast, today - dt.timedelta(days=3), "楼上漏水到楼下，双方争执")
    later = _signed(cast, today + dt.timedelta(days=10), "停车位被邻居长期占用")
    html = client_for("community_worker").get("/care/cases/").content.decode()
    assert "楼上漏水到楼下" in html and "停车位被邻居长期占用" in html
    assert f"{late.follow_up_on:%m-%d}" in html and f"{later.follow_up_on:%m-%d}" in html
    assert html.count("回访已逾期") == 1

    due = client_for("community_worker").get("/care/cases/?follow_up=due").content.decode()
    assert late.number in due and later.number not in due


def test_the_home_counts_the_follow_ups_due_and_late(cast: Cast) -> None:
    today = timezone.localdate()
    _signed(cast, today - dt.timedelta(days=3), "楼上漏水到楼下，双方争执")
    _signed(cast, today, "停车位被邻居长期占用")
    _signed(cast, today + dt.timedelta(days=10), "装修噪音影响休息")
    line = next(w for w in waiting_for(cast.community_worker) if w.name == "care.follow_ups")
    assert (line.count, line.late) == (2, 1)
    assert line.href.endswith("/care/cases/?follow_up=due")


def test_the_api_lists_the_follow_ups_due_with_what_each_dispute_is_about(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    today = timezone.localdate()
    late = _signed(cast, today - dt.timedelta(days=3), "楼上漏水到楼下，双方争执")
    _signed(cast, today + dt.timedelta(days=10), "停车位被邻居长期占用")
    api = client_for("community_worker")
    every = api.get("/api/care/cases").json()
    assert every["count"] == 2 and {c["summary"] for c in every["items"]} == {
        "楼上漏水到楼下，双方争执",
        "停车位被邻居长期占用",
    }
    due = api.get("/api/care/cases?follow_up=due").json()
    assert [(c["number"], c["follow_up_on"]) for c in due["items"]] == [(late.number, f"{late.follow_up_on}")]
    assert api.get("/api/care/cases?follow_up=late").status_code == 422


def test_a_case_whose_follow_up_is_late_says_so_and_opens_its_form(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    """The list flagged 回访已逾期, the case's own page showed the date bare and the follow-up form folded: whoever
    opened the case from the list had to work out it was late and unfold the form."""
    today = timezone.localdate()
    late = _signed(cast, today - dt.timedelta(days=3), "楼上漏水到楼下，双方争执")
    page = client_for("community_worker").get(f"/care/cases/{late.pk}/").content.decode()
    assert "回访已逾期 3 天" in page
    assert '<details id="act-follow_up" open>' in page
    later = _signed(cast, today + dt.timedelta(days=10), "停车位被邻居长期占用")
    page = client_for("community_worker").get(f"/care/cases/{later.pk}/").content.decode()
    assert "回访已逾期" not in page and '<details id="act-follow_up">' in page


def test_the_follow_up_form_starts_from_the_amount_the_agreement_set_to_pay(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    """The follow-up checks the agreement was kept; its 挽回金额 started at 0 whatever the agreement said, so a worker
    who ticked 已履行 and saved closed a ¥800 agreement as settled with ¥0 recovered (the list's figure and the
    dashboard's sum counted it so); and the case's page did not show the amount the agreement set at all."""
    today = timezone.localdate()
    case = open_case(cast, summary="楼上漏水到楼下厨房，维修费争执")
    services.session_record(
        actor=cast.grid_worker, case=case, held_at=timezone.now(), attendees="双方", notes="各自陈述"
    )
    services.agreement_sign(
        actor=cast.grid_worker,
        case=case,
        terms="李四承担维修费八百元，十日内付清",
        signed_on=today,
        amount=Decimal("800"),
        follow_up_on=today,
    )
    client = client_for("community_worker")
    page = client.get(f"/care/cases/{case.pk}/").content.decode()
    assert re.search(r'<input[^>]*name="amount_recovered"[^>]*value="800(\.00)?"', page), (
        "amount not prefilled"
    )
    # The agreement's card says the amount it set (it showed the terms alone, so the figure came from nowhere).
    assert "涉及金额：<strong>¥800.00</strong>" in page
    # What the worker types wins; a refused follow-up keeps it.
    refused = client.post(
        f"/care/cases/{case.pk}/follow_up/", {"note": "好", "holds": "1", "amount_recovered": "500"}
    ).content.decode()
    assert re.search(r'<input[^>]*name="amount_recovered"[^>]*value="500"', refused)
    # An agreement with nothing to pay starts the form at 0, as before.
    other = _signed(cast, today, "停车位被邻居长期占用")
    page = client.get(f"/care/cases/{other.pk}/").content.decode()
    assert re.search(r'<input[^>]*name="amount_recovered"[^>]*value="0"', page)
