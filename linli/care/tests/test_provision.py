"""Services for a person (booked, delivered with hours, cancelled; a volunteer's hours offered to the time bank)
and the one-tap alert (from a visit and from the button at home) that opens an emergency work order."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from linli.accounts.models import User
from linli.appeals.models import Appeal
from linli.care import services
from linli.care.models import CareAlert, CarePlan, CareService
from linli.core import served
from linli.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from linli.core.models import AuditEntry, Notification, OutboxMessage
from linli.testing import Cast, signed_in


def _book(cast: Cast, plan: CarePlan, **kw: object) -> CareService:
    args: dict[str, object] = {
        "actor": cast.grid_worker,
        "plan": plan,
        "kind": "bathing",
        "provider": "幸福社区助浴队",
        "scheduled_on": timezone.localdate(),
    }
    args.update(kw)
    return services.care_service_order(**args)  # type: ignore[arg-type]


@pytest.fixture
def handed() -> Iterator[list[served.Served]]:
    """What the care worker hands to the apps that credit service done (a sink registered for the test)."""
    got: list[served.Served] = []

    def sink(record: served.Served) -> bool:
        got.append(record)
        return True

    served.register("test.care", sink)
    yield got
    served.unregister("test.care")


def test_a_service_is_booked_delivered_with_its_hours_and_handed_to_the_time_bank_once(
    cast: Cast, plan: CarePlan, handed: list[served.Served]
) -> None:
    service = _book(cast, plan, volunteer=cast.grid_worker)
    assert service.state == "ordered"
    services.care_service_hours_hand_over()
    assert handed == []  # nothing until it is delivered
    services.care_service_deliver(
        actor=cast.grid_worker, service=service, hours="1.5", note="协助洗澡，换洗床单"
    )
    service.refresh_from_db()
    assert service.state == "delivered" and service.hours == Decimal("1.50")
    assert services.care_service_hours_hand_over() == 1
    assert [(h.account_id, h.minutes, h.source, h.community_id) for h in handed] == [
        (cast.grid_worker.pk, 90, f"care.service:{service.pk}", cast.community.pk)
    ]
    assert services.care_service_hours_hand_over() == 0 and len(handed) == 1  # once only
    with pytest.raises(Conflict):
        services.care_service_deliver(actor=cast.grid_worker, service=service, hours=1, note="再记一次")


def test_a_service_without_a_volunteer_gives_no_time_bank_hours(
    cast: Cast, plan: CarePlan, handed: list[served.Served]
) -> None:
    service = _book(cast, plan, kind="meal", provider="社区食堂")
    services.care_service_deliver(actor=cast.grid_worker, service=service, hours=1, note="送午餐一份")
    assert services.care_service_hours_hand_over() == 0 and handed == []


def test_service_hours_must_be_sensible_and_a_cancelled_one_cannot_be_delivered(
    cast: Cast, plan: CarePlan
) -> None:
    service = _book(cast, plan)
    with pytest.raises(ValidationFailed) as too_long:
        services.care_service_deliver(actor=cast.grid_worker, service=service, hours=30, note="做了很多")
    assert too_long.value.extra["field"] == "hours"
    services.care_service_cancel(actor=cast.grid_worker, service=service, reason="老人住院了")
    with pytest.raises(Conflict):
        services.care_service_deliver(actor=cast.grid_worker, service=service, hours=1, note="补记")


def test_an_outsider_cannot_book_or_see_a_service(cast: Cast, plan: CarePlan) -> None:
    with pytest.raises(NotFound):
        _book(cast, plan, actor=cast.outsider)
    service = _book(cast, plan)
    with pytest.raises(NotFound):
        services.care_service_deliver(actor=cast.outsider, service=service, hours=1, note="不是我的")


def test_an_alert_from_a_visit_opens_an_emergency_work_order_and_tells_the_family(
    cast: Cast, plan: CarePlan
) -> None:
    alert = services.care_alert_raise(
        actor=cast.grid_worker, plan=plan, kind="fall", source="visit", note="卫生间滑倒，腿疼"
    )
    appeal = Appeal.objects.get(tracking_number=alert.appeal_number)
    assert appeal.priority == "emergency" and appeal.kind == "help"
    assert appeal.category is not None and appeal.category.code == "civil_affairs.elderly_care"
    assert appeal.grid_id == cast.grid.pk
    assert "卫生间滑倒" in appeal.description
    # The short clock: due within hours, not working days.
    assert appeal.resolve_due_at is not None
    assert appeal.resolve_due_at - appeal.created_at <= dt.timedelta(hours=2, minutes=1)
    sms = OutboxMessage.objects.filter(recipient="13900000009")
    assert sms.exists() and alert.appeal_number in sms.first().payload["text"]  # type: ignore[union-attr]
    # A second tap a moment later is the same alert, not a second work order.
    again = services.care_alert_raise(actor=cast.grid_worker, plan=plan, kind="fall", source="visit")
    assert again.pk == alert.pk and CareAlert.objects.count() == 1


def test_an_alerts_text_to_the_family_links_the_work_order_they_follow_with_their_number(
    cast: Cast, plan: CarePlan, settings: Any
) -> None:
    """The relative's text message named the work order but gave no way to open it. It ends with the order's page
    for a resident (/appeals/track/<number>/), on the site's public address (LINLI_PUBLIC_URL) when one is set,
    else the page's path; opened, the page asks for the number the message came to, then shows the order."""
    settings.LINLI_PUBLIC_URL = "https://linli.example.gov.cn/"
    alert = services.care_alert_raise(actor=cast.grid_worker, plan=plan, kind="fall", source="visit")
    text = OutboxMessage.objects.get(recipient="13900000009").payload["text"]
    number = alert.appeal_number
    assert text.endswith(
        f"工单号 {number}，凭本手机号查看进度：https://linli.example.gov.cn/appeals/track/{number}/"
    )

    CareAlert.objects.all().delete()  # past the repeat window's "same alert"
    OutboxMessage.objects.all().delete()
    settings.LINLI_PUBLIC_URL = ""
    alert = services.care_alert_raise(actor=cast.grid_worker, plan=plan, kind="illness", source="visit")
    text = OutboxMessage.objects.get(recipient="13900000009").payload["text"]
    number = alert.appeal_number
    path = f"/appeals/track/{number}/"
    assert text.endswith(f"凭本手机号查看进度：{path}"), text
    family = Client()
    asked = family.get(path, follow=True)
    assert f'value="{number}"' in asked.content.decode()  # the number filled in, the phone asked for
    shown = family.post("/appeals/track/", {"tracking_number": number, "phone": "13900000009"}, follow=True)
    assert shown.redirect_chain[-1][0] == path and number in shown.content.decode()


