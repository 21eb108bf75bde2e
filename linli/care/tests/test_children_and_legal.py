"""Children's places with a waiting list; the rota of 三官两师; legal aid from the eligibility check to an outcome;
the appeal → case step limited to disputes; masked, audited exports; the dashboard's panel."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from linli.care import rules, services
from linli.care.models import ChildPlace, LegalAidApplication, MediationCase, OnCallProfessional
from linli.core.errors import InvalidTransition, PermissionDenied, ValidationFailed
from linli.core.models import AuditEntry, OutboxMessage
from linli.testing import Cast

from .conftest import open_case


@pytest.fixture
def place(cast: Cast) -> ChildPlace:
    return services.child_place_create(
        actor=cast.community_worker,
        community=cast.community,
        kind="after_school",
        name="幸福社区四点半课堂",
        capacity=2,
    )


def _sign_up(cast: Cast, place: ChildPlace, name: str, actor: object = None) -> object:
    return services.enrolment_create(
        actor=actor or cast.grid_worker,  # type: ignore[arg-type]
        place=place,
        child_name=name,
        birth_date=dt.date(2017, 5, 1),
        guardian_name=f"{name}妈妈",
        guardian_phone="13700000001",
    )


def test_a_full_place_puts_children_in_line_and_a_leaver_frees_it_for_the_first(
    cast: Cast, place: ChildPlace
) -> None:
    a, b, c, d = (_sign_up(cast, place, n) for n in ("小明", "小红", "小刚", "小丽"))
    assert [x.state for x in (a, b, c, d)] == ["enrolled", "enrolled", "waiting", "waiting"]  # type: ignore[attr-defined]
    promoted = services.enrolment_leave(actor=cast.grid_worker, enrolment=a)  # type: ignore[arg-type]
    assert promoted is not None and promoted.child_name == "小刚"
    texts = [m.payload.get("text", "") for m in OutboxMessage.objects.filter(recipient="13700000001")]
    assert any("小刚" in t for t in texts)
    # Someone leaving the waiting list frees no place.
    assert services.enrolment_leave(actor=cast.grid_worker, enrolment=d) is None  # type: ignore[arg-type]


def test_a_child_is_signed_up_once_and_the_guardian_phone_is_checked(cast: Cast, place: ChildPlace) -> None:
    _sign_up(cast, place, "小明")
    with pytest.raises(ValidationFailed):
        _sign_up(cast, place, "小明")
    with pytest.raises(ValidationFailed) as bad:
        services.enrolment_create(
            actor=cast.grid_worker,
            place=place,
            child_name="小华",
            birth_date=dt.date(2018, 1, 1),
            guardian_name="小华爸爸",
            guardian_phone="123",
        )
    assert bad.value.extra["field"] == "guardian_phone"


def test_an_outsider_gets_404_for_a_place_and_a_grid_worker_may_not_open_one(
    cast: Cast, place: ChildPlace, client_for
) -> None:  # type: ignore[no-untyped-def]
    assert client_for("outsider").get(f"/care/children/{place.pk}/").status_code == 404
    with pytest.raises(PermissionDenied):
        services.child_place_create(
            actor=cast.grid_worker, community=cast.community, kind="nursery", name="托育点", capacity=10
        )
    page = client_for("grid_worker").get(f"/care/children/{place.pk}/")
    assert page.status_code == 200
    assert AuditEntry.objects.filter(action="child_place_read", actor_id=cast.grid_worker.pk).count() == 1


def test_signing_up_on_the_page_says_when_the_child_waits(cast: Cast, place: ChildPlace, client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for("community_worker")
    for name in ("小明", "小红", "小刚"):
        client.post(
            f"/care/children/{place.pk}/",
            {
                "child_name": name,
                "birth_date": "2017-03-01",
                "guardian_name": "家长",
                "guardian_phone": "13700000002",
            },
        )
    page = client.get(f"/care/children/{place.pk}/").content.decode()
    assert "候补名单" in page and "小刚" in page
    refused = client.post(
        f"/care/children/{place.pk}/",
        {"child_name": "小华", "birth_date": "2017-03-01", "guardian_name": "家长", "guardian_phone": "12"},
    )
    assert refused.status_code == 422 and "小华" in refused.content.decode()


@pytest.fixture
def lawyer(cast: Cast) -> OnCallProfessional:
    return services.rota_add(
        actor=cast.community_worker,
        community=cast.community,
        kind="lawyer",
        name="王律师",
        organisation="明理律师事务所",
        weekdays="1234567",
    )


def test_the_rota_says_who_is_on_duty_and_a_case_calls_one_in(cast: Cast, lawyer: OnCallProfessional) -> None:
    from linli.care.selectors import on_duty

    services.rota_add(
        actor=cast.community_worker, community=cast.community, kind="police", name="李警官", weekdays="6"
    )
    saturday = dt.date(2026, 12, 5)
    assert {p.name for p in on_duty(cast.community_worker, saturday)} == {"王律师", "李警官"}
    assert {p.name for p in on_duty(cast.community_worker, saturday + dt.timedelta(days=1))} == {"王律师"}
    assert on_duty(cast.outsider, saturday) == []
    case = open_case(cast, kind="debt", summary="借款两万逾期未还")
    services.case_call_professional(actor=cast.grid_worker, case=case, on_call=lawyer)
    case.refresh_from_db()
    assert (case.professional_kind, case.professional_name) == ("lawyer", "王律师")
    with pytest.raises(ValidationFailed):
        services.rota_add(
            actor=cast.community_worker, community=cast.community, kind="judge", name="赵法官", weekdays=""
        )


def _apply(cast: Cast, **application: Any) -> LegalAidApplication:
    """An application taken by the cast's grid worker in their grid."""
    return services.legal_aid_apply(actor=cast.grid_worker, grid=cast.grid, **application)


