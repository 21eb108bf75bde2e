"""How member points are earned is said where points are read and given: beside a member's ledger on 我的支部 (the
secretary, a resident, cannot open the rules page, a staff page) and on the staff's, and the meeting form says
what a meeting gives. The figures are the rules in force, so a rule the administrator changes shows at once."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.urls import reverse

from linli.party import services
from linli.testing import Cast, signed_in

from .helpers import Branch

pytestmark = pytest.mark.django_db


def _text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def _rules(html: str) -> str:
    found = re.search(r'<section class="card pt-rules" id="points-rules">(.*?)</section>', html, re.S)
    assert found, "no 积分怎么得 on the page"
    return _text(found.group(1))


def test_the_secretary_reads_how_points_are_earned_beside_a_members_ledger(world: Branch) -> None:
    url = reverse("party:branch_member_points", args=[world.branch.pk, world.member.pk])
    rules = _rules(signed_in(world.secretary).get(url).content.decode())
    assert "积分怎么得" in rules
    assert "参加组织生活 每次 3 分" in rules
    assert "每小时 2 分" in rules  # service hours
    assert "加分或减分，须写明理由" in rules
    assert "全年积分达到 20 分的党员，在支部星级评定中计为活跃党员" in rules


def test_the_rules_shown_are_those_in_force(world: Branch, cast: Cast) -> None:
    weights = services.indicator_weights()
    services.star_rules_set(
        actor=cast.admin, weights=weights, member_points={"meeting": 4, "service_hours": 2, "appeal": 0}
    )
    me = signed_in(world.secretary)
    rules = _rules(
        me.get(
            reverse("party:branch_member_points", args=[world.branch.pk, world.member.pk])
        ).content.decode()
    )
    assert "参加组织生活 每次 4 分" in rules
    assert "办理诉求" not in rules  # a kind that gives nothing is not offered as a way to earn
    form = _text(me.get(reverse("party:branch_meeting_new", args=[world.branch.pk])).content.decode())
    assert "每次组织生活计 4 分" in form


def test_staff_read_how_points_are_earned_on_a_members_ledger(world: Branch, client_for: Any) -> None:
    html = client_for("community_worker").get(reverse("party:member_points", args=[world.member.pk]))
    assert html.status_code == 200
    assert "参加组织生活 每次 3 分" in _rules(html.content.decode())