def _alert_entries(title_part: str) -> dict[str, Notification]:
    return {n.user.username: n for n in Notification.objects.filter(title__contains=title_part)}


def test_an_alerts_message_links_its_work_order_for_staff_and_a_page_a_volunteer_may_open(
    cast: Cast, plan: CarePlan, volunteer: User, django_capture_on_commit_callbacks: Any
) -> None:
    """The inbox entry of an alert names the work order and opens it: the community worker's its staff page (it
    opened the person's plan, the order a search away); the volunteer who visits, who may open neither the plan
    nor the order, their day of visits (the plan's page refused them)."""
    services.care_plan_visitor_set(actor=cast.community_worker, plan=plan, visitor=volunteer)
    with django_capture_on_commit_callbacks(execute=True):
        alert = services.care_alert_raise(actor=cast.grid_worker, plan=plan, kind="fall", source="visit")
    appeal = Appeal.objects.get(tracking_number=alert.appeal_number)
    told = _alert_entries("一键呼叫")
    worker, visitor = told[cast.community_worker.username], told[volunteer.username]
    assert alert.appeal_number in worker.body and alert.appeal_number in visitor.body
    assert worker.url == f"/appeals/{appeal.pk}/"
    opened = signed_in(cast.community_worker).get(worker.url)
    assert opened.status_code == 200 and alert.appeal_number in opened.content.decode()
    assert visitor.url == "/care/"
    assert signed_in(volunteer).get(visitor.url).status_code == 200
    # The plan's list of alerts links each work order too.
    listed = signed_in(cast.community_worker).get(f"/care/plans/{plan.pk}/").content.decode()
    assert f'<a class="mono" href="/appeals/{appeal.pk}/">{alert.appeal_number}</a>' in listed


