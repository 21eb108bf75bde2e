"""The overview's "在工作台中查看这些诉求" opens the workbench on the appeals the figures count: those received in the
period shown, of its category. It sent state=all, which the workbench's 辖区全部 tab refused ("all 不在可用的选项中")
and then listed every appeal ever received."""

from __future__ import annotations

import re

import pytest

from linli.dashboard import services
from linli.testing import Cast, signed_in

from . import fixed_set
from .factories import make_appeal

pytestmark = pytest.mark.django_db


def _link(html: str) -> str:
    found = re.search(r'<a href="([^"]+)">在工作台中查看这些诉求</a>', html)
    assert found, "the overview offers the workbench"
    return found.group(1).replace("&amp;", "&")


def test_the_workbench_link_lists_the_appeals_of_the_period(cast: Cast) -> None:
    appeals = fixed_set.build(cast)
    october = make_appeal(
        grid=cast.grid,
        org_path=cast.compound.path,
        created=fixed_set.t(30, 10).replace(month=10),
        category=None,
    )
    services.rollups_refresh_all()
    c = signed_in(cast.district_leader)
    html = c.get("/dashboard/?period=month&date=2026-09-01").content.decode()
    page = c.get(_link(html)).content.decode()
    assert "不在可用的选项中" not in page
    listed = set(re.findall(r"T\d{12}", page))
    assert listed == {a.tracking_number for a in appeals.values()}  # the 8 received in September
    assert october.tracking_number not in listed


def test_the_workbench_takes_state_all_on_every_tab(cast: Cast) -> None:
    c = signed_in(cast.community_worker)
    page = c.get("/appeals/workbench/?tab=all&state=all").content.decode()
    assert "不在可用的选项中" not in page


def test_a_unit_drilled_down_to_offers_no_workbench_link_that_would_list_the_whole_area(cast: Cast) -> None:
    fixed_set.build(cast)
    services.rollups_refresh_all()
    c = signed_in(cast.street_officer)
    assert "在工作台中查看这些诉求" in c.get("/dashboard/?period=month&date=2026-09-01").content.decode()
    community = c.get(f"/dashboard/?unit=n{cast.community.pk}&period=month&date=2026-09-01").content.decode()
    assert "在工作台中查看这些诉求" not in community
    grid = c.get(f"/dashboard/?unit=g{cast.grid.pk}&period=month&date=2026-09-01").content.decode()
    assert f"grid={cast.grid.code}" in _link(grid)
