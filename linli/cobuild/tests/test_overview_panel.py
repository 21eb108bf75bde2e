"""The overview's co-building panel below a community: needs, orders, projects and the fund are a community's."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from linli.testing import Cast

from .conftest import fund_with

pytestmark = pytest.mark.django_db


def _panel(client: Client, unit: str) -> str:
    page = client.get(reverse("dashboard:index"), {"unit": unit}).content.decode()
    return page.split('id="cobuild-panel"')[1].split("</section>")[0]


def test_below_a_community_the_panel_shows_the_communitys_figures_and_says_so(
    cast: Cast, client_for: Callable[[str], Client]
) -> None:
    """At a compound or a grid the panel showed 0 / 0 and a fund of 0 as if the compound had nothing: it now shows
    the community's figures, says whose they are and links to the community's overview."""
    fund_with(cast, "1000.00")
    client = client_for("street_officer")
    for unit in (f"n{cast.compound.pk}", f"g{cast.grid.pk}"):
        panel = _panel(client, unit)
        assert f"共建按社区统计：以下为{cast.community.name}的数字。" in panel
        assert f'href="?unit=n{cast.community.pk}&amp;period=' in panel and "在社区一级查看" in panel
        assert "1,000" in panel  # the community's fund balance, not 0
    assert "按社区统计" not in _panel(client, f"n{cast.community.pk}")