def test_a_volunteer_raises_an_alert_on_their_visit_and_is_linked_to_their_day(
    cast: Cast, plan: CarePlan, volunteer: User, django_capture_on_commit_callbacks: Any
) -> None:
    """A volunteer's tap opens the emergency work order (it was refused them: 网格巡查 is for staff) on the
    person's behalf, not as the volunteer's own appeal (theirs to withdraw or rate); the community workers'
    entry opens the order."""
    services.care_plan_visitor_set(actor=cast.community_worker, plan=plan, visitor=volunteer)
    visit = plan.contacts.filter(assignee=volunteer).earliest("due_on")
    phone = signed_in(volunteer)
    with django_capture_on_commit_callbacks(execute=True):
        tapped = phone.post(f"/care/plans/{plan.pk}/alert/", {"kind": "illness", "contact": visit.pk})
    assert tapped.status_code == 302 and tapped["Location"] == f"/care/contacts/{visit.pk}/"
    alert = CareAlert.objects.get()
    assert f"紧急工单 {alert.appeal_number} 已派出" in phone.get(tapped["Location"]).content.decode()
    appeal = Appeal.objects.get(tracking_number=alert.appeal_number)
    assert alert.raised_by == volunteer and appeal.priority == "emergency"
    assert appeal.resident is None and appeal.contact_phone == "13900000009"
    told = _alert_entries("一键呼叫")
    assert told[volunteer.username].url == "/care/"
    assert told[cast.community_worker.username].url == f"/appeals/{appeal.pk}/"


def test_an_alerts_work_order_carries_the_relatives_number_in_its_contact_field_never_in_its_text(
    cast: Cast, plan: CarePlan
) -> None:
    """The description of a work order is free text that lists and exports do not mask: the relative's full mobile
    number goes in the contact field (masked by appeals' own rule), the text names them with it masked."""
    alert = services.care_alert_raise(actor=cast.grid_worker, plan=plan, kind="fall", source="visit")
    appeal = Appeal.objects.get(tracking_number=alert.appeal_number)
    assert (appeal.contact_name, appeal.contact_phone) == ("张小三", "13900000009")
    assert "13900000009" not in appeal.description and "13812345678" not in appeal.description
    assert "张小三 139****0009" in appeal.description


def test_an_alerts_work_order_reads_cleanly_with_and_without_a_note(cast: Cast, plan: CarePlan) -> None:
    """The note sits in brackets after what happened; without one no stray full stop or space is left behind."""
    bare = services.care_alert_raise(actor=cast.grid_worker, plan=plan, kind="fall", source="visit")
    text = Appeal.objects.get(tracking_number=bare.appeal_number).description
    assert text.endswith("——摔倒。紧急联系人：张小三 139****0009。"), text
    CareAlert.objects.all().delete()  # past the repeat window's "same alert"
    noted = services.care_alert_raise(
        actor=cast.grid_worker, plan=plan, kind="fall", source="visit", note="卫生间滑倒，腿疼"
    )
    text = Appeal.objects.get(tracking_number=noted.appeal_number).description
    assert text.endswith("——摔倒（卫生间滑倒，腿疼）。紧急联系人：张小三 139****0009。"), text


def test_the_button_at_home_needs_its_secret_link(cast: Cast, plan: CarePlan) -> None:
    services.care_alert_token_issue(actor=cast.grid_worker, plan=plan)
    plan.refresh_from_db()
    browser = Client()  # the home page is opened without signing in
    assert browser.get("/care/alert/not-a-real-token-at-all/").status_code == 404
    page = browser.get(f"/care/alert/{plan.alert_token}/")
    assert page.status_code == 200 and "我摔倒了" in page.content.decode()
    done = browser.post(f"/care/alert/{plan.alert_token}/", {"kind": "illness"})
    assert done.status_code == 200 and "正在赶来" in done.content.decode()
    alert = CareAlert.objects.get()
    assert alert.source == "home" and alert.raised_by is None
    assert Appeal.objects.get(tracking_number=alert.appeal_number).priority == "emergency"
    # A new link withdraws the old one.
    old = plan.alert_token
    services.care_alert_token_issue(actor=cast.community_worker, plan=plan)
    assert browser.get(f"/care/alert/{old}/").status_code == 404


def test_the_home_card_prints_the_public_address(cast: Cast, plan: CarePlan, client_for) -> None:  # type: ignore[no-untyped-def]
    """The button at home's link is printed on a card that stays in the home: on the site's public address when
    one is set (as grid QR codes), not the host the staff member happens to use."""
    from django.test import override_settings

    services.care_alert_token_issue(actor=cast.grid_worker, plan=plan)
    plan.refresh_from_db()
    with override_settings(LINLI_PUBLIC_URL="https://linli.district.gov.cn"):
        page = client_for("community_worker").get(f"/care/plans/{plan.pk}/")
    assert f"https://linli.district.gov.cn/care/alert/{plan.alert_token}/" in page.content.decode()


