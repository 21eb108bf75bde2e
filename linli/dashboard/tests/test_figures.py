"""Each figure worked out by hand on a fixed set of appeals equals the dashboard's and appeals.figures'."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from linli.appeals import figures as appeal_figures
from linli.appeals.figures import FIGURE_NAMES as SHARED
from linli.appeals.figures import bucket_of, median_from_histogram
from linli.appeals.models import Appeal
from linli.dashboard import services
from linli.dashboard.checks import direct_figures
from linli.dashboard.periods import Period
from linli.dashboard.selectors import Scope, by_category, figures, overview, ranking, trend
from linli.testing import Cast

from . import fixed_set

pytestmark = pytest.mark.django_db
SEPT = Period("month", dt.date(2026, 9, 1), dt.date(2026, 9, 30))


def _district(cast: Cast) -> Scope:
    cast.district.refresh_from_db()
    return Scope(level="district", name="d", path=cast.district.path, node=cast.district)


def test_every_figure_of_the_district_matches_the_hand_count(cast: Cast) -> None:
    fixed_set.build(cast)
    services.rollups_refresh_all()
    f = figures(_district(cast), SEPT)
    assert f["received"] == 8
    assert f["counted"] == 6  # a duplicate and a withdrawn appeal are not counted
    assert (f["duplicates"], f["withdrawn"]) == (1, 1)
    assert f["open"] == 1 and f["overdue_open"] == 1  # A4, past its deadline
    assert f["concluded"] == 5 and f["fixed"] == 4 and f["closed_without_fix"] == 1
    assert f["response_rate"] == round(4 / 6, 4)  # A2 acknowledged late, A4 never
    assert f["resolution_rate"] == 0.8
    assert f["on_time_rate"] == 0.5  # A1, A3, B1 of the five concluded and A4, open past its deadline
    assert f["rated"] == 4
    assert f["satisfaction_rate"] == 0.75  # A2's latest rating is unsatisfied
    assert f["satisfied_rate"] == 0.5
    # Working days: A1 1.0, A2 2.0, A3 0.5, A5 3.0, B1 0.6667 → mean 1.4333; median on the 0.1 grid = 1.0.
    assert f["avg_handling_days"] == 1.43
    assert f["median_handling_days"] == 1.0
    assert f["return_rate"] == 0.2
    assert f["rework_rate"] == 0.2
    assert f["closed_at_tier"] == {"grid": 0.6, "community": 0.2, "street": 0.2}
    assert f["grassroots_share"] == 0.6
    assert f["community_share"] == 0.8
    assert f["breached"] == 1


def test_dashboard_figures_equal_appeals_figures(cast: Cast) -> None:
    fixed_set.build(cast)
    services.rollups_refresh_all()
    now = timezone.now()
    theirs = appeal_figures.compute(Appeal.objects.all(), start=SEPT.start, end=SEPT.end, now=now).as_dict()
    theirs["closed_at_tier"] = {(k or "none"): v for k, v in theirs["closed_at_tier"].items()}
    mine = figures(_district(cast), SEPT)
    assert {k: mine[k] for k in SHARED} == {k: theirs[k] for k in SHARED}
    # Their median uses unrounded times; on this set both give 1.0.
    assert mine["median_handling_days"] == theirs["median_handling_days"]
    assert mine == {**mine, **{k: direct_figures(_district(cast), SEPT, now=now)[k] for k in SHARED}}


def test_community_and_ranking_and_categories(cast: Cast) -> None:
    fixed_set.build(cast)
    services.rollups_refresh_all()
    cast.street.refresh_from_db()
    street = Scope(level="street", name="s", path=cast.street.path, node=cast.street)
    rows = {r["name"]: r for r in ranking(street, SEPT, cast.district_leader)}
    assert rows["幸福社区"]["received"] == 6 and rows["光明社区"]["received"] == 2
    assert rows["幸福社区"]["resolution_rate"] == 0.75 and rows["光明社区"]["resolution_rate"] == 1.0
    assert rows["幸福社区"]["median_handling_days"] == 1.5  # buckets 5, 10, 20, 30 → (10 + 20) / 2 / 10
    cats = {c["code"]: c for c in by_category(street, SEPT)}
    assert cats["property_management"]["received"] == 4 and cats["environment"]["received"] == 4
    days = {p["start"]: p["received"] for p in trend(street, SEPT, step="week")}
    assert days == {"2026-08-31": 3, "2026-09-07": 5, "2026-09-14": 0, "2026-09-21": 0, "2026-09-28": 0}


def test_median_on_the_grid_rounds_half_up_and_averages_the_middle_pair() -> None:
    assert bucket_of(1620) == 1 and bucket_of(1619) == 0  # 0.05 day rounds up to 0.1
    assert median_from_histogram({}) is None
    assert median_from_histogram({5: 1, 7: 1, 10: 1}) == 0.7
    assert median_from_histogram({5: 2, 10: 2}) == 0.75


def test_the_overview_takes_a_fixed_number_of_queries(cast: Cast, django_assert_num_queries) -> None:  # type: ignore[no-untyped-def]
    fixed_set.build(cast)
    services.rollups_refresh_all()
    cast.street.refresh_from_db()
    street = Scope(level="street", name="s", path=cast.street.path, node=cast.street)
    year = Period("year", dt.date(2026, 1, 1), dt.date(2026, 12, 31))
    # totals+trend+categories, median, category names, child units, their sums, their medians, "as of".
    with django_assert_num_queries(7):
        data = overview(street, year, cast.district_leader)
    assert data["figures"]["received"] == 8 and len(data["ranking"]) == 2
    assert sum(c["received"] for c in data["categories"]) == 8
    assert sum(p["received"] for p in data["trend"]) == 8 and data["step"] == "month"


def test_the_grid_map_figures_are_the_dashboard_figures() -> None:
    import random

    from linli.appeals.figures import HEADLINE_MEASURES as MAP_MEASURES
    from linli.appeals.figures import MEASURES, figures_from
    from linli.appeals.figures import headline_figures as map_figures

    rng = random.Random(2)
    for _ in range(200):
        sums = {m: rng.choice([0, 0, 1, 3, 17, 250]) for m in MEASURES}
        full = figures_from(sums)
        small = map_figures({m: sums[m] for m in MAP_MEASURES})
        assert small == {k: full[k] for k in small}
        assert set(small) >= {"received", "overdue_open", "response_rate", "satisfaction_rate"}
