"""Mediation's pages: a dispute from the new-case form to a signed agreement, its printout and its follow-up, who may
open a case, the list's queries, and a refused case form said at the top and kept."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from linli.care.choices import CaseState
from linli.care.models import MediationCase
from linli.testing import Cast

from .conftest import open_case


def test_a_dispute_goes_to_an_agreement_pdf_and_a_follow_up(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for("grid_worker")
    opened = client.post(
        "/care/cases/new/",
        {
            "grid": cast.grid.pk,
            "kind": "neighbours",
            "source": "walk_in",
            "summary": "楼上漏水到楼下，双方争执",
            "applicant": "赵大妈",
            "respondent": "钱先生",
        },
    )
    assert opened.status_code == 302
    case = MediationCase.objects.get()
    url = f"/care/cases/{case.pk}/"
    held = (timezone.localtime() - dt.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
    assert (
        client.post(url + "session/", {"held_at": held, "attendees": "双方", "notes": "各自陈述"}).status_code
        == 302
    )
    early = client.post(url + "follow_up/", {"note": "去看了", "holds": "1", "amount_recovered": "0"})
    assert early.status_code == 422  # no agreement yet
    signed = client.post(
        url + "sign/",
        {"terms": "钱先生一周内修好防水并赔偿800元", "signed_on": timezone.localdate(), "amount": "800"},
    )
    assert signed.status_code == 302
    pdf = client.get(url + "agreement.pdf")
    assert (
        pdf.status_code == 200
        and pdf["Content-Type"] == "application/pdf"
        and pdf.content.startswith(b"%PDF")
    )
    done = client.post(
        url + "follow_up/", {"note": "防水已修，钱已付", "holds": "1", "amount_recovered": "800"}
    )
    assert done.status_code == 302
    case.refresh_from_db()
    assert case.state == CaseState.CLOSED and case.outcome == "settled"
    closed = client.get(url).content.decode()
    assert "调解成功" in closed and "care-actions" not in closed  # nothing more to do on a settled case


def test_a_case_page_is_404_to_an_outsider_and_to_another_grid_worker(
    cast: Cast, case: MediationCase, client_for
) -> None:  # type: ignore[no-untyped-def]
    assert client_for("outsider").get(f"/care/cases/{case.pk}/").status_code == 404
    assert (
        client_for("outsider")
        .post(f"/care/cases/{case.pk}/close/", {"outcome": "withdrawn", "note": "撤回了"})
        .status_code
        == 404
    )
    assert client_for("street_officer").get(f"/care/cases/{case.pk}/").status_code == 200
    assert "钱先生" not in client_for("outsider").get("/care/cases/").content.decode()


def test_the_case_list_counts_its_queries(
    cast: Cast, case: MediationCase, client_for, django_assert_num_queries
) -> None:  # type: ignore[no-untyped-def]
    client = client_for("community_worker")
    client.get("/care/cases/")
    with django_assert_num_queries(8):
        page = client.get("/care/cases/")
    assert case.number in page.content.decode()


def test_a_case_with_a_phone_that_is_not_one_is_refused_on_the_form_and_through_the_service(
    cast: Cast,
    client_for,  # type: ignore[no-untyped-def]
) -> None:
    """ "abc" as the applicant's phone used to open the case with it; now the form says what a number looks like,
    keeps what was typed, and the service refuses it too (the API goes through it)."""
    import pytest

    from linli.core.errors import ValidationFailed

    data = {
        "grid": cast.grid.pk,
        "kind": "neighbours",
        "source": "walk_in",
        "summary": "楼上漏水到楼下，双方争执",
        "applicant": "张三",
        "applicant_phone": "abc",
        "respondent": "李四",
        "respondent_phone": "13812345678",
    }
    page = client_for("community_worker").post("/care/cases/new/", data)
    assert page.status_code == 422
    html = page.content.decode()
    assert "13812345678" in html and "楼上漏水到楼下" in html and "手机号" in html
    assert not MediationCase.objects.exists()
    with pytest.raises(ValidationFailed):
        open_case(
            cast,
            parties=[
                {"side": "applicant", "name": "张三", "phone": "abc"},
                {"side": "respondent", "name": "李四"},
            ],
        )


def test_the_agreement_printout_writes_the_amount_with_a_thousands_separator(
    cast: Cast, client_for, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    """The printed agreement is for people: 人民币 12,800.00 元, not 12800.00."""
    from linli.care import printing

    written: list[str] = []
    real = printing.simpleSplit
    monkeypatch.setattr(printing, "simpleSplit", lambda text, *a: written.append(text) or real(text, *a))
    client = client_for("grid_worker")
    client.post(
        "/care/cases/new/",
        {
            "grid": cast.grid.pk,
            "kind": "neighbours",
            "source": "walk_in",
            "summary": "装修损坏楼下吊顶",
            "applicant": "赵大妈",
            "respondent": "钱先生",
        },
    )
    url = f"/care/cases/{MediationCase.objects.get().pk}/"
    held = (timezone.localtime() - dt.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
    client.post(url + "session/", {"held_at": held, "attendees": "双方", "notes": "各自陈述"})
    terms = {"terms": "楼上赔偿吊顶修复费用", "signed_on": timezone.localdate(), "amount": "12800"}
    assert client.post(url + "sign/", terms).status_code == 302
    assert client.get(url + "agreement.pdf").status_code == 200
    assert "涉及金额：人民币 12,800.00 元" in written


def test_a_refused_mediation_form_says_so_at_the_top_like_the_other_forms(
    cast: Cast, case: MediationCase, client_for: Any
) -> None:
    banner = "请修改标出的内容，您已填写的内容都已保留。"
    client = client_for("community_worker")
    opened = client.post("/care/cases/new/", {"summary": "漏水"})
    assert opened.status_code == 422 and banner in opened.content.decode()
    assert banner not in client.get("/care/cases/new/").content.decode()
    acted = client.post(f"/care/cases/{case.pk}/session/", {"attendees": "双方"})
    page = acted.content.decode()
    assert acted.status_code == 422 and f'{banner}<a href="#act-session">前往表单</a>' in page  # no space
    assert page.index(banner) < page.index('id="act-session"')
    assert banner not in client.get(f"/care/cases/{case.pk}/").content.decode()


def test_the_case_and_legal_aid_forms_load_the_layout_of_their_fields(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    """The forms use core's form partial, and every page links the stylesheet that lays out its fields
    (core/forms.css; without it the fields ran together with no space between them)."""
    client = client_for("community_worker")
    for url in ("/care/cases/new/", "/care/legal/new/"):
        page = client.get(url).content.decode()
        assert 'class="form-fields"' in page and "core/forms" in page


def test_the_agreement_pdf_has_a_signature_line_for_each_party_the_mediator_and_the_seal(
    cast: Cast, case: MediationCase, client_for
) -> None:  # type: ignore[no-untyped-def]
    """人民调解法 art. 29: the agreement takes effect when each party signs (or seals, or presses a fingerprint),
    the mediator signs and the committee seals it, each side keeping a copy. The printed sheet says so and leaves a
    named line for each of them (it had one unnamed line for both parties and no place for the seal)."""
    from io import BytesIO

    from pypdf import PdfReader

    client = client_for("grid_worker")
    url = f"/care/cases/{case.pk}/"
    held = (timezone.localtime() - dt.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
    client.post(url + "session/", {"held_at": held, "attendees": "双方", "notes": "各自陈述"})
    client.post(
        url + "sign/", {"terms": "钱先生一周内修好防水", "signed_on": timezone.localdate(), "amount": "0"}
    )
    pdf = client.get(url + "agreement.pdf")
    text = "".join(page.extract_text() for page in PdfReader(BytesIO(pdf.content)).pages).replace(" ", "")
    assert "申请人（签名、盖章或按指印）：赵大妈" in text
    assert "被申请人（签名、盖章或按指印）：钱先生" in text
    assert "人民调解员（签名）" in text and "人民调解委员会（盖章）" in text
    assert "各方当事人和人民调解委员会各执一份" in text
