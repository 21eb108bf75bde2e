"""The figures on a small fixed set, computed by hand (see docs/figures-appeals.md)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.test import Client

from linli.appeals import figures
from linli.appeals.models import Appeal, AppealRating
from linli.testing import Cast, at


def make(cast: Cast, n: int, **fields: Any) -> Appeal:
    created = fields.pop("created_at", at(2026, 11, 2, 9, 0))
    appeal = Appeal.objects.create(
        tracking_number=f"T{n}",
        kind=fields.pop("kind", "complaint"),
        title=f"诉求{n}",
        description="用于计算指标的诉求",
        channel="web",
        grid=cast.grid,
        org_path=cast.grid.org_node.path,
        **fields,
    )
    Appeal.objects.filter(pk=appeal.pk).update(created_at=created)
    return appeal


def fixed_set(cast: Cast) -> None:
    d = at(2026, 11, 2, 9, 0)
    a1 = make(
        cast, 1, state="closed", outcome="fixed", tier="grid", resolved_tier="grid", dispatched_at=d,
        ack_due_at=at(2026, 11, 2, 11, 0), acknowledged_at=at(2026, 11, 2, 10, 0),
        resolved_at=at(2026, 11, 3, 9, 0), resolved_on_time=True,
    )  # fmt: skip
    a2 = make(
        cast, 2, state="rated", outcome="fixed", tier="community", resolved_tier="community", dispatched_at=d,
        ack_due_at=at(2026, 11, 2, 11, 0), acknowledged_at=at(2026, 11, 2, 15, 0),
        resolved_at=at(2026, 11, 4, 18, 0), resolved_on_time=False, rework_count=1,
    )  # fmt: skip
    make(
        cast, 3, state="closed", outcome="not_our_responsibility", tier="street", resolved_tier="street",
        dispatched_at=d, ack_due_at=at(2026, 11, 2, 11, 0), acknowledged_at=at(2026, 11, 2, 9, 30),
        resolved_at=at(2026, 11, 2, 13, 30), resolved_on_time=True, return_count=1,
    )  # fmt: skip
    make(
        cast, 4, state="in_progress", tier="grid", dispatched_at=d, ack_due_at=at(2026, 11, 2, 11, 0),
        acknowledged_at=at(2026, 11, 2, 10, 0), resolve_due_at=at(2026, 11, 11, 9, 0),
    )  # fmt: skip
    make(cast, 5, state="closed", outcome="duplicate", tier="grid", dispatched_at=d)
    make(
        cast, 6, kind="consultation", state="closed", outcome="answered", resolved_at=d, resolved_on_time=True,
        created_at=d,
    )  # fmt: skip
    # Outside the period: ignored.
    make(cast, 7, state="accepted", created_at=at(2026, 10, 30, 9, 0))
    AppealRating.objects.create(appeal=a1, value="satisfied", at=at(2026, 11, 3, 12, 0))
    AppealRating.objects.create(appeal=a2, value="unsatisfied", round=1, at=at(2026, 11, 3, 12, 0))
    AppealRating.objects.create(appeal=a2, value="basically", round=2, at=at(2026, 11, 5, 12, 0))


def test_figures_match_the_hand_computation(cast: Cast) -> None:
    fixed_set(cast)
    f = figures.compute(
        Appeal.objects.all(),
        start=dt.date(2026, 11, 1),
        end=dt.date(2026, 11, 30),
        now=at(2026, 11, 20, 9, 0),
    )
    assert (f.received, f.counted, f.open, f.overdue_open) == (6, 5, 1, 1)
    assert (f.concluded, f.fixed, f.closed_without_fix, f.duplicates, f.withdrawn) == (4, 3, 1, 1, 0)
    assert f.response_rate == 0.8  # A1, A3, A4 acknowledged in time + A6 answered; A2 late
    assert (
        f.resolution_rate == 0.75
    )  # fixed or answered among concluded; "not our responsibility" is not fixed
    assert f.on_time_rate == 0.6  # A1, A3, A6 of the four concluded and A4, open past its deadline
    assert f.avg_handling_days == 1.12  # (1 + 3 + 0.5 + 0) / 4 = 1.125 working days
    assert f.median_handling_days == 0.75
    assert f.return_rate == 0.25
    assert f.rework_rate == 0.25
    assert f.closed_at_tier == {"grid": 0.25, "community": 0.25, "street": 0.25, "": 0.25}
    assert (f.rated, f.satisfaction_rate, f.satisfied_rate) == (2, 1.0, 0.5)


def test_empty_period_gives_no_rates(cast: Cast) -> None:
    f = figures.compute(Appeal.objects.all(), start=dt.date(2026, 1, 1), end=dt.date(2026, 1, 31))
    assert f.received == 0
    assert f.resolution_rate is None
    assert f.avg_handling_days is None


def test_figures_api_is_scoped(cast: Cast, client_for: Any) -> None:
    fixed_set(cast)
    community: Client = client_for("community_worker")
    data = community.get("/api/appeals/figures?start=2026-11-01&end=2026-11-30").json()
    assert data["received"] == 6
    assert data["resolution_rate"] == 0.75
    outsider = client_for("outsider").get("/api/appeals/figures?start=2026-11-01&end=2026-11-30").json()
    assert outsider["received"] == 0


def test_figures_per_unit(cast: Cast) -> None:
    fixed_set(cast)
    rows = dict(
        figures.compute_by_unit(Appeal.objects.all(), start=dt.date(2026, 11, 1), end=dt.date(2026, 11, 30))
    )
    assert rows[cast.grid.name].received == 3  # A1, A4, A5 sit at the grid tier


def test_figures_per_unit_over_the_api(cast: Cast, client_for: Any) -> None:
    fixed_set(cast)
    rows = (
        client_for("community_worker")
        .get("/api/appeals/figures/units?start=2026-11-01&end=2026-11-30")
        .json()
    )
    grid_row = next(r for r in rows if r["unit"] == cast.grid.name)
    assert grid_row["received"] == 3
    assert grid_row["resolution_rate"] == 1.0