def test_legal_aid_eligibility_follows_the_matter_and_the_means() -> None:
    assert rules.legal_aid_eligibility("violence", low_income=False).eligible
    assert rules.legal_aid_eligibility("wages", low_income=True).eligible
    assert not rules.legal_aid_eligibility("wages", low_income=False).eligible
    assert not rules.legal_aid_eligibility("other", low_income=True).eligible


def test_legal_aid_from_application_to_a_lawyer_and_an_outcome(
    cast: Cast, lawyer: OnCallProfessional
) -> None:
    app = _apply(
        cast, applicant_name="秦师傅", matter="wages", summary="装修公司拖欠三个月工资", low_income=True
    )
    assert app.state == "applied" and app.number.startswith("FY")
    with pytest.raises(PermissionDenied):
        services.legal_aid_assign(actor=cast.grid_worker, application=app, lawyer=lawyer)
    services.legal_aid_assign(actor=cast.community_worker, application=app, lawyer=lawyer)
    with pytest.raises(InvalidTransition):
        services.legal_aid_refuse(actor=cast.community_worker, application=app, reason="已指派不能拒绝")
    services.legal_aid_conclude(
        actor=cast.community_worker,
        application=app,
        outcome="won",
        note="仲裁裁决支付工资",
        amount_recovered=Decimal(18000),
    )
    app.refresh_from_db()
    assert app.state == "closed" and app.amount_recovered == Decimal(18000)


def test_an_ineligible_application_cannot_get_a_lawyer_and_is_refused(
    cast: Cast, lawyer: OnCallProfessional
) -> None:
    app = _apply(
        cast, applicant_name="杨先生", matter="wages", summary="工资纠纷，收入较高", low_income=False
    )
    with pytest.raises(ValidationFailed):
        services.legal_aid_assign(actor=cast.community_worker, application=app, lawyer=lawyer)
    services.legal_aid_refuse(actor=cast.community_worker, application=app, reason="不符合经济困难条件")
    app.refresh_from_db()
    assert app.state == "refused"


def test_legal_aid_is_read_by_who_took_it_and_supervisors_and_each_read_is_audited(
    cast: Cast, client_for
) -> None:  # type: ignore[no-untyped-def]
    app = _apply(
        cast,
        applicant_name="秦师傅",
        applicant_phone="13600000003",
        matter="violence",
        summary="遭受家庭暴力，请求援助",
        low_income=False,
    )
    assert client_for("outsider").get(f"/care/legal/{app.pk}/").status_code == 404
    page = client_for("community_worker").get(f"/care/legal/{app.pk}/")
    assert page.status_code == 200 and "13600000003" in page.content.decode()
    assert AuditEntry.objects.filter(action="legal_aid_read", object_id=str(app.pk)).count() == 1
    listed = client_for("community_worker").get("/api/care/legal-aid").json()["items"]
    assert listed[0]["applicant"] == "秦*傅"


