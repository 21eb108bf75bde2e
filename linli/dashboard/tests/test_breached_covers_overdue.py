"""曾超期 (missed the deadline at some point: still open, or concluded late) counts every appeal of 超期在办 (open
and past its deadline), even before the worker has marked the breach: the wall screen showed 超期在办 9 beside
曾超期 5, the fire alarms' work orders past their deadline not yet marked."""

from __future__ import annotations

import pytest

from linli.appeals.models import Category
from linli.dashboard import services
from linli.testing import Cast, signed_in

from . import fixed_set
from .factories import make_appeal
from .test_views import SEPT, _figure

pytestmark = pytest.mark.django_db


def test_an_overdue_appeal_not_yet_marked_is_counted_as_breached(cast: Cast) -> None:
    appeals = fixed_set.build(cast)
    unmarked = make_appeal(
        grid=cast.grid,
        org_path=cast.compound.path,
        created=fixed_set.t(20, 10),
        category=Category.objects.get(code="environment.noise"),
        state="acknowledged",
        dispatched_at=fixed_set.t(20, 10, 5),
        acknowledged_at=fixed_set.t(20, 10, 10),
        resolve_due_at=fixed_set.t(21, 10),  # past, and no breached_at: the worker has not run since
    )
    services.rollups_refresh_all()
    c = signed_in(cast.district_leader)
    html = c.get(f"/dashboard/?{SEPT}").content.decode()
    assert _figure(html, "overdue_open") == "2"  # A4 and the unmarked one
    assert _figure(html, "breached") == "2"  # A4 (marked) and the unmarked one
    behind = c.get(f"/dashboard/appeals/?measure=breached&{SEPT}").content.decode()
    assert unmarked.tracking_number in behind and appeals["A4"].tracking_number in behind
