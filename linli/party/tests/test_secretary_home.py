"""A branch's secretary is usually a resident: what waits for the branch's self-assessment (自评) is named on their
own home (core.todo, party/waiting.py; web's home loads it after the page), not only on 我的支部, with the ratings
the street reminded them of as late. Another resident, who leads no branch, sees no such to-do."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from linli.party import services
from linli.testing import Cast, signed_in

from .helpers import Branch

pytestmark = pytest.mark.django_db


def _todo(client: Client) -> str:
    """The to-do of the self-assessments on the person's home, as it shows it: its link and words ('' if absent)."""
    home = client.get(reverse("web:home")).content.decode()
    waiting = reverse("web:home_waiting")
    assert f'hx-get="{waiting}" hx-trigger="load"' in home  # the home loads its to-dos
    page = client.get(waiting).content.decode()
    found = re.search(
        r'<a class="stat stat-todo[^"]*" href="([^"]+)" data-todo="party.self_assessments">(.*?)</a>',
        page,
        re.S,
    )
    if not found:
        return ""
    assert "待办事项" in page
    return " ".join([found.group(1), *re.sub(r"<[^>]+>", " ", found.group(2)).split()])


def test_the_secretarys_home_names_the_self_assessment_waiting_for_the_branch(
    world: Branch, cast: Cast
) -> None:
    me = signed_in(world.secretary)
    assert _todo(me) == ""
    assert (
        signed_in(world.secretary).get(reverse("web:home_waiting")).content.decode().strip() == ""
    )  # no section

    rating = services.branch_stars_compute(
        actor=world.secretary, branch=world.branch, year=timezone.localdate().year
    )
    assert _todo(me) == "/party/branch/ 1 待填写的支部星级自评"
    # The link leads to the branch's page, where the self-assessment is filled in.
    assert "填写支部自评" in me.get("/party/branch/", follow=True).content.decode()
    # Someone who leads no branch has nothing of the kind.
    assert _todo(signed_in(world.plain)) == ""

    services.branch_stars_remind(actor=cast.street_officer, rating=rating)
    assert _todo(me) == "/party/branch/ 1 待填写的支部星级自评 其中 1 件已超时"

    services.branch_stars_submit(
        actor=world.secretary, rating=rating, claimed_stars=3, statement="全年主题党日 12 次"
    )
    assert _todo(me) == ""  # sent to the street: no longer the branch's to do
