"""The demo's branch secretary (README's demo accounts) signs in with a code and finds 我的支部."""

from __future__ import annotations

import pytest
from django.urls import reverse

from linli.accounts.models import User
from linli.demo.territory import demo_build
from linli.demo.territory.party import SECRETARY_PHONE
from linli.party.selectors import leading_posts
from linli.testing import signed_in

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_branch_secretary_who_signs_in_as_a_resident() -> None:
    demo = demo_build(scale=0.05, seed=11)
    user = User.objects.get(phone=SECRETARY_PHONE, role="resident")
    post = leading_posts(user).get()
    assert post.position == "secretary" and post.party_org.kind == "branch"
    assert post.party_org.org_node.path.startswith(demo.communities[1].path)
    page = signed_in(user).get(reverse("party:branch", args=[post.party_org_id])).content.decode()
    assert post.party_org.name in page and post.name in page
