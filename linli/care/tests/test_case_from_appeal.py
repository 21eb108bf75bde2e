"""转人民调解 from a dispute appeal's staff page: the step is offered to those who may open a case from it (care's own
rule in its grid, and only who works on the appeal), it opens the new-case form filled from the appeal, and that
form says every problem of what was typed at once, keeping it."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from linli.appeals import services as appeals
from linli.appeals.models import Appeal
from linli.appeals.tests.factories import submit
from linli.care.models import MediationCase
from linli.core.models import AuditEntry
from linli.testing import Cast

from .conftest import open_case

LABEL = "转人民调解"


def _dispute(cast: Cast, code: str = "public_safety.neighbour_disputes") -> Appeal:
    return submit(
        cast,
        title="楼上噪音扰民",
        description="楼上每天深夜拖动家具，多次沟通无果，希望社区出面调解。",
        category_code=code,
        contact_name="张三",
        contact_phone="13812345678",
        address="3号楼502室",
    )


def _case_link(appeal: Appeal) -> str:
    return f"{reverse('care:case_new')}?appeal={appeal.tracking_number}"


def _appeal_page(client: Any, appeal: Appeal) -> str:
    page = client.get(reverse("appeals:detail", args=[appeal.pk]))
    assert page.status_code == 200
    return str(page.content.decode())


def test_a_neighbour_dispute_offers_mediation_to_its_grid_worker_and_the_community(
    cast: Cast, client_for: Any
) -> None:
    appeal = _dispute(cast)
    for who in ("grid_worker", "community_worker", "street_officer"):
        page = _appeal_page(client_for(who), appeal)
        assert LABEL in page and _case_link(appeal) in page, who


def test_mediation_is_not_offered_to_a_unit_that_does_not_handle_the_appeal(
    cast: Cast, client_for: Any
) -> None:
    """A wage-arrears dispute sits with the street: the community sees it but does not work on it; the street does.
    Passed on to a department, the department handles it but does not open mediation cases."""
    appeal = _dispute(cast, "labour_social.wage_arrears")
    assert appeal.tier == "street"
    assert LABEL not in _appeal_page(client_for("community_worker"), appeal)
    assert _case_link(appeal) in _appeal_page(client_for("street_officer"), appeal)
    Appeal.objects.filter(pk=appeal.pk).update(tier="department", unit_org=cast.department, unit_node=None)
    for who in ("department_handler", "community_worker"):
        page = _appeal_page(client_for(who), appeal)
        assert LABEL not in page and _case_link(appeal) not in page, who


def test_mediation_is_not_offered_for_what_is_no_dispute_an_answered_appeal_or_one_with_a_case(
    cast: Cast, client_for: Any
) -> None:
    client = client_for("community_worker")
    lamp = submit(cast)  # a broken stair light: no dispute
    assert LABEL not in _appeal_page(client, lamp)
    taken = _dispute(cast)
    open_case(cast, summary=taken.description, appeal_number=taken.tracking_number)
    assert LABEL not in _appeal_page(client, taken)
    answered = _dispute(cast)
    appeals.appeal_acknowledge(actor=cast.grid_worker, appeal=answered)
    appeals.appeal_resolve(actor=cast.grid_worker, appeal=answered, note="双方已当面和解", outcome="fixed")
    assert LABEL not in _appeal_page(client, answered)


def test_a_property_appeal_is_offered_mediation_only_as_a_complaint(cast: Cast, client_for: Any) -> None:
    """地下车库积水 asks for help under 公共区域与车位: no dispute to mediate; a complaint there (a parking space taken)
    is one. Opening a case from the help request by its number is refused on the field, saying why."""
    client = client_for("community_worker")
    flood = _dispute(cast, "property_management.shared_areas")
    Appeal.objects.filter(pk=flood.pk).update(kind="help")
    assert LABEL not in _appeal_page(client, flood)
    data = {
        "grid": cast.grid.pk,
        "kind": "property",
        "source": "appeal",
        "appeal_number": flood.tracking_number,
        "place": "地下车库",
        "summary": flood.description,
        "applicant": "张三",
        "respondent": "物业公司",
    }
    page = client.post(reverse("care:case_new"), data)
    assert page.status_code == 422 and "只有投诉才是需要调解的纠纷" in page.content.decode()
    assert not MediationCase.objects.exists()
    complaint = _dispute(cast, "property_management.shared_areas")
    assert complaint.kind == "complaint"
    assert _case_link(complaint) in _appeal_page(client, complaint)


def test_the_new_case_form_is_filled_from_the_appeal_and_the_contact_read_is_audited(
    cast: Cast, client_for: Any
) -> None:
    appeal = _dispute(cast)
    page = client_for("community_worker").get(_case_link(appeal))
    assert page.status_code == 200
    form = page.context["form"]
    assert form.initial["appeal_number"] == appeal.tracking_number
    assert form.initial["grid"] == cast.grid.pk and form.initial["kind"] == "neighbours"
    assert form.initial["source"] == "appeal" and form.initial["place"] == "3号楼502室"
    assert form.initial["summary"] == appeal.description
    assert form.initial["applicant"] == "张三" and form.initial["applicant_phone"] == "13812345678"
    html = page.content.decode()
    assert "已按诉求" in html and reverse("appeals:detail", args=[appeal.pk]) in html
    assert "楼上每天深夜拖动家具" in html and 'value="13812345678"' in html
    read = AuditEntry.objects.get(action="appeal.contact_reveal", object_id=str(appeal.pk))
    assert read.actor_id == cast.community_worker.pk


def test_an_appeal_the_reader_may_not_open_a_case_from_fills_in_nothing_but_its_number(
    cast: Cast, client_for: Any
) -> None:
    appeal = _dispute(cast, "labour_social.wage_arrears")  # with the department
    page = client_for("community_worker").get(_case_link(appeal))
    assert page.status_code == 200
    assert page.context["form"].initial == {"appeal_number": appeal.tracking_number}
    html = page.content.decode()
    assert "13812345678" not in html and "已按诉求" not in html
    assert not AuditEntry.objects.filter(action="appeal.contact_reveal").exists()


def test_a_case_opened_from_the_filled_form_answers_the_appeal(cast: Cast, client_for: Any) -> None:
    appeal = _dispute(cast)
    client = client_for("grid_worker")
    initial = client.get(_case_link(appeal)).context["form"].initial
    data = {k: v for k, v in initial.items() if v is not None} | {"respondent": "钱先生"}
    opened = client.post(_case_link(appeal), data)
    assert opened.status_code == 302
    case = MediationCase.objects.get()
    assert case.appeal_number == appeal.tracking_number and case.source == "appeal"
    assert case.parties.filter(side="applicant", name="张三", phone="13812345678").exists()
    assert LABEL not in _appeal_page(client, appeal)  # one case an appeal


def test_the_new_case_form_says_every_problem_at_once_and_keeps_what_was_typed(
    cast: Cast, client_for: Any
) -> None:
    """A summary too short, two phones that are not phones, no respondent and an appeal number that is none: all
    five said in one round, each on its field (they came one after another, each after the last was mended)."""
    data = {
        "grid": cast.grid.pk,
        "kind": "neighbours",
        "source": "walk_in",
        "appeal_number": "NO-SUCH-1",
        "place": "1号楼",
        "summary": "吵架",
        "applicant": "赵大妈",
        "applicant_phone": "abc",
        "respondent": "",
        "respondent_phone": "12345",
    }
    page = client_for("community_worker").post(reverse("care:case_new"), data)
    assert page.status_code == 422
    errors = page.context["form"].errors
    assert set(errors) == {"summary", "applicant_phone", "respondent", "respondent_phone", "appeal_number"}
    html = page.content.decode()
    assert "至少 6 个字" in html and html.count("请输入11位手机号码") == 2 and "此项为必填项" in html
    assert "没有您可办理的此编号诉求" in html
    for typed in ('value="abc"', 'value="12345"', 'value="NO-SUCH-1"', "吵架", 'value="赵大妈"'):
        assert typed in html
    assert not MediationCase.objects.exists()


def test_the_service_says_every_refusal_at_once_too(cast: Cast) -> None:
    """The API goes through the service alone: it lists each field's refusal."""
    import pytest

    from linli.core.errors import ValidationFailed

    with pytest.raises(ValidationFailed) as refused:
        open_case(
            cast,
            summary="吵架",
            parties=[
                {"side": "applicant", "name": "赵大妈", "phone": "abc"},
                {"side": "respondent", "name": "钱先生", "phone": "12345"},
            ],
        )
    assert set(refused.value.extra["fields"]) == {"summary", "applicant_phone", "respondent_phone"}