def test_talks_are_counted(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    services.legal_talk_record(
        actor=cast.community_worker,
        community=cast.community,
        held_on=timezone.localdate(),
        topic="民法典进社区",
        speaker="王律师",
        audience=45,
    )
    with pytest.raises(ValidationFailed):
        services.legal_talk_record(
            actor=cast.community_worker,
            community=cast.community,
            held_on=timezone.localdate() + dt.timedelta(days=3),
            topic="未来的讲座",
            speaker="王律师",
            audience=10,
        )
    page = client_for("community_worker").get("/care/legal/").content.decode()
    assert "民法典进社区" in page and "45" in page


def test_only_a_dispute_appeal_becomes_a_case(cast: Cast) -> None:
    from linli.appeals.tests.factories import submit

    appeal = submit(cast)  # a broken stair light: property service, not a dispute
    with pytest.raises(ValidationFailed) as refused:
        open_case(cast, summary="楼道灯坏了一周", appeal_number=appeal.tracking_number)
    assert refused.value.extra["field"] == "appeal_number"
    assert "不属于纠纷" in str(refused.value.message)
    assert MediationCase.objects.count() == 0


def test_exports_are_masked_and_audited(cast: Cast, plan: object, case: MediationCase, client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for("community_worker")
    plans = client.get("/care/export/plans.csv")
    body = plans.content.decode("utf-8-sig")
    assert plans.status_code == 200 and "张*" in body and "张三" not in body
    assert "139****0009" in body and "13900000009" not in body
    assert ",王网格," in body  # no visitor of its own: the grid's worker who visits is named
    cases = client.get("/care/export/cases.csv").content.decode("utf-8-sig")
    assert "赵*妈" in cases and "赵大妈" not in cases and "13800000001" not in cases
    assert AuditEntry.objects.filter(action="care_export", actor_id=cast.community_worker.pk).count() == 2
    assert client_for("outsider").get("/care/export/plans.csv").content.decode("utf-8-sig").count("\n") == 1
    assert client.get("/care/export/other.csv").status_code == 404


def test_the_dashboard_shows_the_care_panel(
    cast: Cast, plan: object, case: MediationCase, client_for
) -> None:  # type: ignore[no-untyped-def]
    from linli.care.selectors import overview

    figures = overview(
        cast.community.path, timezone.localdate() - dt.timedelta(days=30), timezone.localdate()
    )
    assert figures["cases_opened"] == 1 and figures["cases_by_kind"] == [("neighbours", 1)]
    page = client_for("street_officer").get("/dashboard/")
    assert page.status_code == 200 and 'id="care-panel"' in page.content.decode()


def test_adding_to_the_rota_without_a_day_says_to_tick_the_days_and_keeps_the_name(
    cast: Cast, client_for
) -> None:  # type: ignore[no-untyped-def]
    client = client_for("community_worker")
    typed = {"community": cast.community.pk, "kind": "judge", "name": "赵法官", "organisation": "区人民法院"}
    refused = client.post("/care/rota/", typed)
    page = refused.content.decode()
    assert refused.status_code == 422 and "请勾选值班日。" in page and "此项为必填项" not in page
    assert 'value="赵法官"' in page and 'value="区人民法院"' in page


def test_talks_on_the_law_go_twenty_a_page(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    """Before, the page stopped at the twentieth talk without a word; the older ones are a page further."""
    for n in range(21):
        services.legal_talk_record(
            actor=cast.community_worker,
            community=cast.community,
            held_on=timezone.localdate() - dt.timedelta(days=n),
            topic=f"普法讲座第{n + 1}讲",
            speaker="王律师",
            audience=30,
        )
    client = client_for("community_worker")
    first = client.get("/care/legal/").content.decode()
    assert "普法讲座第1讲" in first and "普法讲座第21讲" not in first and "第 1 / 2 页，共 21 条" in first
    assert "普法讲座第21讲" in client.get("/care/legal/", {"talks": 2}).content.decode()


def test_a_sign_up_says_every_field_in_error_at_once_and_a_birth_date_to_come_as_such(
    cast: Cast, place: ChildPlace, client_for
) -> None:  # type: ignore[no-untyped-def]
    """A date of birth still to come was refused as "a child under 16", and the guardian's phone only once the date
    was put right: both are said at once, each on its field, what was typed kept."""
    refused = client_for("community_worker").post(
        f"/care/children/{place.pk}/",
        {"child_name": "小华", "birth_date": "2099-03-01", "guardian_name": "家长", "guardian_phone": "123"},
    )
    page = refused.content.decode()
    assert refused.status_code == 422
    assert "出生日期不能晚于今天。" in page and "请输入11位手机号码" in page
    assert 'value="小华"' in page and 'value="123"' in page
    assert not place.enrolments.exists()
