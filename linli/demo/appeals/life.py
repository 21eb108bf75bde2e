"""One demo appeal lived through the real services, step by step, with the clock moved to each step."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from functools import partial

from django.utils import timezone

from linli.accounts.models import User
from linli.appeals import routing, services
from linli.appeals.choices import AppealState as S
from linli.appeals.choices import CallbackMiss, CallbackStatus, Channel, Outcome, Rating, Tier
from linli.appeals.jobs import APPEAL_JOBS, PART_JOBS
from linli.appeals.models import Appeal, AppealPart, CallbackTask
from linli.appeals.permissions import CALLBACK_ATTEMPTS_BEFORE_UNRATED_CLOSE
from linli.core.errors import DomainError
from linli.core.workdays import add_working_time
from linli.territory.models import Organisation

from .cast import _Cast, _Clock
from .texts import NOTES, OUTCOMES, RATINGS, _pick

# Categories whose appeals call no department to the spot: the demo summons none for them.
NOT_SUMMONED = frozenset({"other.praise", "other.suggestions"})


class _Life:
    """One appeal lived through the services, step by step with the clock moved to each step. Before every step
    the worker's jobs do what fell due meanwhile (deadline warnings and breaches, escalation on a breach when the
    rule says so, callbacks, closing rated appeals), through the services `linli worker` would have called."""

    def __init__(self, rng: random.Random, clock: _Clock, cast: _Cast, appeal: Appeal) -> None:
        self.rng, self.clock, self.cast, self.appeal = rng, clock, cast, appeal
        self.tried: set[tuple[str, dt.datetime]] = set()
        self.working = False  # acknowledged once: from then on the unit keeps working on it
        self.whistled = False  # departments summoned: their parts' clocks run too
        # The summoned parts as read for `parts_of`, the appeal as it was then: every step that may change a
        # part (a service, a job) hands back the appeal or is followed by `refresh`, so a new copy of it means
        # the parts are read again, and the worker's passes in between do not read them each time.
        self.parts_of: Appeal | None = None
        self.parts: list[AppealPart] = []

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
        if self.parts_of is not self.appeal:
            self.parts = list(AppealPart.objects.filter(appeal_id=self.appeal.pk, withdrawn_at__isnull=True))
            self.parts_of = self.appeal
        return self.parts

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
        # A hotline consultation is mostly answered on the phone; not one summoned on purpose (`force` "whistle"),
        # which needs departments on site (the draw is made all the same, so the rest of the history stays as it was).
        if (
            a.kind == "consultation"
            and a.channel == Channel.HOTLINE
            and rng.random() < 0.6
            and force != "whistle"
        ):
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
        # Whistle at the street or community (15 %): departments report in and complete their parts, in time. Some
        # recent ones are summoned on purpose (`force` "whistle"), from the grid through its community (网格吹哨)
        # too, so that departments have summonses still open today (their 吹哨协办 tab).
        whistle = self.appeal.tier in (Tier.STREET, Tier.COMMUNITY) and self.cast.departments
        # Praise, thanks and suggestions call no department to the spot (a thank-you was summoned to 城管委).
        summonable = self.appeal.category is None or self.appeal.category.code not in NOT_SUMMONED
        if force == "whistle" and self.appeal.state == S.IN_PROGRESS and self.cast.departments and summonable:
            if whistle:
                self._whistle(start_at, span, summoned=True)
                return
            if self.appeal.tier == Tier.GRID and self._grid_whistle(start_at, span):
                return
        elif whistle and self.appeal.state == S.IN_PROGRESS and rng.random() < 0.15 and summonable:
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

    def _units(self, summoned: bool) -> list[Organisation]:
        """The departments to summon: one to three at random; on purpose (`summoned`), the first department (城管委 in
        the demo district, the unit a street most often summons) and one or two others."""
        departments, rng = self.cast.departments, self.rng
        if not summoned:
            return rng.sample(departments, k=min(len(departments), rng.choice([1, 2, 2, 3])))
        return [departments[0], *rng.sample(departments[1:], k=min(len(departments) - 1, rng.choice([1, 2])))]

    def _grid_whistle(self, start_at: dt.datetime, span: dt.timedelta) -> bool:
        """网格吹哨: the grid worker handling the appeal asks the community to summon departments, and a community
        worker does so within hours; then as `_whistle`. False when the grid has no community staff to ask."""
        rng, grid = self.rng, self.appeal.grid
        community = routing.ancestors(grid.org_node).get("community") if grid is not None else None
        deciders = self.cast.staff_by_node.get(community.pk) if community is not None else None
        if not deciders or not self.at(start_at + dt.timedelta(hours=rng.uniform(0.5, 4))):
            return False
        request = services.whistle_request_raise(
            actor=self.handler,
            appeal_id=self.appeal.pk,
            reason="需城管、住建等部门到场联合处置，请社区吹哨召集",
        )
        self.refresh()
        if not self.at(self.clock.last + dt.timedelta(hours=rng.uniform(0.3, 3))):
            return True  # the request waits for the community today
        parts = services.whistle_request_summon(
            actor=deciders[0],
            request=request,
            units=self._units(True),
            reason="网格员反映需多部门联合处置，吹哨召集",
        )
        self._parts_live(parts, span)
        return True

    def _whistle(self, start_at: dt.datetime, span: dt.timedelta, *, summoned: bool = False) -> None:
        """吹哨报到: the unit summons departments; each reports in and completes its part; the unit resolves."""
        rng = self.rng
        units = self._units(summoned)
        if not self.at(start_at + dt.timedelta(hours=rng.uniform(0.5, 8))):
            return
        parts = services.appeal_whistle(
            actor=self.handler, appeal=self.appeal, units=units, reason="需多部门联合处置，吹哨召集"
        )
        self._parts_live(parts, span)

    def _parts_live(self, parts: list[AppealPart], span: dt.timedelta) -> None:
        """Each summoned department reports in and completes its part (those still to come by now stay open,
        reported in or not); when all are done the organising unit checks the work and resolves the appeal."""
        rng = self.rng
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
        # Every part done: the organising unit is told (part_complete), checks the work within hours and resolves
        # the appeal itself; the resident then rates it, and the summoned departments are rated with it.
        if (
            self.appeal.state != S.IN_PROGRESS
            or self.appeal.parts.filter(done_at__isnull=True, withdrawn_at__isnull=True).exists()
        ):
            return
        if not self.at(self.clock.last + dt.timedelta(hours=rng.uniform(1, 6))):
            return
        if self.appeal.state == S.ACKNOWLEDGED:  # escalated meanwhile: the unit above took it up
            self.appeal = services.appeal_start(actor=self.handler, appeal=self.appeal)
        if self.appeal.state != S.IN_PROGRESS:
            return
        self.appeal = services.appeal_resolve(
            actor=self.handler, appeal=self.appeal, note=NOTES[Outcome.FIXED], outcome=Outcome.FIXED
        )
        self._rate()

    def _rate(self) -> None:
        """Most residents rate within two days; some never do (the worker opens a callback). Most are satisfied,
        some basically, a few unsatisfied: the unit reworks it and they rate again, less kindly; one still
        unsatisfied sees it reworked once more and rates no further (their rating stands in the figures). The
        worker closes rated appeals a day later."""
        if self.rng.random() < 0.15:
            self._callback()  # no rating: the worker opens a callback when it falls due
            return
        for weights, complaint in RATINGS:
            value = _pick(self.rng, weights)
            if not self.at(self.clock.last + dt.timedelta(hours=self.rng.uniform(1, 48))):
                return
            self.appeal = services.appeal_rate(
                actor=None,
                appeal=self.appeal,
                value=value,
                comment=complaint if value == Rating.UNSATISFIED else "",
                phone=self.appeal.contact_phone,
            )
            if value != Rating.UNSATISFIED or not self._rework():
                return

    def _callback(self) -> None:
        """No rating in time: once the worker has given the callback to the community, a community worker calls
        the resident, once a working day. Most answer and their rating is recorded on the call; some calls do not
        get through (each recorded), and after CALLBACK_ATTEMPTS_BEFORE_UNRATED_CLOSE of them the appeal closes
        without a rating (不评价结案). Some callbacks are still open today."""
        rng, due = self.rng, self.appeal.callback_due_at
        if due is None or not self.at(add_working_time(due, hours=rng.uniform(0.5, 6))):
            return
        task = CallbackTask.objects.filter(appeal_id=self.appeal.pk, status=CallbackStatus.OPEN).first()
        callers = self.cast.staff_by_node.get(task.community_id or 0) if task is not None else None
        if task is None or not callers:
            return
        caller = callers[0]
        failed = _pick(rng, [(0, 5), (1, 2), (2, 1), (CALLBACK_ATTEMPTS_BEFORE_UNRATED_CLOSE, 2)])
        for n in range(failed):
            if n and not self.at(add_working_time(self.clock.last, hours=rng.uniform(6, 9))):
                return
            result = _pick(rng, list(zip(CallbackMiss.values, (6, 2, 2, 1, 1), strict=True)))
            note = "家属接听，说本人外出，稍后再拨" if result == CallbackMiss.OTHER else ""
            services.callback_attempt_record(actor=caller, appeal=self.appeal, result=result, note=note)
        if not self.at(add_working_time(self.clock.last, hours=rng.uniform(6, 9) if failed else 0.2)):
            return
        if failed == CALLBACK_ATTEMPTS_BEFORE_UNRATED_CLOSE:
            services.callback_unreachable(
                actor=caller, appeal=self.appeal, note="三次回访均未接通，不评价结案"
            )
        else:
            value = _pick(rng, [(Rating.SATISFIED.value, 7), (Rating.BASICALLY.value, 3)])
            self.appeal = services.appeal_rate(
                actor=caller, appeal=self.appeal, value=value, comment="电话回访", channel=Channel.HOTLINE
            )
        self.refresh()

    def _rework(self) -> bool:
        """After an unsatisfied rating the unit acknowledges the reworked appeal and resolves it again (False when
        now comes first)."""
        rng, rated_at = self.rng, self.clock.last
        if not self.at(add_working_time(rated_at, hours=rng.uniform(0.2, 1.5))):
            return False  # (reaching that time, the unit acknowledged the reworked appeal)
        due = self.appeal.resolve_due_at
        fix = self.clock.last + ((due - rated_at) * rng.uniform(0.1, 0.6) if due else dt.timedelta(hours=1))
        if not self.at(fix) or self.appeal.state != S.ACKNOWLEDGED:
            return False
        note = "重新处置后问题已解决。"
        self.appeal = services.appeal_resolve(actor=self.handler, appeal=self.appeal, note=note)
        return True

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
