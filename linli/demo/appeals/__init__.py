"""Demo appeal history: `build_history(days=90)` fills the demo district with appeals in every state.

Every appeal is lived through the real services of `linli.appeals.services`, with the clock moved (time-machine)
to the time of each step, so the history spans the past `days` and reads exactly as real work would: a resident
submits (the catalogue routes it), the unit acknowledges, contacts, starts, sometimes returns it, waits on the
resident, summons departments (吹哨) who report in and complete their parts, asks for more time; the worker's
jobs mark breaches (escalating when the rule says so) and open callbacks; the resident rates (unsatisfied ones
are reworked), withdraws, or a neighbour's duplicate is merged. A change to a service shows in the demo.

Speed (540 appeals, about 5,500 steps, are most of `make run`'s first start; bench/demo_setup.py times it): rows the demo reads once (grids, units,
categories, rules) are handed to the appeals it reads again, and at a job's due time the demo checks that job's
filter on the one appeal it is living and calls the job's service, instead of a worker pass over the table.

Texts come from the triage starter corpus, so every appeal reads like a real one and carries its true category.
Made-up residents get no text messages: the SMS the services queue for them are dropped before the commit.

The package: `texts` (what appeals say, the mix of kinds, channels and outcomes), `cast` (who acts, the moved
clock), `life` (one appeal lived step by step); here `build_history` and the demo part.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import time_machine
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone
from django.utils.translation import gettext as _

from linli.accounts.models import User
from linli.appeals import services
from linli.appeals.choices import Priority, Tier
from linli.appeals.models import Appeal, AppealEvent, Category, TopicCandidate, WhistleRequest
from linli.appeals.services.topics import PERIOD_DAYS, iso_week
from linli.core.models import Notification, OutboxChannel
from linli.core.outbox import notifications_mark_read, outbox_discard
from linli.core.workdays import add_working_time
from linli.territory.models import Grid

from ..catalogue import demo_catalogue
from .cast import _Cast, _cast, _Clock, _office_time
from .life import _Life
from .texts import (
    APPEALS_PER_DAY,
    CHANNELS,
    KINDS,
    RECURRING,
    RURAL,
    RURAL_CATEGORIES,
    VAGUE,
    _pick,
    _texts,
)

if TYPE_CHECKING:
    from ..parts import DemoRun

__all__ = ["APPEALS_PER_DAY", "RURAL", "RURAL_CATEGORIES", "History", "_texts", "build_history", "part"]


@dataclass
class History:
    appeals: int = 0
    events: int = 0
    seconds: float = 0.0
    states: Counter[str] = field(default_factory=Counter)
    outcomes: Counter[str] = field(default_factory=Counter)
    candidates: int = 0  # recurring problems the weekly job found (每月一题 candidates)
    topics: int = 0  # of them adopted by their street as this month's topic


def build_history(*, days: int = 90, seed: int = 0, per_day: float = APPEALS_PER_DAY) -> History:
    """About `per_day` appeals a day over the last `days` days, in every state, for the demo district."""
    started = time.perf_counter()
    rng = random.Random(seed)
    # Made-up residents get no text messages: none is sent at the commit, and those queued are dropped below.
    with transaction.atomic(), override_settings(LINLI_OUTBOX_SEND_ON_COMMIT=False):
        services.category_sync_defaults()
        services.sla_sync_defaults()
        demo_catalogue()
        cast = _cast()
        grids = cast.grids
        categories = set(Category.objects.values_list("code", flat=True))
        texts = [t for t in _texts() if t[2] in categories]
        first_appeal = (Appeal.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
        now = timezone.now()
        total = int(days * per_day)
        recurring = _recurring(rng, grids, categories, now=now, days=days) if total >= 100 else []
        plans: list[tuple[dt.datetime, int, _Said | None]] = sorted(
            [
                (_office_time(rng, (now - dt.timedelta(days=rng.uniform(0, days))).date()), i, None)
                for i in range(total - len(recurring))
            ]
            + [(created, total + n, said) for n, (created, said) in enumerate(recurring)]
        )
        history = History(appeals=total)
        recent = 0
        grid_asked = False  # a grid worker has asked the community to summon departments (网格吹哨)
        with time_machine.travel(now, tick=False) as traveller:
            clock = _Clock(traveller, now)
            for created, _i, said in plans:
                if created > now:
                    created = now - dt.timedelta(minutes=rng.randrange(5, 300))
                force = ""
                if now - created < dt.timedelta(days=4) and said is None:
                    # Recent appeals cycle through the states that only recent work can be in, summonses still
                    # open among them.
                    force = ("accepted", "returned", "waiting", "withdrawn", "", "whistle", "", "")[
                        recent % 8
                    ]
                    recent += 1
                clock.at(created)
                grid, text = said or (rng.choice(grids), rng.choice(texts))
                appeal = _submit(rng, cast, grid, text, vague=force == "accepted")
                # Until one has, a grid appeal taken up on a working day well before now is summoned on purpose,
                # so that the history holds a grid worker's whistle request the community acted on (网格吹哨).
                if (
                    force == ""
                    and not grid_asked
                    and appeal.tier == Tier.GRID
                    and add_working_time(created, hours=2) < now - dt.timedelta(days=1, hours=12)
                ):
                    force = "whistle"
                life = _Life(rng, clock, cast, appeal)
                life.live(force)
                if force == "whistle" and not grid_asked:
                    grid_asked = WhistleRequest.objects.filter(appeal_id=appeal.pk).exists()
                life.afterwards(force)
                life.until_now()
            clock.at(now)
            _read_old_notifications(before=now - dt.timedelta(days=2))
            if recurring:
                history.candidates, history.topics = _monthly_topics(cast)
        outbox_discard(channel=OutboxChannel.SMS, recipients=cast.phones)
        demo = Appeal.objects.filter(pk__gte=first_appeal)
        history.events = AppealEvent.objects.filter(appeal__in=demo).count()
        history.states = Counter(demo.values_list("state", flat=True))
        history.outcomes = Counter(o or "-" for o in demo.values_list("outcome", flat=True))
    history.seconds = time.perf_counter() - started
    return history


# A recurring problem's appeal: where (its compound's grid) and what is said (title, description, category).
type _Said = tuple[Grid, tuple[str, str, str]]


def _recurring(
    rng: random.Random, grids: list[Grid], categories: set[str], *, now: dt.datetime, days: int
) -> list[tuple[dt.datetime, _Said]]:
    """When each resident raises one of the RECURRING problems, each problem in a compound of its own: as often
    as it says in the last four weeks (the weekly job's period) and, where the history reaches back that far, in
    the four weeks before (the trend the candidate shows)."""
    period = PERIOD_DAYS
    problems = [p for p in RECURRING if p[0] in categories]
    if days < period or len(grids) < len(problems):
        return []
    said: list[tuple[dt.datetime, _Said]] = []
    for grid, (code, title, words, recent, before, _plan) in zip(
        rng.sample(grids, len(problems)), problems, strict=True
    ):
        earlier = before if days >= 2 * period else 0
        for n in range(recent + earlier):
            back = rng.uniform(1, period - 1) if n < recent else rng.uniform(period + 1, 2 * period - 1)
            created = _office_time(rng, (now - dt.timedelta(days=back)).date())
            said.append((created, (grid, (title, words[n % len(words)], code))))
    return said


def _monthly_topics(cast: _Cast) -> tuple[int, int]:
    """The weekly job run now finds the recurring problems; each street adopts those its plan is written for
    (the first it has started on), as a street officer would on the topics page. Returns (candidates, topics)."""
    services.topics_compute()
    week = iso_week(timezone.localdate())
    candidates = TopicCandidate.objects.filter(week=week).select_related("street")
    topics = 0
    for _code, title, _words, _recent, _before, plan in RECURRING:
        candidate = candidates.filter(title__endswith=f" · {title}").first()
        officers = cast.staff_by_node.get(candidate.street_id or 0, []) if candidate else []
        if not plan or candidate is None or not officers:
            continue
        topic = services.candidate_adopt(actor=officers[0], candidate=candidate, plan=plan)
        if topics == 0:
            services.topic_start(actor=officers[0], topic=topic)
        topics += 1
    return candidates.count(), topics


def _read_old_notifications(*, before: dt.datetime) -> None:
    """Staff have read what reached their inbox before `before`: only the last days' notifications are new."""
    unread = Notification.objects.filter(created_at__lt=before, read_at__isnull=True)
    for user in User.objects.filter(pk__in=unread.values("user_id")):
        notifications_mark_read(actor=user, ids=list(unread.filter(user=user).values_list("pk", flat=True)))


def _submit(
    rng: random.Random, cast: _Cast, grid: Grid, text: tuple[str, str, str], *, vague: bool = False
) -> Appeal:
    """A resident's appeal through intake, which routes it by the catalogue (a vague one waits for triage)."""
    title, description, code = (*rng.choice(VAGUE), "") if vague else text
    kind = _pick(rng, KINDS)
    name, phone = cast.person(rng, grid)
    return services.appeal_submit(
        actor=None,
        kind=kind,
        title=(title or description[:30])[:100],
        description=description,
        channel=_pick(rng, CHANNELS),
        category_code=code,
        contact_name=name,
        contact_phone=phone,
        grid=grid,
        priority=Priority.EMERGENCY if rng.random() < 0.02 else Priority.NORMAL,
    )


def part(run: DemoRun) -> None:
    """The demo's appeals part: `appeal_days` of history over the district, as many a day as the scale gives."""
    if run.appeal_days <= 0:
        return
    history = build_history(
        days=run.appeal_days, seed=run.seed, per_day=APPEALS_PER_DAY * max(run.scale, 0.2)
    )
    run.say(
        _(
            "Appeal history: %(appeals)d appeals over %(days)d days (%(events)d trace events) in %(seconds).1f s."
        )
        % {
            "appeals": history.appeals,
            "days": run.appeal_days,
            "events": history.events,
            "seconds": history.seconds,
        }
    )
    if history.candidates:
        run.say(
            _("Monthly topics: %(candidates)d recurring problems found, %(topics)d adopted by their street.")
            % {"candidates": history.candidates, "topics": history.topics}
        )
