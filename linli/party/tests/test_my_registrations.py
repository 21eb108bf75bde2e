"""A member follows their 双报到 without the link they were given: signed in by their phone, the pages where they
register list their registrations (each to its page), and their home offers 党员双报到. Registering again while one
is open is refused (it was a dead end for one who lost the link); the page now leads them to it, and a member not
signed in is asked to sign in to see it, not shown anyone's registration by the number typed."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from linli.party.models import MemberRegistration
from linli.testing import Cast

pytestmark = pytest.mark.django_db

FORM = {
    "name": "张三",
    "phone": "13812345678",  # the cast's resident's own number
    "workplace": "区人民医院",
    "workplace_branch": "区人民医院党委第二支部",
    "specialty": "medical",
    "availability": "weekends",
}


def _registered(cast: Cast) -> MemberRegistration:
    Client().post(f"/party/join/{cast.community.code}/", FORM)
    return MemberRegistration.objects.get(phone=FORM["phone"])


def test_a_signed_in_member_finds_their_registration_where_they_register(cast: Cast, client_for: Any) -> None:
    reg = _registered(cast)
    client = client_for("resident")
    for path in ("/party/join/", f"/party/join/{cast.other_community.code}/"):
        page = client.get(path).content.decode()
        assert "您的报到" in page, path
        assert f'href="/party/r/{reg.token}/"' in page, path
        assert "幸福社区" in page and "待审核" in page, path


def test_registering_again_while_one_is_open_leads_to_it(cast: Cast, client_for: Any) -> None:
    reg = _registered(cast)
    response = client_for("resident").post(f"/party/join/{cast.community.code}/", FORM)
    page = response.content.decode()
    assert response.status_code == 422
    assert "您已于" in page  # the refusal, as before
    assert f'href="/party/r/{reg.token}/"' in page  # and the way to the registration it names


def test_a_member_not_signed_in_is_asked_to_sign_in_not_shown_the_registration(cast: Cast) -> None:
    reg = _registered(cast)
    response = Client().post(f"/party/join/{cast.community.code}/", FORM)
    page = response.content.decode()
    assert response.status_code == 422
    assert reg.token not in page
    assert "/accounts/resident/login/?next=/party/join/" in page
    assert "登录后查看审核结果" in page


def test_others_registrations_are_not_listed(cast: Cast, client_for: Any) -> None:
    Client().post(f"/party/join/{cast.community.code}/", {**FORM, "phone": "13700009999", "name": "李四"})
    page = client_for("resident").get("/party/join/").content.decode()
    assert "您的报到" not in page
    staff = client_for("community_worker").get("/party/join/").content.decode()
    assert "您的报到" not in staff


def test_a_resident_home_offers_member_registration(cast: Cast, client_for: Any) -> None:
    page = client_for("resident").get("/").content.decode()
    assert 'href="/party/join/"' in page and "党员双报到" in page


def test_the_api_lists_the_callers_own_registrations(cast: Cast, client_for: Any) -> None:
    reg = _registered(cast)
    mine = client_for("resident").get("/api/party/registrations/mine").json()
    assert mine["count"] == 1
    assert [(r["token"], r["community"]["name"], r["status"]) for r in mine["items"]] == [
        (reg.token, "幸福社区", "pending")
    ]
    assert client_for("community_worker").get("/api/party/registrations/mine").json() == {
        "count": 0,
        "items": [],
    }
    assert Client().get("/api/party/registrations/mine").status_code == 401
