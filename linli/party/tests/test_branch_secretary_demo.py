"""The demo's branch secretary (README's demo accounts) signs in with a code and finds 我的支部."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from linli.accounts.models import User
from linli.demo.territory import demo_build
from linli.demo.territory.party import SECRETARY_PHONE
from linli.party.models import BranchStarRating
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


def test_the_demo_branches_are_at_each_step_of_the_self_assessment() -> None:
    """This year's ratings: some submitted, some returned with a reason (the demo secretary's branch among them),
    the rest computed; last year's mostly submitted, for the volunteers part's street to approve."""
    demo_build(scale=0.05, seed=11)
    this_year = timezone.localdate().year
    ratings = BranchStarRating.objects.filter(year=this_year)
    states = set(ratings.values_list("state", flat=True))
    assert states == (
        {"computed", "submitted", "returned"} if ratings.count() >= 3 else {"submitted", "returned"}
    )
    assert BranchStarRating.objects.filter(year=this_year - 1, state="submitted").exists()
    returned = BranchStarRating.objects.filter(state="returned")
    assert all(r.return_reason and r.claimed_stars is not None for r in returned)
    user = User.objects.get(phone=SECRETARY_PHONE, role="resident")
    branch = leading_posts(user).get().party_org
    page = signed_in(user).get(reverse("party:branch", args=[branch.pk])).content.decode()
    assert "街道退回了支部自评" in page and "修改后重新提交" in page
