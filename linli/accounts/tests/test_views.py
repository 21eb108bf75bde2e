"""Resident pages through HTTP: sign in by code (htmx and plain forms), claim a household, staff verification."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from linli.accounts.models import HouseholdClaim, User
from linli.accounts.tests.claims import claims_of_new_residents
from linli.accounts.tests.codes import last_code
from linli.core import sms
from linli.core.models import AuditEntry
from linli.testing import Cast

PHONE = "13700001234"
HTMX = {"HX-Request": "true"}


def _sign_in(client: Client, outbox: list[sms.SMSMessage], phone: str = PHONE) -> User:
    sent = client.post("/accounts/resident/login/send/", {"phone": phone}, headers=HTMX)
    assert sent.status_code == 200
    code = last_code(outbox)
    done = client.post("/accounts/resident/login/verify/", {"phone": phone, "code": code}, headers=HTMX)
    assert done.status_code == 204
    assert done["HX-Redirect"] == "/"
    return User.objects.get(phone=phone, role="resident")


@pytest.mark.django_db(transaction=True)
def test_resident_signs_in_with_phone_and_code_via_htmx(
    client: Client, sms_outbox: list[sms.SMSMessage]
) -> None:
    page = client.get("/accounts/resident/login/")
    assert "手机号" in page.content.decode()
    step = client.post("/accounts/resident/login/send/", {"phone": PHONE}, headers=HTMX)
    html = step.content.decode()
    assert "<html" not in html  # only the step is swapped in
    assert "137****1234" in html
    assert 'name="code"' in html
    code = last_code(sms_outbox)
    done = client.post("/accounts/resident/login/verify/", {"phone": PHONE, "code": code}, headers=HTMX)
    assert done["HX-Redirect"] == "/"
    me = client.get("/accounts/resident/me/")
    assert me.status_code == 200
    assert "137****1234" in me.content.decode()


@pytest.mark.django_db(transaction=True)
def test_sign_in_works_without_javascript(client: Client, sms_outbox: list[sms.SMSMessage]) -> None:
    step = client.post("/accounts/resident/login/send/", {"phone": PHONE})
    assert "<html" in step.content.decode()
    code = last_code(sms_outbox)
    done = client.post("/accounts/resident/login/verify/", {"phone": PHONE, "code": code})
    assert done.status_code == 302
    assert done["Location"] == "/"


@pytest.mark.django_db(transaction=True)
def test_wrong_code_and_bad_number_are_explained_in_chinese(
    client: Client, sms_outbox: list[sms.SMSMessage]
) -> None:
    bad = client.post("/accounts/resident/login/send/", {"phone": "12345"}, headers=HTMX)
    assert bad.status_code == 422
    assert "11位" in bad.content.decode()
    client.post("/accounts/resident/login/send/", {"phone": PHONE}, headers=HTMX)
    code = last_code(sms_outbox)
    wrong = "000000" if code != "000000" else "111111"
    response = client.post("/accounts/resident/login/verify/", {"phone": PHONE, "code": wrong}, headers=HTMX)
    assert response.status_code == 422
    assert "验证码不正确，还可尝试4次" in response.content.decode()
    assert "_auth_user_id" not in client.session
    too_soon = client.post("/accounts/resident/login/send/", {"phone": PHONE}, headers=HTMX)
    assert "秒后再试" in too_soon.content.decode()


@pytest.mark.django_db(transaction=True)
def test_a_code_that_cannot_be_used_says_why_in_chinese(
    client: Client, sms_outbox: list[sms.SMSMessage], settings: Any
) -> None:
    """On a phone, a resident who mistypes, waits too long or types the code again is told which it is, and the
    step says how long a code lasts."""
    import datetime as dt

    import time_machine
    from django.utils import timezone

    def verify(code: str) -> str:
        answer = client.post("/accounts/resident/login/verify/", {"phone": PHONE, "code": code}, headers=HTMX)
        assert answer.status_code == 422 and "_auth_user_id" not in client.session
        return answer.content.decode()

    assert "还没有向这个手机号发送过验证码，请先点击“获取验证码”。" in verify("123456")
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        step = client.post("/accounts/resident/login/send/", {"phone": PHONE}, headers=HTMX).content.decode()
    assert "验证码已发送至 137****1234，5 分钟内有效。" in step
    assert 'pattern="[0-9]{6}" title="验证码为6位数字。"' in step  # the browser's own refusal says it too
    code = last_code(sms_outbox)
    with time_machine.travel(start + dt.timedelta(minutes=6), tick=False):
        assert "验证码已过期（有效期 5 分钟），请重新获取。" in verify(code)
    settings.LINLI_OTP_MAX_ATTEMPTS = 2
    with time_machine.travel(start + dt.timedelta(minutes=7), tick=False):
        client.post("/accounts/resident/login/send/", {"phone": PHONE}, headers=HTMX)
        code = last_code(sms_outbox)
        wrong = "000000" if code != "000000" else "111111"
        assert "验证码不正确，还可尝试1次。" in verify(wrong)
        assert "验证码输错次数过多，已失效，请重新获取。" in verify(wrong)
        assert "验证码输错次数过多，已失效，请重新获取。" in verify(code)  # not "expired or used"
    with time_machine.travel(start + dt.timedelta(minutes=9), tick=False):
        client.post("/accounts/resident/login/send/", {"phone": PHONE}, headers=HTMX)
        code = last_code(sms_outbox)
        assert (
            client.post("/accounts/resident/login/verify/", {"phone": PHONE, "code": code}).status_code == 302
        )
        client.logout()
        assert "这个验证码已经用过了，请重新获取。" in verify(code)


def test_my_account_needs_a_resident_sign_in(cast: Cast, client: Client, client_for: Any) -> None:
    response = client.get("/accounts/resident/me/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/resident/login/")
    assert client_for("community_worker").get("/accounts/resident/me/")["Location"] == "/"


def _claim(client: Client, **data: Any) -> Any:
    form = {"address": "和平路一号院1号楼", "unit": "1", "room": "101室", "name": "张三", **data}
    return client.post("/accounts/resident/me/claim/", form)


def test_resident_claims_a_household_and_a_community_worker_approves_it(cast: Cast, client_for: Any) -> None:
    resident = client_for("resident")
    response = _claim(resident)
    assert response.status_code == 302, response.content.decode()
    claim = HouseholdClaim.objects.get(account=cast.resident)
    assert (claim.household_id, claim.status) == (cast.household.pk, "pending")
    assert "认领正在核验" in resident.get("/accounts/resident/me/").content.decode()

    worker = client_for("community_worker")
    page = worker.get("/accounts/verifications/").content.decode()
    assert "张三" in page
    assert "138****5678" in page
    assert "与本户登记一致" in page
    # The household opens in the register, to check who lives there before deciding.
    assert f'href="/territory/households/{cast.household.pk}/"' in page

    assert worker.post(f"/accounts/verifications/{claim.pk}/approve/").status_code == 302
    cast.resident.refresh_from_db()
    assert cast.resident.household_id == cast.household.pk
    assert cast.resident.household_verified_by_id == cast.community_worker.pk
    assert cast.resident.household_verified_at is not None
    claim.refresh_from_db()
    assert (claim.status, claim.decided_by_id) == ("approved", cast.community_worker.pk)
    assert AuditEntry.objects.filter(action="household_claim_approved", object_id=str(claim.pk)).exists()
    assert "和平路1号院1号楼1单元101" in resident.get("/accounts/resident/me/").content.decode()


@pytest.mark.django_db(transaction=True)
def test_a_new_resident_is_named_by_the_claim_the_community_approved(
    cast: Cast, client: Client, client_for: Any, sms_outbox: list[sms.SMSMessage]
) -> None:
    """An account made at sign-up is named by its masked number (the home said "您好，137****1234"); the name the
    community checked in the claim replaces it once approved. A name the account already had stays."""
    newcomer = _sign_in(client, sms_outbox)
    assert "您好，137****1234" in client.get("/").content.decode()
    worker = client_for("community_worker")
    assert _claim(client, name="李四").status_code == 302
    claim = HouseholdClaim.objects.get(account=newcomer)
    assert worker.post(f"/accounts/verifications/{claim.pk}/approve/").status_code == 302
    assert "您好，李四" in client.get("/").content.decode()

    named = client_for("resident")  # 张三 in the cast
    assert _claim(named, name="张小三").status_code == 302
    claim = HouseholdClaim.objects.get(account=cast.resident)
    assert worker.post(f"/accounts/verifications/{claim.pk}/approve/").status_code == 302
    cast.resident.refresh_from_db()
    assert cast.resident.display_name == "张三"


def test_rejection_needs_a_reason_and_the_resident_sees_it(cast: Cast, client_for: Any) -> None:
    resident = client_for("resident")
    _claim(resident, name="张小三")
    claim = HouseholdClaim.objects.get(account=cast.resident)
    worker = client_for("community_worker")
    worker.post(f"/accounts/verifications/{claim.pk}/reject/", {"reason": ""})
    claim.refresh_from_db()
    assert claim.status == "pending"
    worker.post(f"/accounts/verifications/{claim.pk}/reject/", {"reason": "户籍登记无此人"})
    claim.refresh_from_db()
    assert (claim.status, claim.reason, claim.decided_by_id) == (
        "rejected",
        "户籍登记无此人",
        cast.community_worker.pk,
    )
    page = resident.get("/accounts/resident/me/").content.decode()
    assert "户籍登记无此人" in page
    # The form to claim again starts from what was claimed, to correct rather than type it all again.
    form = page[page.index('action="/accounts/resident/me/claim/"') :]
    for name, value in (("address", "和平路一号院1号楼"), ("unit", "1"), ("room", "101"), ("name", "张小三")):
        assert re.search(rf'name="{name}" value="{value}"', form), name
    assert worker.post(f"/accounts/verifications/{claim.pk}/approve/").status_code == 302
    claim.refresh_from_db()
    assert claim.status == "rejected"  # a decided claim stays decided
    cast.resident.refresh_from_db()
    assert cast.resident.household_id is None


def test_claim_with_an_unknown_address_or_room_is_explained_and_saves_nothing(
    cast: Cast, client_for: Any
) -> None:
    resident = client_for("resident")
    unknown = _claim(resident, address="不存在路99号")
    assert unknown.status_code == 422
    assert "未找到" in unknown.content.decode()
    no_room = _claim(resident, room="909")
    assert no_room.status_code == 422
    assert not HouseholdClaim.objects.exists()


def test_only_one_claim_waits_at_a_time(cast: Cast, client_for: Any) -> None:
    resident = client_for("resident")
    _claim(resident)
    again = _claim(resident)
    assert again.status_code == 302 and again["Location"] == "/accounts/resident/me/"
    assert "已有一条认领申请正在核验中" in resident.get(again["Location"]).content.decode()
    assert HouseholdClaim.objects.count() == 1


def test_claims_in_another_community_are_invisible_to_its_worker(cast: Cast, client_for: Any) -> None:
    _claim(client_for("resident"))
    claim = HouseholdClaim.objects.get()
    outsider = client_for("outsider")
    assert "张三" not in outsider.get("/accounts/verifications/").content.decode()
    assert outsider.post(f"/accounts/verifications/{claim.pk}/approve/").status_code == 404
    claim.refresh_from_db()
    assert claim.status == "pending"


@pytest.mark.parametrize("persona", ["grid_worker", "street_officer", "department_handler", "resident"])
def test_only_community_workers_verify_claims(cast: Cast, client_for: Any, persona: str) -> None:
    assert client_for(persona).get("/accounts/verifications/").status_code == 403


def test_claims_waiting_and_decided_go_page_by_page(
    cast: Cast, client_for: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Both lists page with the shared pager (they stopped at 200 waiting and 20 decided), each keeping the
    other's page."""
    from linli.accounts import views

    monkeypatch.setattr(views, "CLAIMS_PER_PAGE", 2)
    monkeypatch.setattr(views, "DECIDED_PER_PAGE", 2)
    claims_of_new_residents(cast, 8, reject_odd=True)  # 居民0, 2, 4, 6 wait; 居民1, 3, 5, 7 were rejected
    worker = client_for("community_worker")
    first = worker.get("/accounts/verifications/").content.decode()
    assert '<span class="badge">4</span>' in first  # all that wait, not the page's
    assert (
        "第 1 / 2 页，共 4 条" in first and 'href="?page=2"' in first and 'href="?decided=2#decided"' in first
    )
    waiting = worker.get("/accounts/verifications/", {"page": 2, "decided": 2}).content.decode()
    assert "居民4" in waiting and "居民6" in waiting and "居民0" not in waiting  # the oldest first
    assert "居民1" in waiting and "居民3" in waiting and "居民7" not in waiting  # the latest decided first
    assert 'href="?page=1&amp;decided=2"' in waiting


