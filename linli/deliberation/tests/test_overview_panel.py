"""The overview's co-governance panel names its figures for what they are."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import translation


def test_the_voting_figure_is_called_a_share_not_a_count() -> None:
    """68% (341/502) is the share of the households asked that voted: it said 参与投票户数, a count."""
    dl = {
        "meetings": 3,
        "households_voting": 341,
        "households_asked": 502,
        "participation": 0.68,
        "units": [],
    }
    with translation.override("zh-hans"):
        html = render_to_string("deliberation/partials/overview_panel.html", {"dl": dl})
    assert "68%" in html and "参与投票户占比（341/502）" in html and "户数" not in html
