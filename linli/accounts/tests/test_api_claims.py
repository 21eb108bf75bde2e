"""Household claims through the API, as on the pages: a resident claims the household they live in and follows
their claims; a community worker (or an administrator) lists those waiting in their area and approves or rejects
them, through the same services and the verification page's scope."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from linli.accounts import services
from linli.accounts.models import HouseholdClaim, User
from linli.accounts.tests.claims import claims_of_new_residents
from linli.core.models import AuditEntry
from linli.testing import Cast

CLAIMS = "/api/accounts/household-claims"
MINE = "/api/accounts/household-claims/mine"
DOOR_PLATE = {"address": "和平路一号院1号楼", "unit": 1, "room": "101室", "name": "张三"}


def _post(client: Client, url: str, body: dict[str, Any] | None = None) -> Any:
    return client.post(url, body or {}, content_type="application/json")


def _claim(cast: Cast, account: User | None = None, name: str = "张三") -> HouseholdClaim:
    return services.household_claim(
        actor=account or cast.resident, household=cast.household, claimant_name=name
    )


def test_a_resident_claims_a_household_and_a_community_worker_approves_it(
    cast: Cast, client_for: Any
) -> None:
    resident = client_for("resident")
    sent = _post(resident, CLAIMS, {**DOOR_PLATE, "address": " 和平路一号院1号楼 "})
    assert sent.status_code == 201, sent.content
    claim = HouseholdClaim.objects.get(account=cast.resident)
    assert (claim.household_id, claim.status, claim.claimant_name) == (cast.household.pk, "pending", "张三")
    mine = sent.json()
    assert (mine["id"], mine["status"], mine["status_label"]) == (claim.pk, "pending", "待核验")
    assert mine["household_address"] == cast.household.address

    worker = client_for("community_worker")
    waiting = worker.get(CLAIMS).json()
    assert waiting["count"] == 1
    item = waiting["items"][0]
    assert (item["id"], item["claimant_name"], item["phone"], item["name_matches"]) == (
        claim.pk,
        "张三",
        "138****5678",
        True,
    )
    assert (item["household_id"], item["grid"]["code"]) == (cast.household.pk, cast.grid.code)

    approved = _post(worker, f"{CLAIMS}/{claim.pk}/approve")
    assert approved.status_code == 200, approved.content
    assert (approved.json()["status"], approved.json()["decided_by"]) == ("approved", "刘社工")
    cast.resident.refresh_from_db()
    assert (cast.resident.household_id, cast.resident.household_verified_by_id) == (
        cast.household.pk,
        cast.community_worker.pk,
    )
    assert AuditEntry.objects.filter(action="household_claim_approved", object_id=str(claim.pk)).exists()
    assert worker.get(CLAIMS).json()["count"] == 0  # no longer waiting
    assert [c["status"] for c in resident.get(MINE).json()["items"]] == ["approved"]
    assert resident.get("/api/accounts/me").json()["household_verified"] is True


def test_a_rejection_needs_a_reason_which_the_resident_reads(cast: Cast, client_for: Any) -> None:
    claim = _claim(cast, name="张小三")
    worker = client_for("community_worker")
    empty = _post(worker, f"{CLAIMS}/{claim.pk}/reject", {"reason": "  "})
    assert empty.status_code == 422
    assert empty.json() == {
        "code": "invalid",
        "message": "请填写驳回原因，以便居民知道需要更正什么。",
        "extra": {"field": "reason"},
    }
    claim.refresh_from_db()
    assert claim.status == "pending"
    rejected = _post(worker, f"{CLAIMS}/{claim.pk}/reject", {"reason": "户籍登记无此人"})
    assert rejected.status_code == 200
    assert (rejected.json()["status"], rejected.json()["reason"]) == ("rejected", "户籍登记无此人")
    mine = client_for("resident").get(MINE).json()["items"]
    assert [(c["status"], c["status_label"], c["reason"]) for c in mine] == [
        ("rejected", "已驳回", "户籍登记无此人")
    ]
    again = _post(worker, f"{CLAIMS}/{claim.pk}/approve")  # a decided claim stays decided
    assert (again.status_code, again.json()["code"], again.json()["message"]) == (
        409,
        "invalid_transition",
        "该认领申请已处理。",
    )
    cast.resident.refresh_from_db()
    assert cast.resident.household_id is None


def test_a_claim_the_door_plate_does_not_find_is_explained_and_nothing_is_saved(
    cast: Cast, client_for: Any
) -> None:
    resident = client_for("resident")
    unknown = _post(resident, CLAIMS, {**DOOR_PLATE, "address": "不存在路99号"})
    assert unknown.status_code == 422
    assert unknown.json()["extra"] == {"field": "address"}
    assert unknown.json()["message"].startswith("未找到与该地址匹配的楼栋")
    no_room = _post(resident, CLAIMS, {**DOOR_PLATE, "room": "909"})
    assert (no_room.status_code, no_room.json()["extra"]) == (422, {"field": "room"})
    assert no_room.json()["message"] == "该楼栋没有这个房号，请核对房号和单元。"
    missing = _post(resident, CLAIMS, {"address": "和平路一号院1号楼"})
    assert missing.status_code == 422
    assert missing.json()["extra"]["fields"] == {"room": "此项为必填项。", "name": "此项为必填项。"}
    assert not HouseholdClaim.objects.exists()


def test_only_one_claim_waits_at_a_time(cast: Cast, client_for: Any) -> None:
    resident = client_for("resident")
    assert _post(resident, CLAIMS, DOOR_PLATE).status_code == 201
    again = _post(resident, CLAIMS, DOOR_PLATE)
    assert (again.status_code, again.json()["code"]) == (409, "claim_pending")
    assert again.json()["message"].startswith("您已有一条认领申请正在核验中")
    assert HouseholdClaim.objects.count() == 1


def test_staff_cannot_claim_a_household(cast: Cast, client_for: Any) -> None:
    refused = _post(client_for("community_worker"), CLAIMS, DOOR_PLATE)
    assert (refused.status_code, refused.json()["message"]) == (403, "只有居民账号可以认领住户。")


def test_a_claim_outside_the_workers_area_is_not_found_as_on_the_page(cast: Cast, client_for: Any) -> None:
    claim = _claim(cast)
    outsider = client_for("outsider")  # a community worker of another community
    assert outsider.get(CLAIMS).json() == {"count": 0, "items": []}
    for action, body in (("approve", {}), ("reject", {"reason": "不符"})):
        refused = _post(outsider, f"{CLAIMS}/{claim.pk}/{action}", body)
        assert refused.status_code == 404
        assert refused.json()["code"] == "not_found"
        assert (
            outsider.post(f"/accounts/verifications/{claim.pk}/{action}/", body).status_code == 404
        )  # the page
    claim.refresh_from_db()
    assert claim.status == "pending"


def test_a_resident_cannot_approve_or_list_the_claims(cast: Cast, client_for: Any) -> None:
    claim = _claim(cast)
    resident = client_for("resident")
    refused = _post(resident, f"{CLAIMS}/{claim.pk}/approve")
    assert refused.status_code == 403
    assert refused.json() == {"code": "forbidden", "message": "此功能仅限社区工作人员使用。", "extra": {}}
    assert resident.get(CLAIMS).status_code == 403
    assert resident.get("/accounts/verifications/").status_code == 403  # the page refuses them too
    claim.refresh_from_db()
    assert claim.status == "pending"


@pytest.mark.parametrize("persona", ["grid_worker", "street_officer", "department_handler"])
def test_only_community_workers_and_administrators_verify(cast: Cast, client_for: Any, persona: str) -> None:
    claim = _claim(cast)
    refused = _post(client_for(persona), f"{CLAIMS}/{claim.pk}/approve")
    assert (refused.status_code, refused.json()["message"]) == (403, "只有社区工作者可以核验住户认领。")
    assert client_for(persona).get(CLAIMS).status_code == 403
    assert client_for("admin").get(CLAIMS).json()["count"] == 1


def test_the_lists_need_a_sign_in(db: None, client: Client) -> None:
    assert client.get(MINE).status_code == 401
    assert client.get(CLAIMS).status_code == 401
    assert _post(client, CLAIMS, DOOR_PLATE).status_code == 401


def test_the_lists_page_in_a_fixed_number_of_queries(
    cast: Cast, client_for: Any, django_assert_num_queries: Any
) -> None:
    claims_of_new_residents(cast, 6)
    worker = client_for("community_worker")
    worker.get(CLAIMS)  # the session read once
    with django_assert_num_queries(5):  # session, account, its node (the scope), page, count
        page = worker.get(CLAIMS, {"limit": 4}).json()
    assert page["count"] == 6
    assert [c["claimant_name"] for c in page["items"]] == [
        "居民0",
        "居民1",
        "居民2",
        "居民3",
    ]  # the oldest first
    first = _claim(cast)
    services.household_claim_reject(actor=cast.community_worker, claim=first, reason="不符")
    _claim(cast)
    resident = client_for("resident")
    resident.get(MINE)
    with django_assert_num_queries(4):
        mine = resident.get(MINE).json()
    assert [c["status"] for c in mine["items"]] == ["pending", "rejected"]  # the newest first
