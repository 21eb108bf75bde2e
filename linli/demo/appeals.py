"""Demo appeal history: `build_history(days=90)` fills the demo district with appeals in every state.

Every appeal is lived through the real services of `linli.appeals.services`, with the clock moved (time-machine)
to the time of each step, so the history spans the past `days` and reads exactly as real work would: a resident
submits (the catalogue routes it), the unit acknowledges, contacts, starts, sometimes returns it, waits on the
resident, summons departments (吹哨) who report in and complete their parts, asks for more time; the worker's
jobs mark breaches (escalating when the rule says so) and open callbacks; the resident rates (unsatisfied ones
are reworked), withdraws, or a neighbour's duplicate is merged. A change to a service shows in the demo.

Speed (2,160 appeals, about 21,000 steps, are `make run`'s first start): rows the demo reads once (grids, units,
categories, rules) are handed to the appeals it reads again, and at a job's due time the demo checks that job's
filter on the one appeal it is living and calls the job's service, instead of a worker pass over the table.

Texts come from the triage starter corpus, so every appeal reads like a real one and carries its true category.
Made-up residents get no text messages: the SMS the services queue for them are dropped before the commit.
"""

from __future__ import annotations

import csv
import datetime as dt
import random
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

import time_machine
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone
from django.utils.translation import gettext as _

from linli.accounts.models import User
from linli.appeals import routing, services
from linli.appeals.choices import AppealState as S
from linli.appeals.choices import (
    Channel,
    Outcome,
    Priority,
    Rating,
    Tier,
)
from linli.appeals.jobs import APPEAL_JOBS, PART_JOBS
from linli.appeals.models import Appeal, AppealEvent, AppealPart, Category, SlaRule
from linli.core.errors import DomainError
from linli.core.models import Notification, OutboxChannel
from linli.core.outbox import notifications_mark_read, outbox_discard
from linli.core.roles import Role
from linli.core.workdays import add_working_time
from linli.territory.models import Grid, Organisation, OrgNode, Resident

from .catalogue import demo_catalogue

if TYPE_CHECKING:
    from .parts import DemoRun

CORPUS = Path(__file__).resolve().parent.parent / "triage" / "data" / "starter_corpus.csv"
FALLBACK = [
    (
        "楼道灯坏了",
        "3号楼2单元楼道灯坏了一个星期了，晚上很黑，老人上下楼不安全。",
        "property_management.property_service",
    ),
    ("小区垃圾清运不及时", "小区东门垃圾桶已经满了三天没人清运，味道很大。", "environment.waste"),
    ("夜间施工噪音", "工地每天晚上十一点以后还在施工，吵得孩子睡不着觉。", "environment.noise"),
    ("停水没有通知", "整栋楼停水两天了，没有任何通知，请尽快恢复供水。", "utilities.water_supply"),
    (
        "邻里漏水纠纷",
        "楼上卫生间漏水把我家天花板泡坏了，协商不成，请社区调解。",
        "public_safety.neighbour_disputes",
    ),
]
# Vague appeals with no category chosen: the classifier is not sure, so they wait in the triage queue.
VAGUE = [
    ("想反映个情况", "有个情况想反映一下，电话里说不清楚，麻烦工作人员联系我。"),
    ("咨询", "想咨询一下这个事情该找哪个部门，谢谢。"),
]
KINDS = [("complaint", 45), ("help", 30), ("consultation", 15), ("suggestion", 10)]
CHANNELS = [
    (Channel.WEB, 35),
    (Channel.QR, 15),
    (Channel.HOTLINE, 30),
    (Channel.PATROL, 15),
    (Channel.API, 5),
]
OUTCOMES = [
    (Outcome.FIXED, 86),
    (Outcome.NOT_OUR_RESPONSIBILITY, 6),
    (Outcome.NO_FURTHER_ACTION, 5),
    (Outcome.ANSWERED, 3),
]
NOTES = {
    Outcome.FIXED: "已现场处置完毕，问题已解决，并向诉求人反馈。",
    Outcome.ANSWERED: "已向诉求人详细解答相关政策。",
    Outcome.NOT_OUR_RESPONSIBILITY: "经核实属于私人产权范围，已告知诉求人处理途径。",
    Outcome.NO_FURTHER_ACTION: "经现场核查情况已消除，无需进一步处理。",
}


