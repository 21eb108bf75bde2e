"""The overview's co-governance panel below a community: meetings are mostly a community's."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from linli.deliberation.models import Meeting
from linli.testing import Cast

from .conftest import meeting_deliberating

pytestmark = pytest.mark.django_db

HELD_ONE = '<div class="stat-value">1</div><div class="stat-label">召开会议</div>'


def _panel(client: Client, unit: str) -> str:
    page = client.get(reverse("dashboard:index"), {"unit": unit}).content.decode()
    return page.split('id="deliberation-panel"')[1].split("</section>")[0]


def test_below_a_community_the_panel_shows_the_communitys_figures_and_says_so(
    cast: Cast, client_for: Callable[[str], Client]
) -> None:
    """At a compound or a grid the panel said 0 召开会议 though the community met: it now shows the community's
    figures, says whose they are (its compounds' meetings and votes among them) and links to the community."""
    meeting = meeting_deliberating(cast)
    Meeting.objects.filter(pk=meeting.pk).update(scheduled_at=timezone.now() - dt.timedelta(days=1))
    client = client_for("street_officer")
    for unit in (f"n{cast.compound.pk}", f"g{cast.grid.pk}"):
        panel = _panel(client, unit)
        assert f"共商共治按社区统计：以下为{cast.community.name}的数字（含各小区的议事和表决）。" in panel
        assert f'href="?unit=n{cast.community.pk}&amp;period=' in panel and "在社区一级查看" in panel
        assert HELD_ONE in panel  # the community's meeting, not 0
    community = _panel(client, f"n{cast.community.pk}")
    assert HELD_ONE in community and "按社区统计" not in community
