"""A department's handler works appeals of grids it is not placed over: the workbench's filters offer no grid
drop-down to it (it would list nothing), while the grid and community staff keep theirs."""

from __future__ import annotations

import re

import pytest

from linli.testing import Cast, signed_in

pytestmark = pytest.mark.django_db


def _grid_select(page: str) -> str | None:
    found = re.search(r'<select name="grid".*?</select>', page, re.S)
    return found.group(0) if found else None


def test_a_department_handlers_workbench_shows_no_empty_grid_drop_down(cast: Cast) -> None:
    page = signed_in(cast.department_handler).get("/appeals/workbench/?tab=all").content.decode()
    assert 'name="q"' in page  # the filters are there
    assert _grid_select(page) is None


def test_the_community_workers_workbench_keeps_its_grids(cast: Cast) -> None:
    page = signed_in(cast.community_worker).get("/appeals/workbench/?tab=all").content.decode()
    select = _grid_select(page)
    assert select is not None and cast.grid.code in select
