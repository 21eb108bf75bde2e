"""The demo's co-governance part: meetings in every stage, the hall, an owners' vote, results rolled up."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine

from linli.accounts.models import User
from linli.core.models import Notification
from linli.deliberation.models import Ballot, Comment, Meeting, Result, Topic, Vote
from linli.deliberation.selectors import meetings_visible_to, topics_visible_to, vote_tally, votes_visible_to
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
        "file",  # the street's queue of filings waiting had nothing in it
        "filed",
    }
    returned = Meeting.objects.get(stage="evaluate")
    assert returned.filing_note and returned.events.filter(action="return_filing").exists()
    assert set(Result.objects.values_list("status", flat=True)) == {
        "planned",
        "in_progress",
        "done",
        "dropped",
    }
    # A topic raised in the hall became an agenda item; the decision answers it and its followers were told.
    answered = Topic.objects.get(title="楼道里堆满杂物，消防通道被堵")
    decision = answered.answers.get()
    assert decision.item.sources.filter(topic=answered).exists()
    assert Notification.objects.filter(user=answered.author, url__endswith=f"/topics/{answered.pk}/").exists()
    # The yard meeting's secretary added a question of her own to the survey; households answered it.
    yard = Meeting.objects.get(title="北门道路硬化坝坝会")
    assert [q.text for q in yard.questions.all()][-1] == "施工期间出行是否得到妥善安排？"
    assert yard.ratings.exists() and all(r.answers.count() == 4 for r in yard.ratings.all())
    assert Result.objects.exclude(escalated_to="").exists()
    for parent in Result.objects.filter(children__isnull=False).distinct():
        children = list(parent.children.exclude(status="dropped"))  # a dropped part leaves the mean
        total = sum(c.weight for c in children)
        assert parent.progress == round(sum(c.weight * c.progress for c in children) / total)
    owners = Vote.objects.filter(method="owners", status="closed").get()
    tally = vote_tally(owners)
    assert tally.owners is not None and tally.owners.participation
    assert Ballot.objects.filter(is_paper=True).exists()
    assert Topic.objects.filter(moderation="removed").exists()
    assert Comment.objects.filter(moderation="hidden").exists()
    assert said and "8 场会议" in said[0]
    # The second community (光华里, the demo party secretary's) holds its own meetings and has a hall of its own.
    second = run.district.communities[1]
    worker = User.objects.get(username=run.district.usernames["community_worker"][1])
    theirs = meetings_visible_to(worker)
    assert {m.stage for m in theirs} >= {"filed", "deliberate"} and all(m.node == second for m in theirs)
    assert topics_visible_to(worker).filter(comments__isnull=False).exists()
    assert votes_visible_to(worker).filter(n_ballots__gt=0).exists()
    secretary = User.objects.filter(username="secretary1").first()
    if secretary is not None:  # the branch secretary reads the community's hall and meetings as a resident
        assert topics_visible_to(secretary).exists() and meetings_visible_to(secretary).exists()
    # Every vote has ballots, and the closed ones were voted by as many households as a neighbourhood vote gets
    # with the grid workers' doorstep ballots (the parcel lockers' had 12 of 251: the online residents only).
    for vote in Vote.objects.all():
        tally = vote_tally(vote)
        assert tally.ballots, vote.title
        if vote.status == "closed":
            assert tally.participation >= 0.4, (vote.title, tally.ballots, tally.eligible)
