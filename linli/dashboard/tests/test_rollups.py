"""Rollups give exactly the figures a direct query over the appeals gives, after incremental changes too."""

from __future__ import annotations

import datetime as dt
import random

import pytest
from django.utils import timezone

from linli.appeals.models import Appeal, Category
from linli.core.scoping import WholeTree
from linli.dashboard import services
from linli.dashboard.checks import differences, rollups_check
from linli.dashboard.models import AppealFact, Rollup
from linli.dashboard.periods import Period
from linli.dashboard.selectors import Scope
from linli.territory import services as territory
from linli.testing import Cast, square

from .factories import random_appeal, transition

pytestmark = pytest.mark.django_db

START = dt.date(2026, 8, 20)
END = dt.date(2026, 11, 10)


def _world(cast: Cast) -> list:
    other_street = territory.org_node_create(
        actor=None, kind="street", name="东风街道", code="110199002", parent=cast.district
    )
    far = territory.org_node_create(
        actor=None, kind="community", name="东风社区", code="110199002001", parent=other_street
    )
    far_grid = territory.grid_create(
        actor=None, code="G003", name="东风一网格", org_node=far, boundary=square(116.5, 39.9)
    )
    return [cast.grid, cast.other_grid, far_grid]


def _scopes(cast: Cast, grids: list) -> list[Scope]:
    out = [Scope(level="all", name="all")]
    for node in (cast.district, cast.street, cast.community, cast.other_community):
        node.refresh_from_db()
        out.append(Scope(level=str(node.kind), name=node.name, path=node.path, node=node))
    cast.compound.refresh_from_db()
    out.append(Scope(level="compound", name="compound", path=cast.compound.path, node=cast.compound))
    for g in grids:
        out.append(Scope(level="grid", name=g.name, path=g.org_node.path, grid=g))
    return out


PERIODS = [
    Period("month", dt.date(2026, 9, 1), dt.date(2026, 9, 30)),
    Period("custom", dt.date(2026, 8, 25), dt.date(2026, 10, 12)),
    Period("week", dt.date(2026, 10, 5), dt.date(2026, 10, 11)),
    Period("year", dt.date(2026, 1, 1), dt.date(2026, 12, 31)),
]


def _random_appeals(cast: Cast, seed: int, days: list[dt.date]) -> tuple[random.Random, list, list[Appeal]]:
    """One random appeal on each of `days` in the grids of `_world`; the generator is returned to go on with."""
    rng = random.Random(seed)
    grids = _world(cast)
    cats = list(Category.objects.filter(parent__isnull=False))
    return rng, grids, [random_appeal(rng, grids, cats, day) for day in days]


def _lived(
    cast: Cast, *, seed: int, days: list[dt.date], count: int, changed: int
) -> tuple[list, dt.datetime]:
    """`count` random appeals on `days` in turn, rolled up; then `changed` of them moved on and rolled up again.
    Returns the grids and the time of the last refresh."""
    rng, grids, appeals = _random_appeals(cast, seed, [days[i % len(days)] for i in range(count)])
    services.rollups_refresh_all(now=timezone.now())
    for appeal in rng.sample(appeals, changed):
        appeal.refresh_from_db()
        transition(rng, appeal)
    now = timezone.now()
    services.rollups_refresh_all(now=now)
    return grids, now


def _all_differences(cast: Cast, grids: list, now: dt.datetime) -> list[str]:
    problems: list[str] = []
    cats = list(Category.objects.filter(parent__isnull=True)[:2])
    for scope in _scopes(cast, grids):
        for period in PERIODS:
            problems += differences(scope, period, now=now)
        problems += differences(scope, PERIODS[1], now=now, category=cats[0].pk)
    return problems


def test_rollups_equal_direct_queries_after_random_transitions(cast: Cast) -> None:
    rng = random.Random(7)
    grids = _world(cast)
    cats = list(Category.objects.filter(parent__isnull=False))
    days = [START + dt.timedelta(days=i) for i in range((END - START).days + 1)]
    appeals = [random_appeal(rng, grids, cats, rng.choice(days)) for _ in range(160)]
    now = timezone.now()
    assert services.rollups_refresh_all(now=now) == 160
    assert AppealFact.objects.count() == 160
    assert Rollup.objects.exists()
    assert _all_differences(cast, grids, now) == []

    # Incremental: random transitions, then only the changed appeals are refreshed by delta.
    for appeal in rng.sample(appeals, 60):
        appeal.refresh_from_db()
        transition(rng, appeal)
    appeals.append(random_appeal(rng, grids, cats, days[-1]))
    now = timezone.now()
    changed = services.rollups_refresh_all(now=now)
    assert 0 < changed <= 61
    assert _all_differences(cast, grids, now) == []
    # Refreshing again changes nothing (idempotent).
    assert services.rollups_refresh(now=now) == 0
    assert _all_differences(cast, grids, now) == []