@dataclass
class History:
    appeals: int = 0
    events: int = 0
    seconds: float = 0.0
    states: Counter[str] = field(default_factory=Counter)
    outcomes: Counter[str] = field(default_factory=Counter)


def _texts() -> list[tuple[str, str, str]]:
    rows: list[tuple[str, str, str]] = []
    if CORPUS.exists():
        with CORPUS.open(encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                text = (row.get("text") or "").strip()
                if len(text) >= 5:
                    rows.append(((row.get("title") or "").strip(), text[:2000], row.get("category", "")))
    return rows or list(FALLBACK)


def _pick[T](rng: random.Random, weighted: list[tuple[T, int]]) -> T:
    return rng.choices([v for v, _w in weighted], weights=[w for _v, w in weighted])[0]


def _office_time(rng: random.Random, day: dt.date) -> dt.datetime:
    hour = rng.choices(range(7, 23), weights=[2, 6, 9, 9, 8, 5, 6, 8, 8, 7, 6, 5, 4, 3, 2, 1])[0]
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, rng.randrange(60))))


class _Clock:
    """The moved clock: `at(when)` sets it to `when` unless that is still in the future (then nothing happens)."""

    def __init__(self, traveller: time_machine.Traveller, now: dt.datetime) -> None:
        self.traveller = traveller
        self.now = now
        self.last = now

    def at(self, when: dt.datetime) -> bool:
        if when > self.now:
            return False
        self.traveller.move_to(when)
        self.last = when
        return True


@dataclass
class _Cast:
    """Who acts in the history: each unit's handler, the tier above's supervisor, the departments."""

    grid_workers: dict[int, User]  # grid pk → its worker
    staff_by_node: dict[int, list[User]]  # org node pk → community workers, street officer, district leader
    dept_handlers: dict[int, User]  # department pk → its handler
    departments: list[Organisation]
    people: dict[int, list[tuple[str, str]]]  # grid pk → (name, mobile) of residents who can be reached
    grids: list[Grid]
    phones: set[str] = field(
        default_factory=set
    )  # the mobiles given as contacts (made up: no SMS reaches them)
    # The rows appeals point at (grid, unit, category, deadline rule) by pk, read once: an appeal read again is
    # given these instead of joining five tables each time (the services' lock reuses what the copy holds).
    related: dict[str, dict[int, object]] = field(default_factory=dict)

    def attach(self, appeal: Appeal) -> Appeal:
        for name, rows in self.related.items():
            found = rows.get(getattr(appeal, f"{name}_id") or 0)
            if found is not None:
                setattr(appeal, name, found)
        return appeal

    def handler(self, appeal: Appeal) -> User | None:
        """The one who works on the appeal where it sits (None: the system acts, as the worker would)."""
        if appeal.tier == Tier.GRID:
            return self.grid_workers.get(appeal.grid_id or 0)
        if appeal.unit_org_id:
            return self.dept_handlers.get(appeal.unit_org_id)
        found = self.staff_by_node.get(appeal.unit_node_id or 0)
        return found[0] if found else None

    def supervisor(self, appeal: Appeal) -> User | None:
        """Staff of the tier above the appeal's unit (or the nearest tier above that has any)."""
        _tier, node = routing.tier_above(appeal.tier or Tier.GRID, grid=appeal.grid, node=appeal.unit_node)
        while node is not None:
            found = self.staff_by_node.get(node.pk)
            if found:
                return found[0]
            node = node.parent
        return None

    def person(self, rng: random.Random, grid: Grid) -> tuple[str, str]:
        name, phone = rng.choice(self.people.get(grid.pk) or [("市民", "13800000000")])
        self.phones.add(phone)
        return name, phone


