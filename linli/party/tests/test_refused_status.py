"""A party form refused (bad input, or a service that says no) is shown again with its errors and what was typed,
and answers 422, not 200 as if it had been taken: the staff's forms, the secretary's 我的支部 forms and a member's
双报到 on the phone."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from linli.party.models import BranchMeeting, MemberRegistration, PartnerPairing, PartyOrg
from linli.testing import Cast, signed_in

from .helpers import Branch

pytestmark = pytest.mark.django_db


def test_the_staffs_refused_forms_answer_422_with_what_was_typed(
    cast: Cast, orgs: dict[str, PartyOrg], client_for: Any
) -> None:
    staff = client_for("community_worker")
    org = staff.post("/party/orgs/new/", {"kind": "branch", "name": "", "org_node": cast.community.pk})
    assert org.status_code == 422 and "此项为必填项" in org.content.decode()
    pairing = staff.post(
        "/party/partners/new/",
        {"community": cast.community.pk, "partner_name": "区医院", "kind": "paired", "contact_phone": "1"},
    )
    assert pairing.status_code == 422 and 'value="区医院"' in pairing.content.decode()
    assert not PartnerPairing.objects.exists()


def test_the_secretarys_refused_meeting_answers_422(world: Branch) -> None:
    me = signed_in(world.secretary)
    url = reverse("party:branch_meeting_new", args=[world.branch.pk])
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    refused = me.post(
        url, {"branch": world.branch.pk, "kind": "lesson", "held_on": tomorrow, "topic": "学习党章"}
    )
    assert refused.status_code == 422 and "学习党章" in refused.content.decode()
    assert not BranchMeeting.objects.exists()


def test_a_meeting_dated_before_last_year_is_refused_asking_to_check_the_year(world: Branch) -> None:
    # A meeting typed as held in 1900 (or 2016 for 2026) was recorded and credited its attendees' points for that
    # year, where no branch assessment looks; meetings of this year and last are what the points and stars count.
    me = signed_in(world.secretary)
    url = reverse("party:branch_meeting_new", args=[world.branch.pk])
    earliest = timezone.localdate().replace(year=timezone.localdate().year - 1, month=1, day=1)
    form = {"branch": world.branch.pk, "kind": "lesson", "topic": "学习党章", "attendees": [world.member.pk]}
    # The date picker starts at the earliest date taken.
    assert f'min="{earliest.isoformat()}"' in me.get(url).content.decode()
    refused = me.post(url, form | {"held_on": earliest - dt.timedelta(days=1)})
    page = refused.content.decode()
    assert refused.status_code == 422 and "学习党章" in page
    assert f"会议日期早于去年 1 月 1 日（{earliest.isoformat()}）" in page and "请检查年份" in page
    assert not BranchMeeting.objects.exists()
    # Through the API too, with the same message.
    body = {"kind": "lesson", "topic": "学习党章", "attendee_ids": [world.member.pk]}
    api = f"/api/party/branch/{world.branch.pk}/meetings"
    old = me.post(
        api, json.dumps(body | {"held_on": (earliest - dt.timedelta(days=1)).isoformat()}), "application/json"
    )
    assert old.status_code == 422 and old.json()["extra"]["field"] == "held_on"
    assert f"会议日期早于去年 1 月 1 日（{earliest.isoformat()}）" in old.json()["message"]
    assert not BranchMeeting.objects.exists()
    assert me.post(url, form | {"held_on": earliest}).status_code == 302


def test_a_members_refused_registration_on_the_phone_answers_422(cast: Cast, client: Any) -> None:
    data = {"name": "陈红", "phone": "123", "workplace": "区人民医院", "workplace_branch": "区医院党委"}
    refused = client.post(
        f"/party/join/{cast.community.code}/", {**data, "specialty": "medical", "availability": "weekends"}
    )
    assert refused.status_code == 422 and "请输入11位手机号码" in refused.content.decode()
    assert 'value="陈红"' in refused.content.decode() and not MemberRegistration.objects.exists()


def test_a_signed_in_resident_finds_their_name_and_number_filled_in_on_the_phone(
    cast: Cast, client_for: Any
) -> None:
    """A resident signed in by their phone registers (双报到) without typing their name and number again; the
    number's box brings up the phone's digit keys."""
    page = client_for("resident").get(f"/party/join/{cast.community.code}/?src=qr").content.decode()
    assert 'value="张三"' in page and 'value="13812345678"' in page
    assert 'type="tel"' in page and 'autocomplete="tel"' in page
    visitor = Client().get(f"/party/join/{cast.community.code}/").content.decode()
    assert 'name="phone"' in visitor and 'value="13812345678"' not in visitor
