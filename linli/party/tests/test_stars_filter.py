"""The street's branch-stars list filtered by where each branch's rating stands (one filter for the page and the
API): waiting for the branch's self-assessment (with the reminders sent), submitted for the street's review,
approved, or all; the counts beside each, the filter kept across pages and years."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from linli.party import services
from linli.party.models import PartyOrg
from linli.party.views import stars as star_views
from linli.testing import Cast

pytestmark = pytest.mark.django_db


@pytest.fixture
def street_branches(cast: Cast, orgs: dict[str, PartyOrg]) -> dict[str, PartyOrg]:
    """Six branches of this year under the community committee: 一 computed and reminded, 二 returned, 三
    submitted, 四 approved, 五 and 六 not computed."""
    year = timezone.localdate().year
    made = {}
    for name in ("一", "二", "三", "四", "五", "六"):
        made[name] = services.party_org_create(
            actor=None,
            kind="branch",
            name=f"第{name}党支部",
            org_node=cast.compound,
            parent=orgs["committee"],
        )
    for name in ("一", "二", "三", "四"):
        secretary = services.party_member_create(
            actor=None, name=f"书记{name}", party_org=made[name], phone=f"1381234500{len(made)}"
        )
        services.party_member_set_position(actor=None, member=secretary, position="secretary")
        rating = services.branch_stars_compute(actor=None, branch=made[name], year=year)
        if name != "一":
            services.branch_stars_submit(actor=None, rating=rating, claimed_stars=2, statement="按期自查。")
        if name == "二":
            services.branch_stars_return(actor=None, rating=rating, reason="佐证材料不全")
        if name == "四":
            services.branch_stars_approve(actor=None, rating=rating, note="同意")
    services.branch_stars_remind(actor=cast.street_officer, rating=made["一"].star_ratings.get())
    return made


def _branches_listed(page: str, made: dict[str, PartyOrg]) -> set[str]:
    return {name for name, b in made.items() if b.name in page}


def test_the_street_filters_the_branches_by_where_their_rating_stands(
    cast: Cast, street_branches: dict[str, PartyOrg], client_for: Any
) -> None:
    street = client_for("street_officer")
    url = reverse("party:stars")
    page = street.get(url).content.decode()
    # The filter line: label with the full-width colon, each state with its count, all branches by default.
    assert "状态：" in page and "状态:" not in page
    assert "全部（7）" in page  # the six and the cast's 阳光小区党支部
    assert "待支部自评（2）" in page and "待街道审定（1）" in page and "街道已审定（1）" in page
    assert _branches_listed(page, street_branches) == set(street_branches)

    waiting = street.get(url, {"state": "waiting"}).content.decode()
    assert _branches_listed(waiting, street_branches) == {"一", "二"}
    assert f"{timezone.localtime(timezone.now()):%m-%d} 已提醒" in waiting  # 一 was reminded today
    assert "提醒自评</button>" in waiting  # 二, returned, may be reminded
    assert 'aria-current="true">待支部自评（2）' in waiting

    submitted = street.get(url, {"state": "submitted"}).content.decode()
    assert _branches_listed(submitted, street_branches) == {"三"} and ">审定</a>" in submitted
    approved = street.get(url, {"state": "approved"}).content.decode()
    assert _branches_listed(approved, street_branches) == {"四"}

    # Another year: nothing stands anywhere yet, and the list says so; the year's form keeps the filter.
    last_year = street.get(url, {"state": "approved", "year": timezone.localdate().year - 1}).content.decode()
    assert "本年度没有处于该状态的党支部。" in last_year and "街道已审定（0）" in last_year
    assert '<input type="hidden" name="state" value="approved">' in last_year
    # A state not understood shows all.
    assert _branches_listed(street.get(url, {"state": "nonsense"}).content.decode(), street_branches) == set(
        street_branches
    )


def test_the_filter_is_kept_across_pages(
    cast: Cast, street_branches: dict[str, PartyOrg], client_for: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(star_views, "STARS_PER_PAGE", 1)
    street = client_for("street_officer")
    first = street.get(reverse("party:stars"), {"state": "waiting"}).content.decode()
    assert _branches_listed(first, street_branches) == {"一"}
    assert "第 1 / 2 页，共 2 条" in first and 'href="?state=waiting&amp;page=2"' in first
    second = street.get(reverse("party:stars"), {"state": "waiting", "page": 2}).content.decode()
    assert (
        _branches_listed(second, street_branches) == {"二"} and 'href="?state=waiting&amp;page=1"' in second
    )


def _rated_branches(cast: Cast, orgs: dict[str, PartyOrg], first: int, last: int) -> None:
    for n in range(first, last):
        branch = services.party_org_create(
            actor=None, kind="branch", name=f"支部{n}", org_node=cast.compound, parent=orgs["committee"]
        )
        secretary = services.party_member_create(
            actor=None, name=f"书记{n}", party_org=branch, phone=f"139123456{n:02d}"
        )
        services.party_member_set_position(actor=None, member=secretary, position="secretary")
        services.branch_stars_compute(actor=None, branch=branch, year=timezone.localdate().year)


def test_the_list_reads_a_fixed_number_of_queries(
    cast: Cast, orgs: dict[str, PartyOrg], client_for: Any, django_assert_num_queries: Any
) -> None:
    street = client_for("street_officer")
    url = reverse("party:stars")
    # The session and the user (with their node), the counts by state, the branches counted and listed, their
    # ratings and leaders, the distribution over the stars; with a state, all the branches counted too.
    expected = {"": 9, "waiting": 10}
    _rated_branches(cast, orgs, 0, 1)
    for state, n in expected.items():
        with django_assert_num_queries(n):
            assert street.get(url, {"state": state}).status_code == 200
    _rated_branches(cast, orgs, 1, 12)
    for state, n in expected.items():
        with django_assert_num_queries(n):
            page = street.get(url, {"state": state}).content.decode()
        assert "支部11" in page and "提醒自评</button>" in page


def test_only_who_may_approve_is_offered_to_review_a_submitted_rating(
    cast: Cast, street_branches: dict[str, PartyOrg], client_for: Any
) -> None:
    """The community reads a submitted self-assessment's evidence; 审定 is the street's (it led to a page without
    the approve form)."""
    url = reverse("party:stars")
    community = client_for("community_worker").get(url, {"state": "submitted"}).content.decode()
    assert _branches_listed(community, street_branches) == {"三"}
    assert ">审定</a>" not in community and ">佐证</a>" in community
    assert ">审定</a>" in client_for("street_officer").get(url, {"state": "submitted"}).content.decode()


def test_the_api_lists_by_the_same_filter(
    cast: Cast, street_branches: dict[str, PartyOrg], client_for: Any, django_assert_num_queries: Any
) -> None:
    street = client_for("street_officer")
    names = {b.pk: name for name, b in street_branches.items()}

    def listed(**params: Any) -> set[str]:
        response = street.get("/api/party/stars", params)
        assert response.status_code == 200
        return {names[r["branch"]["id"]] for r in response.json()["items"]}

    assert listed(state="waiting") == {"一", "二"}
    assert listed(state="submitted") == {"三"}
    assert listed(state="approved", year=timezone.localdate().year) == {"四"}
    assert listed() == {"一", "二", "三", "四"}
    refused = street.get("/api/party/stars", {"state": "nonsense"})
    assert refused.status_code == 422 and "state" in refused.json()["extra"]["fields"]
    with django_assert_num_queries(5):  # the session, the user and their node, the count, the page of ratings
        street.get("/api/party/stars", {"state": "waiting"})