def test_overdue_counts_follow_the_clock_without_any_write(cast: Cast) -> None:
    _rng, grids, _appeals = _random_appeals(cast, 3, [START + dt.timedelta(days=i) for i in range(40)])
    early = timezone.now() - dt.timedelta(days=400)
    services.rollups_refresh_all(now=early)
    later = timezone.now()
    assert services.rollups_refresh(now=later) > 0  # open appeals passed their deadline in between
    assert _all_differences(cast, grids, later) == []


def test_rebuild_gives_the_same_rollups_as_incremental_updates(cast: Cast) -> None:
    rng, _grids, appeals = _random_appeals(cast, 11, [START + dt.timedelta(days=i % 70) for i in range(80)])
    now = timezone.now()
    services.rollups_refresh_all(now=now)
    for appeal in appeals[:30]:
        appeal.refresh_from_db()
        transition(rng, appeal)
    services.rollups_refresh_all(now=now)
    fields = [
        "grain",
        "start",
        "level",
        "node_id",
        "category_root_id",
        "received",
        "concluded",
        "handling_seconds",
        "rated",
    ]
    incremental = sorted(tuple(r) for r in Rollup.objects.filter(received__gt=0).values_list(*fields))
    services.rollups_rebuild(now=now)
    rebuilt = sorted(tuple(r) for r in Rollup.objects.filter(received__gt=0).values_list(*fields))
    assert incremental == rebuilt
    assert rollups_check(day=END) == []


def test_a_concurrent_worker_never_applies_a_change_twice(cast: Cast) -> None:
    _rng, _grids, (appeal,) = _random_appeals(cast, 5, [START])
    now = timezone.now()
    services.facts_refresh(appeal_ids=[appeal.pk], now=now)
    # Worker B reads the fact, then worker A applies a change first.
    seen_by_b = services._fact_dict(AppealFact.objects.get(pk=appeal.pk))
    assert seen_by_b is not None
    later = now + dt.timedelta(seconds=1)
    Appeal.objects.filter(pk=appeal.pk).update(
        state="returned", outcome="", return_count=2, dispatched_at=now, updated_at=later
    )
    assert services.facts_refresh(appeal_ids=[appeal.pk], now=now) == 1
    # B's swap from the stale fact loses and changes no rollup.
    b_new = {**seen_by_b, "source_updated_at": later, "returned": 1, "dispatched": 1}
    assert services._swap(appeal.pk, seen_by_b, b_new) is False
    rows = Rollup.objects.filter(level="district", grain="month")
    assert sum(rows.values_list("received", flat=True)) == 1
    assert sum(rows.values_list("returned", flat=True)) == 1
    assert sum(rows.values_list("dispatched", flat=True)) == 1


def test_many_appeals_changed_at_the_same_instant_are_all_picked_up(cast: Cast) -> None:
    _rng, grids, appeals = _random_appeals(cast, 2, [START + dt.timedelta(days=i % 30) for i in range(30)])
    now = timezone.now()
    services.rollups_refresh_all(now=now, batch=7)
    assert AppealFact.objects.count() == 30
    same = timezone.now()
    Appeal.objects.filter(pk__in=[a.pk for a in appeals]).update(
        updated_at=same, return_count=5, dispatched_at=same
    )
    assert services.rollups_refresh_all(now=now, batch=7) > 0  # batches smaller than the tie still progress
    assert AppealFact.objects.filter(source_updated_at=same).count() == 30
    assert _all_differences(cast, grids, now) == []


def test_the_worker_job_and_the_check_command(cast: Cast) -> None:
    import io

    from django.core.management import call_command
    from django.core.management.base import CommandError

    from linli.core import jobs

    _random_appeals(cast, 4, [timezone.localdate() - dt.timedelta(days=i) for i in range(12)])
    assert jobs.run_all(only=["dashboard.rollups"]) == {"dashboard.rollups": 12}
    out = io.StringIO()
    call_command("rollups", "check", stdout=out)
    assert "rollups equal direct queries" in out.getvalue()
    # A rollup row tampered with is reported.
    for grain in ("day", "year"):
        row = Rollup.objects.filter(level="district", grain=grain, received__gt=0).first()
        assert row is not None
        Rollup.objects.filter(pk=row.pk).update(received=row.received + 1)
        with pytest.raises(CommandError):
            call_command("rollups", "check", stdout=io.StringIO())
        call_command("rollups", "rebuild", stdout=io.StringIO())
        call_command("rollups", "check", stdout=io.StringIO())


