"""The dashboard's volunteering panel: volunteers active, hours by team colour, branch star distribution."""

from __future__ import annotations

from decimal import Decimal as D
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from linli.party import services as party
from linli.volunteers import selectors

from .conftest import World, at, compound_branch
from .test_bank import serve

pytestmark = pytest.mark.django_db


def test_the_panel_counts_hours_by_colour_and_stars(world: World, django_assert_num_queries: Any) -> None:
    world.activity.team = world.team
    world.activity.save(update_fields=["team"])
    serve(world)  # two hours in the team's (red) activity
    branch = compound_branch(world)
    year = timezone.localdate().year
    rating = party.branch_stars_compute(actor=world.cast.community_worker, branch=branch, year=year)
    # 自查自评 first (the system for the branch), then the street approves what was submitted.
    rating = party.branch_stars_submit(
        actor=None, rating=rating, claimed_stars=rating.computed_stars, statement="按期完成自查自评。"
    )
    party.branch_stars_approve(actor=world.cast.street_officer, rating=rating)
    day = at(2).date()
    with django_assert_num_queries(6):  # the first finds whether the area lies below a community
        vo = selectors.overview(world.cast.street.path, day.replace(day=1), day)
    assert (vo.registered, vo.active) == (2, 1)
    by = {code: h for code, _label, _hex, h in vo.by_colour}
    assert by["red"] == D(2) and by["green"] == 0 and "" not in by  # every colour shown, no "no team" row
    assert vo.hours == D(2)
    assert (vo.star_year, vo.rated, vo.approved) == (year, 1, 1)
    assert sum(n for _s, n in vo.stars) == 1 and dict(vo.stars)[rating.stars] == 1
    # Outside the period, and outside the area, nothing counts.
    before = day.replace(day=1)
    assert (
        selectors.overview(
            world.cast.street.path, before.replace(year=year - 1), before.replace(year=year - 1)
        ).hours
        == 0
    )
    elsewhere = selectors.overview(world.cast.street.path + "999/", day.replace(day=1), day)
    assert (elsewhere.registered, elsewhere.active, elsewhere.hours, elsewhere.star_year) == (0, 0, 0, None)


def test_the_dashboard_shows_the_panel(world: World, client_for: Any) -> None:
    serve(world)
    day = at(2).date()
    response = client_for("street_officer").get(reverse("dashboard:index"), {"period": "month", "date": day})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="volunteers-panel"' in html
    assert 'data-colour="red"' in html and "2 小时" in html


def test_below_a_community_the_panel_shows_the_communitys_figures_and_says_so(
    world: World, client_for: Any
) -> None:
    """Volunteers are registered with a community: at a compound or a grid the panel said 0 活跃志愿者（登记 0 人）
    as if the compound had none. It now shows the community's figures, says whose they are and links there."""
    serve(world)
    day = at(2).date()
    cast = world.cast
    client = client_for("street_officer")
    for unit in (f"n{cast.compound.pk}", f"g{cast.grid.pk}"):
        html = client.get(reverse("dashboard:index"), {"unit": unit, "period": "month", "date": day}).content
        panel = html.decode().split('id="volunteers-panel"')[1].split("</section>")[0]
        assert f"志愿服务按社区统计：以下为{cast.community.name}的数字。" in panel
        assert (
            f'href="?unit=n{cast.community.pk}&amp;period=month&amp;date={day.replace(day=1).isoformat()}"'
            in panel
        )
        assert 'data-colour="red"' in panel and "2 小时" in panel  # the community's hours, not 0
    own = client.get(reverse("dashboard:index"), {"unit": f"n{cast.community.pk}"}).content.decode()
    assert "按社区统计" not in own.split('id="volunteers-panel"')[1].split("</section>")[0]