def test_verification_page_query_count_does_not_grow_with_claims(
    cast: Cast, client_for: Any, django_assert_max_num_queries: Any
) -> None:
    worker = client_for("community_worker")
    claims_of_new_residents(cast, 2, reject_odd=True)  # one waits, one is decided
    with django_assert_max_num_queries(14) as first:
        worker.get("/accounts/verifications/")
    claims_of_new_residents(cast, 4, start=2, reject_odd=True)
    with django_assert_max_num_queries(len(first.captured_queries)) as second:
        page = worker.get("/accounts/verifications/").content.decode()
    assert page.count('name="reason"') == 3
    assert len(second.captured_queries) == len(first.captured_queries)


@pytest.mark.django_db(transaction=True)
def test_a_tampered_phone_number_in_the_code_step_is_explained(client: Client) -> None:
    response = client.post(
        "/accounts/resident/login/verify/", {"phone": "abc", "code": "123456"}, headers=HTMX
    )
    assert response.status_code == 422
    assert "请输入11位大陆手机号码" in response.content.decode()


def test_a_sign_in_or_claim_address_opened_by_get_goes_to_its_page(
    cast: Cast, client: Client, client_for: Any
) -> None:
    """Without JavaScript a sign-in step or a refused claim is shown at its POST-only address; reloading it or
    opening it from a bookmark goes to the page the form is on, not to a 405."""
    for step in ("/accounts/resident/login/send/", "/accounts/resident/login/verify/"):
        opened = client.get(step)
        assert opened.status_code == 302 and opened["Location"] == "/accounts/resident/login/"
    resident = client_for("resident")
    assert _claim(resident, address="不存在路99号").status_code == 422
    reloaded = resident.get("/accounts/resident/me/claim/", follow=True)
    assert reloaded.redirect_chain == [("/accounts/resident/me/", 302)]
    assert reloaded.status_code == 200
    assert resident.put("/accounts/resident/me/claim/").status_code == 405


def test_a_refused_claim_says_what_is_missing_in_its_field_and_keeps_what_was_typed(
    cast: Cast, client_for: Any
) -> None:
    """The claim form is core's form partial, the same look as every form: each required field marked *, a field's
    refusal under that field (it was a red line after the field, outside it), what was typed kept."""
    refused = _claim(client_for("resident"), room="")
    assert refused.status_code == 422
    page = refused.content.decode()
    form = page[page.index('action="/accounts/resident/me/claim/"') :]
    room = re.search(r'<div class="field has-error">(.*?)</div>\s*</div>', form, re.S)
    assert room is not None and 'for="id_room"' in room.group(1) and 'role="alert"' in room.group(1)
    assert form.count('<span class="req" aria-hidden="true">*</span>') == 3  # all but the entrance
    assert re.search(r'<input[^>]*name="address"[^>]*value="和平路一号院1号楼"', form)
    assert not HouseholdClaim.objects.exists()
