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
from linli.appeals.choices import Priority
from linli.appeals.models import Appeal, AppealEvent, Category
from linli.core.models import Notification, OutboxChannel
from linli.core.outbox import notifications_mark_read, outbox_discard
from linli.territory.models import Grid

from ..catalogue import demo_catalogue
from .cast import _Cast, _cast, _Clock, _office_time
from .life import _Life
from .texts import APPEALS_PER_DAY, CHANNELS, KINDS, RURAL, RURAL_CATEGORIES, VAGUE, _pick, _texts

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
        plans = sorted(
            (_office_time(rng, (now - dt.timedelta(days=rng.uniform(0, days))).date()), i)
            for i in range(total)
        )
        history = History(appeals=total)
        recent = 0
        with time_machine.travel(now, tick=False) as traveller:
            clock = _Clock(traveller, now)
            for created, _i in plans:
                if created > now:
                    created = now - dt.timedelta(minutes=rng.randrange(5, 300))
                force = ""
                if now - created < dt.timedelta(days=4):
                    # Recent appeals cycle through the states that only recent work can be in.
                    force = ("accepted", "returned", "waiting", "withdrawn", "", "", "")[recent % 7]
                    recent += 1
                clock.at(created)
                appeal = _submit(rng, cast, rng.choice(grids), rng.choice(texts), vague=force == "accepted")
                life = _Life(rng, clock, cast, appeal)
                life.live(force)
                life.afterwards(force)
                life.until_now()
            clock.at(now)
            _read_old_notifications(before=now - dt.timedelta(days=2))
        outbox_discard(channel=OutboxChannel.SMS, recipients=cast.phones)
        demo = Appeal.objects.filter(pk__gte=first_appeal)
        history.events = AppealEvent.objects.filter(appeal__in=demo).count()
        history.states = Counter(demo.values_list("state", flat=True))
        history.outcomes = Counter(o or "-" for o in demo.values_list("outcome", flat=True))
    history.seconds = time.perf_counter() - started
    return history


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
