"""The demo's things and events: venues in every grid, a month of visits by each grid's worker."""

from __future__ import annotations

import io

import pytest
from django.utils import timezone

from linli.care.models import CareContact
from linli.demo.parts import DemoRun, demo_run
from linli.territory.models import Grid, Venue, Visit
from linli.territory.selectors import grid_profile

pytestmark = pytest.mark.django_db


def test_every_grid_has_venues_and_its_worker_logged_visits_this_month() -> None:
    run = demo_run(DemoRun(scale=0.05, seed=5, appeal_days=0, say=io.StringIO().write))
    assert run.district is not None
    grids = Grid.objects.all()
    assert all(Venue.objects.filter(grid=g).count() >= 4 for g in grids)
    staffed = [g for g in grids if g.workers.exists()]
    assert staffed and all(Visit.objects.filter(grid=g).exists() for g in staffed)
    visit = Visit.objects.select_related("grid").first()
    assert visit is not None and visit.visitor in visit.grid.workers.all()
    # the grid log spans this month; care's visits (recorded into the same log) go back to the start of care's month
    care_visits = CareContact.objects.filter(visit__isnull=False).values("visit")
    patrol = Visit.objects.exclude(pk__in=care_visits)
    assert patrol.exists() and all((timezone.now() - v.visited_at).days < 30 for v in patrol)
    profile = grid_profile(staffed[0])
    assert profile["venues"] >= 4 and profile["visits_30d"] >= 4