def test_a_home_link_needs_an_emergency_phone_and_a_worker_of_the_area(cast: Cast) -> None:
    plan = services.care_plan_confirm(
        actor=cast.grid_worker, resident=cast.resident_record, level="yellow", reason="高龄独居老人"
    )
    with pytest.raises(ValidationFailed):
        services.care_alert_token_issue(actor=cast.grid_worker, plan=plan)
    with pytest.raises(NotFound):
        services.care_alert_token_issue(actor=cast.outsider, plan=plan)


def test_a_department_handler_may_not_raise_an_alert(cast: Cast, plan: CarePlan) -> None:
    with pytest.raises((NotFound, PermissionDenied)):
        services.care_alert_raise(actor=cast.department_handler, plan=plan, kind="fall", source="visit")


def test_booking_and_delivering_on_the_plan_page(cast: Cast, plan: CarePlan, client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for("community_worker")
    refused = client.post(
        f"/care/plans/{plan.pk}/services/",
        {"kind": "cleaning", "provider": "", "scheduled_on": timezone.localdate().isoformat()},
        HTTP_REFERER=f"/care/plans/{plan.pk}/",
    )
    assert refused.status_code == 302 and CareService.objects.count() == 0
    made = client.post(
        f"/care/plans/{plan.pk}/services/",
        {"kind": "cleaning", "provider": "家政公司", "scheduled_on": timezone.localdate().isoformat()},
    )
    assert made.status_code == 302
    service = CareService.objects.get()
    page = client.get(f"/care/plans/{plan.pk}/").content.decode()
    assert "家政公司" in page and "上门保洁" in page
    done = client.post(f"/care/services/{service.pk}/deliver/", {"hours": "2", "note": "全屋打扫"})
    assert done.status_code == 302
    service.refresh_from_db()
    assert service.state == "delivered"
    assert AuditEntry.objects.filter(action="care_service_deliver").count() == 1


def test_a_bad_emergency_phone_is_refused_with_its_reason_and_an_alert_still_goes_out(
    cast: Cast, plan: CarePlan
) -> None:
    """A number kept from before the plan's phone was checked: issuing the home link refuses it on its field with
    the reason in Chinese (it used to be blanked and called missing); an alert is never refused for it: the work
    order is to be called back on the resident's own phone, under the resident's name, and names the relative with
    the number masked (the plan keeps it)."""
    CarePlan.objects.filter(pk=plan.pk).update(emergency_phone="1390000")
    plan.refresh_from_db()
    with pytest.raises(ValidationFailed) as refused:
        services.care_alert_token_issue(actor=cast.grid_worker, plan=plan)
    assert refused.value.extra == {"field": "emergency_phone"}
    assert "请输入11位手机号码" in str(refused.value.message)
    alert = services.care_alert_raise(actor=cast.grid_worker, plan=plan, kind="fall", source="visit")
    appeal = Appeal.objects.get(tracking_number=alert.appeal_number)
    assert "1390000" not in appeal.description and "***0000" in appeal.description
    assert appeal.contact_phone == "13812345678"  # the resident's own, reachable
    assert appeal.contact_name == cast.resident_record.name
    assert not OutboxMessage.objects.filter(recipient="1390000").exists()


def test_the_small_forms_of_care_are_fields_as_every_form_draws_them(
    cast: Cast, plan: CarePlan, client_for
) -> None:  # type: ignore[no-untyped-def]
    """Core's forms.css styles a `.field`'s input and select: the visitor's select, a service's hours and words and
    the finder of a person were a browser's bare boxes beside styled buttons."""
    _book(cast, plan, volunteer=cast.grid_worker)  # on the grid worker's day as the one who gives it
    client = client_for("community_worker")
    page = client.get(f"/care/plans/{plan.pk}/").content.decode()
    assert re.search(r'<label class="field"><span>探访人</span><select name="caregiver"', page)
    assert re.search(r'<label class="field"><span>[^<]+</span><input type="number" name="hours"', page)
    assert re.search(r'<label class="field"><span>服务内容</span><input type="text" name="note"', page)
    assert re.search(r'<label class="field"><span>取消原因</span><input type="text" name="reason"', page)
    plans = client.get("/care/plans/").content.decode()
    assert re.search(
        r'<div class="field"><label for="care-find">姓名、住址或号码末几位</label>\s*'
        r'<div class="care-field-row"><input id="care-find"',
        plans,
    )
    today = client_for("grid_worker").get("/care/").content.decode()
    assert re.search(
        r'<label class="field"><span>服务时长（小时）</span><input type="number" name="hours"', today
    )
