"""The demo history: appeals in every state with a consistent trace."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from zoneinfo import ZoneInfo

import pytest
import time_machine

from linli.appeals.choices import OPEN_STATE_VALUES
from linli.appeals.jobs import JOBS
from linli.appeals.models import (
    Appeal,
    AppealEvent,
    AppealPart,
    AppealRating,
    CallbackTask,
    MonthlyTopic,
    TopicCandidate,
    WhistleRequest,
)
from linli.core.models import Notification, OutboxMessage
from linli.demo.appeals import build_history
from linli.demo.territory import demo_build
from linli.territory.models import Organisation


@pytest.mark.django_db
@time_machine.travel(dt.datetime(2026, 11, 23, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai")))
def test_demo_history_covers_the_states_with_a_trace_each() -> None:
    # The history is laid out backwards from now; a fixed "now" makes the generated mix the same on every run.
    demo_build(scale=0.05, seed=1)
    history = build_history(days=90, seed=3, per_day=4)
    assert history.appeals == 360
    states = set(Appeal.objects.values_list("state", flat=True))
    assert {"accepted", "dispatched", "in_progress", "resolved", "closed"} <= states
    assert len(states) >= 7
    assert all(
        re.fullmatch(r"LL\d{8}-\d{6}", n) for n in Appeal.objects.values_list("tracking_number", flat=True)
    )
    # Every appeal starts with a submit event, and its last event leads to its current state.
    for appeal in Appeal.objects.prefetch_related("events")[:120]:
        events = list(appeal.events.all())
        assert events[0].action == "submit"
        assert events[-1].to_state == appeal.state
    # Closed ones carry an outcome; closed-without-fix outcomes are present and distinct from fixed.
    outcomes = set(Appeal.objects.filter(state="closed").values_list("outcome", flat=True))
    assert "" not in outcomes
    assert {"fixed", "not_our_responsibility", "withdrawn"} <= outcomes
    assert AppealEvent.objects.filter(action="breach").exists()
    # Lived through the services over the past months, with the worker's jobs and the whistle among them.
    now = dt.datetime(2026, 11, 23, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
    created = list(Appeal.objects.values_list("created_at", flat=True))
    assert min(created) < now - dt.timedelta(days=80) and max(created) <= now
    assert not AppealEvent.objects.filter(at__gt=now).exists()
    actions = set(AppealEvent.objects.values_list("action", flat=True))
    assert {
        "acknowledge",
        "contact",
        "start",
        "resolve",
        "rate",
        "close",
        "warn",
        "answer",
        "withdraw",
    } <= actions
    assert AppealPart.objects.exists() and CallbackTask.objects.exists()
    # 吹哨报到 ends as it does at work: once every summoned department has done its part the organising unit
    # resolves the appeal, and the resident's rating counts for the departments too (the overview's 部门满意度).
    whistled = Appeal.objects.filter(parts__isnull=False).distinct()
    all_done = whistled.exclude(parts__done_at__isnull=True).exclude(
        parts__done_at__gt=now - dt.timedelta(days=1)
    )
    assert all_done.exists()
    assert not all_done.filter(state__in=OPEN_STATE_VALUES).exists()
    assert AppealRating.objects.filter(appeal__in=whistled).exists()
    # Some summonses are still open today, 城管委's (the first department) among them, so a department handler
    # finds work in their 吹哨协办 tab; some came from a grid worker through the community (网格吹哨).
    owed = AppealPart.objects.filter(
        done_at__isnull=True, withdrawn_at__isnull=True, appeal__state__in=OPEN_STATE_VALUES
    )
    first = Organisation.objects.filter(kind="department").first()
    assert owed.filter(organisation=first).exists() and owed.exclude(organisation=first).exists()
    assert WhistleRequest.objects.filter(status="summoned").exists()
    # Residents rate as they do: mostly satisfied, some basically, a few unsatisfied even after the rework (their
    # latest rating is what the satisfaction rate counts).
    latest = dict(AppealRating.objects.order_by("appeal_id", "round").values_list("appeal_id", "value"))
    ratings = Counter(latest.values())
    assert ratings["satisfied"] > 2 * ratings["basically"] > 0 and ratings["unsatisfied"] > 0
    assert 0.85 < (ratings["satisfied"] + ratings["basically"]) / len(latest) < 1
    assert AppealRating.objects.filter(round=2).values("value").distinct().count() >= 2
    # Staff have read their older notifications; the last two days' are new.
    assert not Notification.objects.filter(
        read_at__isnull=True, created_at__lt=now - dt.timedelta(days=2)
    ).exists()
    assert Notification.objects.filter(read_at__isnull=True).exists()
    # 每月一题 is not empty: residents of a compound raise the same trouble again and again, the weekly job finds
    # it, and the street adopts it with a plan, as on the topics page.
    found = {c.title.split(" · ")[-1]: c for c in TopicCandidate.objects.all()}
    assert {"东门垃圾站又满了", "地下车库一下雨就积水", "夜里工地施工噪音"} <= found.keys()
    waste = found["东门垃圾站又满了"]
    assert waste.count >= 5 and waste.previous_count >= 2
    assert len({a.grid_id for a in waste.appeals.all()}) == 1
    topics = {t.title.split(" · ")[-1]: t for t in MonthlyTopic.objects.select_related("street")}
    assert set(topics) == {"东门垃圾站又满了", "地下车库一下雨就积水"} and history.topics == 2
    assert (
        topics["东门垃圾站又满了"].status == "in_progress"
        and topics["地下车库一下雨就积水"].status == "adopted"
    )
    assert all(t.plan and t.owner_id and t.street.kind == "street" for t in topics.values())
    assert history.candidates == TopicCandidate.objects.count()
    # Made-up residents get no text messages.
    assert not OutboxMessage.objects.filter(channel="sms").exists()
    # The demo did what the worker's jobs would have done: run at the time of the last step, they find nothing.
    last = AppealEvent.objects.order_by("-at").values_list("at", flat=True).first()
    assert last is not None
    before = (AppealEvent.objects.count(), Notification.objects.count())
    with time_machine.travel(last, tick=False):
        for name, job in JOBS.items():
            if name != "appeals.topics":
                job()
    assert (AppealEvent.objects.count(), Notification.objects.count()) == before
