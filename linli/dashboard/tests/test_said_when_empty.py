"""A panel of the overview with nothing to show says so in words: the trend of a period with no appeal drew empty
axes, and the tiers' shares of a period with nothing concluded were six bars of 0.0% · 0 under "已办结的 0 件诉求中…"
(a grid with no appeal, a new month's first days, a category narrowed to a few open appeals)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from linli.appeals.models import Category
from linli.dashboard import services
from linli.testing import Cast

from . import fixed_set
from .factories import make_appeal

pytestmark = pytest.mark.django_db


def _card(html: str, heading: str) -> str:
    start = html.index(f"<h2>{heading}</h2>")
    return html[start : html.index("</div>\n", start)]


def test_the_trend_and_the_tiers_say_when_there_is_nothing_to_draw(client_for: Any, cast: Cast) -> None:
    fixed_set.build(cast)
    october = dt.datetime(2026, 10, 5, 10, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    env = Category.objects.get(code="environment.noise")
    make_appeal(grid=cast.grid, org_path=cast.compound.path, created=october, category=env)  # open
    services.rollups_refresh_all()
    c = client_for("district_leader")

    august = c.get("/dashboard/?period=month&date=2026-08-01").content.decode()
    assert "本期没有受理诉求，暂无趋势。" in _card(august, "趋势")
    assert 'id="chart-trend"' not in august
    tiers = _card(august, "各层级办结占比")
    assert "本期受理的诉求尚无办结，暂无各层级办结占比。" in tiers and "data-tier" not in tiers

    opened = c.get("/dashboard/?period=month&date=2026-10-01").content.decode()
    assert 'id="chart-trend"' in opened and 'id="trend-empty"' not in opened  # one appeal: its bar
    tiers = _card(opened, "各层级办结占比")
    assert "本期受理的诉求尚无办结，暂无各层级办结占比。" in tiers and "data-tier" not in tiers

    september = c.get("/dashboard/?period=month&date=2026-09-01").content.decode()
    assert 'id="chart-trend"' in september and 'id="trend-empty"' not in september
    tiers = _card(september, "各层级办结占比")
    assert 'id="tiers-empty"' not in tiers and 'data-tier="grid"' in tiers
