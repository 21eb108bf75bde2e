"""The demo's last part: the overview's figures are counted before any worker runs."""

from __future__ import annotations

from linli.appeals.models import Appeal
from linli.dashboard.models import AppealFact, Rollup
from linli.demo import overview
from linli.demo.appeals import build_history
from linli.demo.parts import PARTS, DemoRun


def test_the_overview_part_counts_every_appeal_into_the_dashboards_figures(run: DemoRun) -> None:
    said: list[str] = []
    run.say = said.append
    build_history(days=2, seed=run.seed, per_day=2)
    assert Appeal.objects.exists() and not AppealFact.objects.exists()
    overview.part(run)
    assert AppealFact.objects.count() == Appeal.objects.count()
    assert Rollup.objects.exists()
    assert len(said) == 1 and f" {Appeal.objects.count()} " in said[0]
    assert PARTS[-1][1] is overview.part  # after every part that makes appeals
