"""The overview's sensors panel speaks Chinese, units included (it showed "4.5 min")."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import translation


def test_the_panel_s_units_are_translated() -> None:
    se = {
        "online_pct": 98,
        "online": 49,
        "devices": 50,
        "alarms": 3,
        "false": 1,
        "order_s": 12,
        "ack_min": 4.5,
        "open_unacknowledged": 0,
    }
    with translation.override("zh-hans"):
        html = render_to_string("sensors/partials/overview_panel.html", {"se": se})
    assert "4.5 分钟" in html and "12 秒" in html
    assert " min<" not in html and " s<" not in html
