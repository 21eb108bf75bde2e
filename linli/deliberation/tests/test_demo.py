"""The demo's co-governance part: meetings in every stage, the hall, an owners' vote, results rolled up."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine

from linli.deliberation.models import Ballot, Comment, Meeting, Result, Topic, Vote
from linli.deliberation.selectors import vote_tally
from linli.demo import deliberation
from linli.demo.parts import DemoRun
from linli.demo.territory import demo_build


@pytest.mark.django_db
@time_machine.travel(dt.datetime(2026, 11, 23, 15, 0, tzinfo=ZoneInfo("Asia/Shanghai")))
def test_demo_season_has_meetings_in_every_stage_and_an_owners_vote() -> None:
    said: list[str] = []
    run = DemoRun(scale=0.05, seed=2, say=said.append)
    run.district = demo_build(scale=0.05, seed=2)
    deliberation.part(run)
    assert set(Meeting.objects.values_list("stage", flat=True)) == {
        "collect",
        "deliberate",
        "implement",
        "evaluate",
        "filed",
    }
    returned = Meeting.objects.get(stage="evaluate")
    assert returned.filing_note and returned.events.filter(action="return_filing").exists()
    assert set(Result.objects.values_list("status", flat=True)) >= {"planned", "in_progress", "done"}
    assert Result.objects.exclude(escalated_to="").exists()
    for parent in Result.objects.filter(children__isnull=False).distinct():
        children = list(parent.children.all())
        total = sum(c.weight for c in children)
        assert parent.progress == round(sum(c.weight * c.progress for c in children) / total)
    owners = Vote.objects.filter(method="owners", status="closed").get()
    tally = vote_tally(owners)
    assert tally.owners is not None and tally.owners.participation
    assert Ballot.objects.filter(is_paper=True).exists()
    assert Topic.objects.filter(moderation="removed").exists()
    assert Comment.objects.filter(moderation="hidden").exists()
    assert said and "5" in said[0]
