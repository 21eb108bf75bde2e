"""A grid worker reading the overview of the compound their grid lies in: the figures count every appeal of the
compound, but the worker opens only those of their own grid. The overdue table links only what opens (a link to
another grid's appeal was a 404 page), and the list behind a figure says how many of its appeals the reader
cannot open (it said "0 appeals" under a figure of 1)."""

from __future__ import annotations

import pytest

from linli.appeals.models import Category
from linli.dashboard import services
from linli.testing import Cast, make_neighbour, signed_in

from . import fixed_set
from .factories import make_appeal

pytestmark = pytest.mark.django_db
SEPT = "period=month&date=2026-09-01"


@pytest.fixture
def appeals(cast: Cast) -> dict:
    appeals = fixed_set.build(cast)
    neighbour = make_neighbour(cast)
    appeals["N1"] = make_appeal(
        grid=neighbour.grid,
        org_path=cast.compound.path,
        created=fixed_set.t(7, 11),
        category=Category.objects.get(code="environment.noise"),
        state="dispatched",
        dispatched_at=fixed_set.t(7, 11, 5),
        ack_due_at=fixed_set.t(7, 13),
        resolve_due_at=fixed_set.t(8, 11),
        breached_at=fixed_set.t(8, 11),
    )
    services.rollups_refresh_all()
    return appeals


def test_the_overdue_table_links_only_the_appeals_the_reader_opens(cast: Cast, appeals: dict) -> None:
    c = signed_in(cast.grid_worker)
    html = c.get(f"/dashboard/?unit=n{cast.compound.pk}&{SEPT}").content.decode()
    start = html.index('id="overdue-table"')
    table = html[start : html.index("</table>", start)]
    mine, theirs = appeals["A4"], appeals["N1"]
    assert f'href="/appeals/{mine.pk}/"' in table
    assert theirs.tracking_number in table  # counted in the figure, so listed
    assert f'href="/appeals/{theirs.pk}/"' not in table  # but not a link to a 404 page
    assert c.get(f"/appeals/{theirs.pk}/").status_code == 404
    assert "不在您的查看范围" in table


def test_the_list_behind_a_figure_says_how_many_the_reader_cannot_open(cast: Cast, appeals: dict) -> None:
    c = signed_in(cast.grid_worker)
    html = c.get(f"/dashboard/appeals/?unit=n{cast.compound.pk}&measure=overdue&{SEPT}").content.decode()
    assert appeals["A4"].tracking_number in html
    assert appeals["N1"].tracking_number not in html
    assert "另有 1 件诉求不在您的查看范围内" in html
    # The community worker opens all of them and is told nothing more.
    full = signed_in(cast.community_worker)
    html = full.get(f"/dashboard/appeals/?unit=n{cast.compound.pk}&measure=overdue&{SEPT}").content.decode()
    assert appeals["N1"].tracking_number in html and "不在您的查看范围内" not in html