def _cast() -> _Cast:
    grids = list(Grid.objects.select_related("org_node").prefetch_related("workers"))
    if not grids:
        raise RuntimeError("build the demo district first: no grids")
    staff_by_node: dict[int, list[User]] = {}
    for u in User.objects.filter(role__in=[Role.COMMUNITY_WORKER, Role.STREET_OFFICER, Role.DISTRICT_LEADER]):
        if u.org_node_id:
            staff_by_node.setdefault(u.org_node_id, []).append(u)
    people: dict[int, list[tuple[str, str]]] = {}
    for grid_id, name, phone in Resident.objects.exclude(phone="").values_list("grid_id", "name", "phone")[
        :30000
    ]:
        people.setdefault(grid_id, []).append((name, phone))
    related: dict[str, dict[int, object]] = {
        "grid": {g.pk: g for g in grids},
        "unit_node": dict(OrgNode.objects.in_bulk()),
        "unit_org": dict(Organisation.objects.in_bulk()),
        "category": dict(Category.objects.in_bulk()),
        "sla_rule": dict(SlaRule.objects.in_bulk()),
    }
    return _Cast(
        grid_workers={g.pk: workers[0] for g in grids if (workers := list(g.workers.all()))},
        staff_by_node=staff_by_node,
        dept_handlers={
            u.organisation_id: u
            for u in User.objects.filter(role=Role.DEPARTMENT_HANDLER, organisation__isnull=False)
            if u.organisation_id is not None
        },
        departments=list(Organisation.objects.filter(kind="department")),
        people=people,
        grids=grids,
        related=related,
    )


def build_history(*, days: int = 90, seed: int = 0, per_day: float = 24.0) -> History:
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


