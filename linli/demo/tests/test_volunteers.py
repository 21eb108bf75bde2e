"""The demo's volunteering part: six colours of teams in each community, a season lived through the services,
a ledger that sums to zero, branch ratings (most approved by the street)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.db.models import Sum

from linli.core.snapshots import snapshots_forget
from linli.demo.parts import DemoRun
from linli.demo.territory import demo_build
from linli.demo.volunteers import part
from linli.party.models import BranchMeeting, BranchStarRating
from linli.volunteers.models import Movement, PointsEntry, Signup, VolunteerTeam


@pytest.fixture
def run(db: None) -> Iterator[DemoRun]:
    snapshots_forget()
    demo = DemoRun(scale=0.05, seed=11, say=lambda _line: None)
    demo.district = demo_build(scale=0.05, seed=11)
    yield demo
    snapshots_forget()


def test_the_volunteering_demo(run: DemoRun) -> None:
    part(run)
    assert run.district is not None
    for community in run.district.communities:
        colours = set(VolunteerTeam.objects.filter(community=community).values_list("colour", flat=True))
        assert colours == {"red", "white", "orange", "yellow", "green", "blue"}
    states = set(Signup.objects.values_list("state", flat=True))
    assert {"done", "no_show", "confirmed"} <= states
    assert Movement.objects.aggregate(t=Sum("amount"))["t"] == 0
    assert Movement.objects.filter(transfer__category="elder_care").exists()
    assert PointsEntry.objects.exists() and BranchMeeting.objects.exists()
    ratings = BranchStarRating.objects.all()
    assert ratings.filter(state="approved").exists() and ratings.filter(stars__gte=1).exists()