def test_year_rollups_give_whole_years_and_the_ranking_exactly(cast: Cast) -> None:
    from linli.appeals.figures import FIGURE_NAMES as SHARED
    from linli.dashboard import selectors
    from linli.dashboard.checks import direct_figures

    days = [dt.date(2025, 12, 29), dt.date(2025, 12, 31), dt.date(2026, 1, 2), dt.date(2026, 6, 30)]
    grids, now = _lived(cast, seed=13, days=days, count=48, changed=20)
    years = Rollup.objects.filter(grain="year", received__gt=0)
    assert sorted({r.start for r in years}) == [dt.date(2025, 1, 1), dt.date(2026, 1, 1)]
    assert {r.level for r in years} == {"district", "street", "community", "grid"}

    periods = [
        Period("year", dt.date(2025, 1, 1), dt.date(2025, 12, 31)),
        Period("year", dt.date(2026, 1, 1), dt.date(2026, 12, 31)),
        Period("custom", dt.date(2025, 1, 1), dt.date(2026, 12, 31)),  # two whole years
        Period("custom", dt.date(2025, 1, 1), dt.date(2026, 1, 2)),  # a year, then edge days
    ]
    problems: list[str] = []
    roots = list(Category.objects.filter(parent__isnull=True)[:3])
    for scope in _scopes(cast, grids):
        for period in periods:
            problems += differences(scope, period, now=now)
        for root in roots:
            problems += differences(scope, periods[2], now=now, category=root.pk)
    assert problems == []

    # Every row of a year ranking (year rollups and year histograms per unit) equals its direct figures.
    user = WholeTree()
    compared = 0
    for scope in _scopes(cast, grids)[:4]:  # everything, district, street, community
        for period in periods[:3]:
            for row in selectors.ranking(scope, period, user):
                child = selectors.scope_for(user, row["key"])
                direct = direct_figures(child, period, now=now)
                for key in [*SHARED, "median_handling_days"]:
                    assert row[key] == direct[key], (child.name, period, key)
                compared += 1
    assert compared >= 12


def test_the_grid_map_equals_each_grids_direct_figures(cast: Cast) -> None:
    from linli.appeals.figures import HEADLINE_MEASURES as MAP_MEASURES
    from linli.appeals.figures import headline_figures as map_figures
    from linli.dashboard import selectors
    from linli.dashboard.checks import direct_figures
    from linli.dashboard.models import GridRollup

    days = [dt.date(2025, 12, 30), dt.date(2026, 2, 3), dt.date(2026, 9, 8), dt.date(2026, 10, 6)]
    grids, now = _lived(cast, seed=21, days=days, count=60, changed=25)
    assert GridRollup.objects.filter(grain="year").exists()
    user = WholeTree()
    periods = [*PERIODS, Period("custom", dt.date(2025, 1, 1), dt.date(2026, 9, 8))]

    def expected(scope: Scope, period: Period) -> dict[int, dict]:
        out = {}
        for g in grids:
            if not g.org_node.path.startswith(scope.path):
                continue
            grid_scope = Scope(level="grid", name=g.name, path=g.org_node.path, grid=g)
            d = direct_figures(grid_scope, period, now=now)
            if d["received"]:
                out[g.pk] = {k: d[k] for k in map_figures(dict.fromkeys(MAP_MEASURES, 0))}
        return out

    def check() -> None:
        for scope in _scopes(cast, grids)[:5]:  # everything, district, street, two communities
            for period in periods:
                assert selectors.grid_map(scope, period, user) == expected(scope, period), (
                    scope.name,
                    period,
                )

    check()
    # The migration's way (summing the facts) and the rebuild give the same rows as the deltas did.
    fields = ["grain", "start", "grid_id", "district_id", "street_id", "community_id", *MAP_MEASURES]
    incremental = sorted(tuple(r) for r in GridRollup.objects.filter(received__gt=0).values_list(*fields))
    services.rollups_rebuild(now=now)
    rebuilt = sorted(tuple(r) for r in GridRollup.objects.filter(received__gt=0).values_list(*fields))
    assert incremental == rebuilt
    check()