class _Life:
    """One appeal lived through the services, step by step with the clock moved to each step. Before every step
    the worker's jobs do what fell due meanwhile (deadline warnings and breaches, escalation on a breach when the
    rule says so, callbacks, closing rated appeals), through the services `linli worker` would have called."""

    def __init__(self, rng: random.Random, clock: _Clock, cast: _Cast, appeal: Appeal) -> None:
        self.rng, self.clock, self.cast, self.appeal = rng, clock, cast, appeal
        self.tried: set[tuple[str, dt.datetime]] = set()
        self.working = False  # acknowledged once: from then on the unit keeps working on it
        self.whistled = False  # departments summoned: their parts' clocks run too

    @property
    def handler(self) -> User | None:
        return self.cast.handler(self.appeal)

    def at(self, when: dt.datetime) -> bool:
        """Move the clock to `when` (the worker first does what falls due before); False if `when` is to come.
        Once the work has begun, an appeal the worker escalated meanwhile is first acknowledged by its new unit."""
        self._worker(min(when, self.clock.now))
        if not self.clock.at(max(when, self.clock.last)):
            return False
        if self.working and self.appeal.state == S.DISPATCHED:
            self.appeal = services.appeal_acknowledge(actor=self.handler, appeal=self.appeal)
        return True

    def until_now(self) -> None:
        self._worker(self.clock.now)

    def refresh(self) -> Appeal:
        self.appeal = self.cast.attach(Appeal.objects.get(pk=self.appeal.pk))
        return self.appeal

    def _due_jobs(self) -> list[tuple[dt.datetime, str]]:
        """When each of the worker's jobs may next find this appeal (or one of its summoned parts) due, tried once
        at each such time."""
        times = [(job.at(self.appeal), name) for name, job in APPEAL_JOBS.items()]
        if self.whistled and self.appeal.is_open:
            times += [(job.at(p), name) for p in self._live_parts() for name, job in PART_JOBS.items()]
        return [(t, name) for t, name in times if t is not None and (name, t) not in self.tried]

    def _live_parts(self) -> list[AppealPart]:
        return list(AppealPart.objects.filter(appeal_id=self.appeal.pk, withdrawn_at__isnull=True))

    def _worker(self, until: dt.datetime) -> None:
        while self.appeal.is_open or self.appeal.state in (S.RESOLVED, S.RATED):
            due = [(t, job) for t, job in self._due_jobs() if t < until]
            if not due:
                return
            when, job = min(due)
            self.tried.add((job, when))
            self.clock.at(max(when + dt.timedelta(minutes=1), self.clock.last))
            self._job(job)

    def _job(self, name: str) -> None:
        """What `linli worker` does when the job's filter finds this appeal (or one of its parts): the same filter
        (appeals/jobs.py), asked of the one appeal the demo lives instead of the whole table, and the same service."""
        now = timezone.now()
        if name in PART_JOBS:
            part_job = PART_JOBS[name]
            for p in self._live_parts():
                if part_job.finds(p, now):
                    try:
                        part_job.act(p)
                    except DomainError:  # the job skips the row as well
                        continue
            self.refresh()
            return
        job = APPEAL_JOBS[name]
        if not job.finds(self.appeal, now):
            return
        try:
            done = job.act(self.appeal)
        except DomainError:  # the job skips the row as well
            done = None
        if isinstance(done, Appeal):
            self.appeal = self.cast.attach(done)
        else:
            self.refresh()

    def live(self, force: str = "") -> None:
        """Handle the appeal until now or its resolution (`force`: stop it in that state)."""
        rng, created = self.rng, self.clock.last
        a = self.appeal
        if a.kind == "consultation" and a.channel == Channel.HOTLINE and rng.random() < 0.6:
            if self.at(created + dt.timedelta(minutes=rng.randrange(2, 15))):
                self.appeal = services.appeal_answer_on_first_contact(
                    actor=None, appeal=a, answer="已在电话中答复政策与办理流程。", channel=Channel.HOTLINE
                )
            return
        if a.state != S.DISPATCHED:
            return  # not routed: waits in the triage queue
        t = created
        # Returned: the unit says it is not theirs (5 %); the tier above sends it up.
        if rng.random() < 0.05 or force == "returned":
            if not self.at(t + dt.timedelta(hours=rng.uniform(0.5, 6))):
                return
            reason = "经核实不属于本单位职责范围，请重新派单"
            self.appeal = services.appeal_return(actor=self.handler, appeal=self.appeal, reason=reason)
            a = self.appeal
            _tier, node = routing.tier_above(a.tier, grid=a.grid, node=a.unit_node)
            if (
                node is None
                or force == "returned"
                or not self.at(self.clock.last + dt.timedelta(hours=rng.uniform(1, 30)))
            ):
                return
            if self.appeal.state == S.RETURNED:  # (else the worker escalated it meanwhile)
                self.appeal = services.appeal_dispatch(
                    actor=self.cast.supervisor(a),
                    appeal=self.appeal,
                    unit_node=node,
                    reason="重新派至上级单位办理",
                )
            t = self.clock.last
        # Acknowledge: mostly within the 2 working hours (the worker marks the late ones).
        ack_hours = rng.uniform(2.5, 8) if rng.random() < 0.1 else rng.uniform(0.05, 1.8)
        if not self.at(add_working_time(t, hours=ack_hours)) or self.appeal.state != S.DISPATCHED:
            return
        self.appeal = services.appeal_acknowledge(actor=self.handler, appeal=self.appeal)
        self.working = True
        if not self.at(self.clock.last + dt.timedelta(hours=rng.uniform(0.2, 5))):
            return
        note = "已电话联系诉求人，了解具体情况"
        self.appeal = services.appeal_contact(actor=self.handler, appeal=self.appeal, note=note)
        if not self.at(self.clock.last + dt.timedelta(hours=rng.uniform(0.5, 20))):
            return
        if self.appeal.state == S.ACKNOWLEDGED:
            self.appeal = services.appeal_start(actor=self.handler, appeal=self.appeal)
        start_at = self.clock.last
        span = (self.appeal.resolve_due_at - t) if self.appeal.resolve_due_at else dt.timedelta(days=5)
        late = rng.random() < 0.12
        # Some wait on the resident for a while.
        if (rng.random() < 0.08 or force == "waiting") and self.appeal.state == S.IN_PROGRESS:
            self.at(min(start_at + dt.timedelta(hours=rng.uniform(1, 24)), self.clock.now))
            reason = "等待居民提供材料或入户时间"
            self.appeal = services.appeal_pause(actor=self.handler, appeal=self.appeal, reason=reason)
            if force == "waiting" or not self.at(self.clock.last + dt.timedelta(hours=rng.uniform(4, 60))):
                return
            self.appeal = services.appeal_resume(actor=self.handler, appeal=self.appeal)
            start_at = self.clock.last
        # Whistle at the street or community (15 %): departments report in and complete their parts, in time.
        whistle = self.appeal.tier in (Tier.STREET, Tier.COMMUNITY) and self.cast.departments
        if whistle and self.appeal.state == S.IN_PROGRESS and rng.random() < 0.15:
            self._whistle(start_at, span)
            return
        resolve_at = max(t + span * (rng.uniform(1.05, 1.6) if late else rng.uniform(0.1, 0.9)), start_at)
        resolve_at += dt.timedelta(hours=1) if resolve_at == start_at else dt.timedelta(0)
        # An extension request for some of the slower ones, decided before the work ends.
        if rng.random() < 0.06 and self.appeal.state in (S.ACKNOWLEDGED, S.IN_PROGRESS):
            if not self.at(start_at + (resolve_at - start_at) * 0.3):
                return
            request = services.appeal_extension_request(
                actor=self.handler, appeal=self.appeal, days=3, reason="需采购配件，申请延期"
            )
            self.refresh()
            if not self.at(self.clock.last + (resolve_at - self.clock.last) * 0.3):
                return
            supervisor = self.cast.supervisor(self.appeal)
            services.appeal_extension_approve(actor=supervisor, request=request, note="同意延期")
            self.refresh()
        # Overdue: the worker marks the breach (escalating when the rule says so); the tier above urges the rest.
        self._worker(min(resolve_at, self.clock.now))
        breached = self.appeal.breached_at
        if self.appeal.state == S.DISPATCHED:  # escalated: the tier above takes it up and needs a little time
            resolve_at = max(resolve_at, self.clock.last + dt.timedelta(hours=2))
        elif breached is not None and self.appeal.urge_count == 0:
            urge_at = max(breached + min(dt.timedelta(hours=2), (resolve_at - breached) / 2), self.clock.last)
            supervisor = self.cast.supervisor(self.appeal)
            if supervisor is not None and self.at(urge_at):
                services.appeal_urge(actor=supervisor, appeal=self.appeal, note="已超期，请加快办理")
                self.refresh()
        if not self.at(resolve_at) or self.appeal.state not in (S.ACKNOWLEDGED, S.IN_PROGRESS):
            return
        outcome = _pick(rng, OUTCOMES)
        if outcome == Outcome.ANSWERED and self.appeal.kind != "consultation":
            outcome = Outcome.FIXED
        self.appeal = services.appeal_resolve(
            actor=self.handler, appeal=self.appeal, note=NOTES[outcome], outcome=outcome
        )
        self._rate()

    def _whistle(self, start_at: dt.datetime, span: dt.timedelta) -> None:
        """吹哨报到: the unit summons departments; each reports in and completes its part (the last one resolves)."""
        rng = self.rng
        units = rng.sample(self.cast.departments, k=min(len(self.cast.departments), rng.choice([1, 2, 2, 3])))
        if not self.at(start_at + dt.timedelta(hours=rng.uniform(0.5, 8))):
            return
        parts = services.appeal_whistle(
            actor=self.handler, appeal=self.appeal, units=units, reason="需多部门联合处置，吹哨召集"
        )
        self.whistled = True
        self.refresh()
        end = self.appeal.resolve_due_at or self.clock.last + span
        steps: list[tuple[dt.datetime, int, Callable[[], object]]] = []
        for part in parts:
            actor = self.cast.dept_handlers.get(part.organisation_id)
            report = self.clock.last + dt.timedelta(minutes=rng.randrange(20, 200))
            done = report + max(end - report, dt.timedelta(hours=1)) * rng.uniform(0.2, 0.7)
            steps.append((report, 0, partial(services.part_report_in, actor=actor, part=part)))
            complete = partial(services.part_complete, actor=actor, part=part, note="本部门协办任务已完成")
            steps.append((done, 1, complete))
        for when, _order, step in sorted(steps, key=lambda s: (s[0], s[1])):
            if not self.at(when) or self.appeal.state not in (S.IN_PROGRESS, S.WAITING):
                return
            step()
            self.refresh()
        if self.appeal.state == S.RESOLVED:
            self._rate()

    def _rate(self) -> None:
        """Most residents rate within two days; some never do (the worker opens a callback); a few are
        unsatisfied (rework by the same unit, then satisfied). The worker closes rated appeals a day later."""
        rng, resolved_at, phone = self.rng, self.clock.last, self.appeal.contact_phone
        if rng.random() < 0.15:
            return  # no rating: the worker opens a callback when it falls due
        value = _pick(rng, [(Rating.SATISFIED, 78), (Rating.BASICALLY, 15), (Rating.UNSATISFIED, 7)])
        if not self.at(resolved_at + dt.timedelta(hours=rng.uniform(1, 48))):
            return
        comment = "问题没有彻底解决" if value == Rating.UNSATISFIED else ""
        self.appeal = services.appeal_rate(
            actor=None, appeal=self.appeal, value=value, comment=comment, phone=phone
        )
        if value != Rating.UNSATISFIED:
            return
        rated_at = self.clock.last
        if not self.at(add_working_time(rated_at, hours=rng.uniform(0.2, 1.5))):
            return  # (reaching that time, the unit acknowledged the reworked appeal)
        due = self.appeal.resolve_due_at
        fix = self.clock.last + ((due - rated_at) * rng.uniform(0.1, 0.6) if due else dt.timedelta(hours=1))
        if not self.at(fix) or self.appeal.state != S.ACKNOWLEDGED:
            return
        note = "重新处置后问题已解决。"
        self.appeal = services.appeal_resolve(actor=self.handler, appeal=self.appeal, note=note)
        if self.at(fix + dt.timedelta(hours=rng.uniform(2, 30))) and self.appeal.state == S.RESOLVED:
            self.appeal = services.appeal_rate(
                actor=None, appeal=self.appeal, value=Rating.SATISFIED, phone=phone
            )

    def afterwards(self, force: str) -> None:
        """While it is still open: now and then a neighbour reports the same problem and it is merged (4 %), or
        the resident withdraws it (2 %, and every recent one marked for it)."""
        a, rng = self.appeal, self.rng
        if not a.is_open:
            return
        at = self.clock.last + (self.clock.now - self.clock.last) * rng.uniform(0.2, 0.9)
        if force != "withdrawn" and a.grid is not None and rng.random() < 0.04:
            if not self.at(at) or not self.appeal.is_open:
                return
            name, phone = self.cast.person(rng, a.grid)
            duplicate = services.appeal_submit(
                actor=None,
                kind=a.kind,
                title=a.title,
                description=a.description,
                channel=Channel.WEB,
                category_code=a.category.code if a.category else "",
                contact_name=name,
                contact_phone=phone,
                grid=a.grid,
            )
            services.appeal_merge(actor=None, appeal=duplicate, primary=self.appeal)
            self.refresh()
        elif (force == "withdrawn" or (a.state != S.ACCEPTED and rng.random() < 0.02)) and self.at(at):
            self.appeal = services.appeal_withdraw(
                actor=None, appeal=self.appeal, reason="问题已自行解决", phone=a.contact_phone
            )


def part(run: DemoRun) -> None:
    """The demo's appeals part: `appeal_days` of history over the district, as many a day as the scale gives."""
    if run.appeal_days <= 0:
        return
    history = build_history(days=run.appeal_days, seed=run.seed, per_day=24.0 * max(run.scale, 0.05))
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
