"""Demo appeal history: `build_history(days=90)` fills the demo district with appeals in every state.

The history is written as rows (appeals, their trace, ratings, whistle parts, extension requests, urgings and
callback tasks) with timestamps in the past, computed with the same deadline rules and working-day calendar
the services use. It sends no notification: nothing leaves the system for made-up residents. Texts come from
the triage starter corpus, so every appeal reads like a real one and carries its true category.
"""

from __future__ import annotations

import csv
import datetime as dt
import random
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from linli.accounts.models import User
from linli.appeals import routing, sla
from linli.appeals.choices import AppealState as S
from linli.appeals.choices import Channel, Outcome, Priority, Rating, Tier
from linli.appeals.models import (
    Appeal,
    AppealEvent,
    AppealPart,
    AppealRating,
    CallbackTask,
    CatalogueEntry,
    Category,
    ExtensionRequest,
    SlaRule,
    UrgeRecord,
)
from linli.core.roles import Role
from linli.core.workdays import add_working_time
from linli.territory.models import Grid, Organisation, Resident

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
KINDS = [("complaint", 45), ("help", 30), ("consultation", 15), ("suggestion", 10)]
CHANNELS = [
    (Channel.WEB, 35),
    (Channel.QR, 15),
    (Channel.HOTLINE, 30),
    (Channel.PATROL, 15),
    (Channel.API, 5),
]


@dataclass
class History:
    appeals: int = 0
    events: int = 0
    seconds: float = 0.0
    states: Counter[str] = field(default_factory=Counter)
    outcomes: Counter[str] = field(default_factory=Counter)


def _texts(rng: random.Random) -> list[tuple[str, str, str]]:
    rows: list[tuple[str, str, str]] = []
    if CORPUS.exists():
        with CORPUS.open(encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                text = (row.get("text") or "").strip()
                if len(text) >= 5:
                    rows.append(((row.get("title") or "").strip(), text[:2000], row.get("category", "")))
    return rows or list(FALLBACK)


def _pick(rng: random.Random, weighted: list[tuple[Any, int]]) -> Any:
    return rng.choices([v for v, _ in weighted], weights=[w for _, w in weighted])[0]


def _office_time(rng: random.Random, day: dt.date) -> dt.datetime:
    hour = rng.choices(range(7, 23), weights=[2, 6, 9, 9, 8, 5, 6, 8, 8, 7, 6, 5, 4, 3, 2, 1])[0]
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, rng.randrange(60))))


class _Writer:
    """Collects one appeal's rows; `step` appends a trace event and moves the state."""

    def __init__(self, appeal: Appeal, now: dt.datetime) -> None:
        self.appeal = appeal
        self.now = now
        self.events: list[AppealEvent] = []

    def step(self, at: dt.datetime, action: str, to: str | None, actor: User | None, **kw: Any) -> bool:
        if at > self.now:
            return False
        a = self.appeal
        self.events.append(
            AppealEvent(
                at=at,
                actor=actor,
                actor_name=(actor.display_name or actor.username) if actor else "",
                action=action,
                from_state=a.state if action != "submit" else "",
                to_state=to or a.state,
                reason=kw.get("reason", ""),
                channel=kw.get("channel", Channel.SYSTEM if actor is None else Channel.WEB),
                tier=a.tier,
                unit_name=a.unit_name[:120],
                data=kw.get("data", {}),
            )
        )
        if to:
            a.state = to
        return True


@transaction.atomic
def build_history(*, days: int = 90, seed: int = 0, per_day: float = 24.0) -> History:
    """About `per_day` appeals a day over the last `days` days, in every state, for the demo district."""
    started = time.monotonic()
    rng = random.Random(seed)
    routing.category_sync_defaults()
    sla.sla_sync_defaults()
    _RULES[:] = list(SlaRule.objects.all())
    _ANCESTORS.clear()
    _ROUTE_CACHE.clear()
    routing.ancestors = _cached_ancestors  # the tree does not change meanwhile
    try:
        return _build(rng, days=days, seed=seed, per_day=per_day, started=started)
    finally:
        routing.ancestors = _real_ancestors


def _build(rng: random.Random, *, days: int, seed: int, per_day: float, started: float) -> History:
    if routing.active_catalogue() is None:
        routing.catalogue_create_default()
    grids = list(Grid.objects.select_related("org_node").prefetch_related("workers"))
    if not grids:
        raise RuntimeError("build the demo district first: no grids")
    categories = {c.code: c for c in Category.objects.select_related("parent")}
    texts = [t for t in _texts(rng) if t[2] in categories]
    departments = list(Organisation.objects.filter(kind="department"))
    staff_by_node: dict[int, list[User]] = {}
    for u in User.objects.filter(role__in=[Role.COMMUNITY_WORKER, Role.STREET_OFFICER, Role.DISTRICT_LEADER]):
        if u.org_node_id:
            staff_by_node.setdefault(u.org_node_id, []).append(u)
    dept_handlers: dict[int, User] = {
        u.organisation_id: u
        for u in User.objects.filter(role=Role.DEPARTMENT_HANDLER, organisation__isnull=False)
        if u.organisation_id is not None
    }
    people: dict[int, list[tuple[str, str]]] = {}
    for grid_id, name, phone in Resident.objects.exclude(phone="").values_list("grid_id", "name", "phone")[
        :30000
    ]:
        people.setdefault(grid_id, []).append((name, phone))
    now = timezone.now()
    history = History()
    total = int(days * per_day)
    batch: list[tuple[_Writer, dt.datetime]] = []
    recent = 0
    version = routing.active_catalogue()
    _ENTRIES.clear()
    if version is not None:
        _VERSION[:] = [version]
        for e in CatalogueEntry.objects.filter(version=version).select_related("area", "organisation"):
            _ENTRIES[(e.category_id, e.area_id)] = e
    for i in range(total):
        created = _office_time(rng, (now - dt.timedelta(days=rng.uniform(0, days))).date())
        if created > now:
            created = now - dt.timedelta(minutes=rng.randrange(5, 300))
        grid = rng.choice(grids)
        title, text, code = rng.choice(texts)
        category = categories[code]
        kind = _pick(rng, KINDS)
        name, phone = rng.choice(people.get(grid.pk) or [("市民", "13800000000")])
        channel = _pick(rng, CHANNELS)
        priority = Priority.EMERGENCY if rng.random() < 0.02 else Priority.NORMAL
        appeal = Appeal(
            tracking_number=f"tmp-demo-{seed}-{i}",
            kind=kind,
            category=category,
            title=(title or text[:30])[:100],
            description=text,
            channel=channel,
            contact_name=name,
            contact_phone=phone,
            lng=grid.centroid_lng,
            lat=grid.centroid_lat,
            address=f"{grid.org_node.name}{grid.name}",
            grid=grid,
            org_path=grid.org_node.path,
            priority=priority,
            state=S.ACCEPTED,
            is_demo=True,
        )
        w = _Writer(appeal, now)
        w.step(created, "submit", S.ACCEPTED, None, channel=channel)
        force = ""
        if now - created < dt.timedelta(days=4):
            # Recent appeals cycle through the states that only recent work can be in.
            force = ("accepted", "returned", "waiting", "withdrawn", "", "", "")[recent % 7]
            recent += 1
        _live(rng, w, created, departments, staff_by_node, dept_handlers, force)
        if force == "withdrawn" and appeal.is_open:
            last = w.events[-1].at
            gone = last + (now - last) * rng.uniform(0.2, 0.9)
            if w.step(gone, "withdraw", S.CLOSED, None, reason="问题已自行解决", channel=Channel.WEB):
                appeal.outcome, appeal.closed_at = Outcome.WITHDRAWN, gone
        batch.append((w, created))
        if len(batch) >= 400:
            history.events += _flush(rng, batch)
            batch = []
        history.appeals += 1
    history.events += _flush(rng, batch)
    demo = Appeal.objects.filter(is_demo=True)
    history.states = Counter(demo.values_list("state", flat=True))
    history.outcomes = Counter(o or "-" for o in demo.values_list("outcome", flat=True))
    history.seconds = time.monotonic() - started
    return history


def _flush(rng: random.Random, batch: list[tuple[_Writer, dt.datetime]]) -> int:
    """Write a batch of appeals with their trace and the rows hanging off them; returns the events written."""
    if not batch:
        return 0
    appeals = [w.appeal for w, _ in batch]
    Appeal.objects.bulk_create(appeals)
    for w, created in batch:
        a = w.appeal
        a.created_at = created
        a.tracking_number = f"LL{timezone.localtime(created):%Y%m%d}-{a.pk:06d}"
    Appeal.objects.bulk_update(appeals, ["created_at", "tracking_number"])
    out: dict[str, list[Any]] = {"parts": [], "ratings": [], "extensions": [], "urges": [], "callbacks": []}
    events: list[AppealEvent] = []
    for w, _created in batch:
        for e in w.events:
            e.appeal = w.appeal
        events.extend(w.events)
        _extras(rng, w.appeal, w, out)
    AppealPart.objects.bulk_create(out["parts"])
    AppealRating.objects.bulk_create(out["ratings"])
    ExtensionRequest.objects.bulk_create(out["extensions"])
    UrgeRecord.objects.bulk_create(out["urges"])
    CallbackTask.objects.bulk_create(out["callbacks"])
    return len(AppealEvent.objects.bulk_create(events))


_ENTRIES: dict[tuple[int, int], CatalogueEntry] = {}
_VERSION: list[Any] = []


def _route_fast(category: Category | None, grid: Grid) -> routing.Route | None:
    """routing.route over the catalogue loaded once (same rule: deepest area, then the exact category)."""
    if category is None or not _VERSION:
        return None
    ids = [int(x) for x in grid.org_node.path.strip("/").split("/") if x]
    best: tuple[tuple[int, bool], CatalogueEntry] | None = None
    for depth, area_id in enumerate(ids):
        for cid in (category.pk, category.parent_id):
            entry = _ENTRIES.get((cid or 0, area_id))
            if entry is not None:
                key = (depth, cid == category.pk)
                if best is None or key > best[0]:
                    best = (key, entry)
    if best is None:
        return None
    entry = best[1]
    if entry.tier == Tier.DEPARTMENT and entry.organisation is not None:
        return routing.Route(Tier.DEPARTMENT, None, entry.organisation, _VERSION[0])
    tier, unit = routing.unit_for_tier(entry.tier, grid=grid, node=None)
    return routing.Route(tier, unit, None, _VERSION[0]) if unit is not None else None


def _handler(
    grid: Grid, appeal: Appeal, staff_by_node: dict[int, list[User]], dept: dict[int, User]
) -> User | None:
    if appeal.tier == Tier.GRID:
        workers = list(grid.workers.all())
        return workers[0] if workers else None
    if appeal.unit_org_id:
        return dept.get(appeal.unit_org_id)
    found = staff_by_node.get(appeal.unit_node_id or 0)
    return found[0] if found else None


def _supervisor(appeal: Appeal, staff_by_node: dict[int, list[User]]) -> User | None:
    _tier, node = routing.tier_above(appeal.tier or Tier.GRID, grid=appeal.grid, node=appeal.unit_node)
    while node is not None:
        found = staff_by_node.get(node.pk)
        if found:
            return found[0]
        node = node.parent
    return None


_RULES: list[Any] = []
_ROUTE_CACHE: dict[tuple[int, int], Any] = {}
_ANCESTORS: dict[int, Any] = {}


def _cached_ancestors(node: Any) -> dict[str, Any]:
    if node.pk not in _ANCESTORS:
        _ANCESTORS[node.pk] = _real_ancestors(node)
    return dict(_ANCESTORS[node.pk])


_real_ancestors = routing.ancestors


def _dispatch(appeal: Appeal, at: dt.datetime, tier: str, node: Any, org: Any) -> None:
    appeal.tier, appeal.unit_node, appeal.unit_org = tier, node, org
    d = sla.deadlines_for(appeal, at, tier=tier, rules=_RULES)
    appeal.sla_rule = d.rule
    appeal.ack_due_at, appeal.contact_due_at, appeal.resolve_due_at, appeal.warn_at = (
        d.ack_due_at,
        d.contact_due_at,
        d.resolve_due_at,
        d.warn_at,
    )
    appeal.dispatched_at = appeal.clock_started_at = at
    appeal.acknowledged_at = None


def _live(
    rng: random.Random,
    w: _Writer,
    created: dt.datetime,
    departments: list[Organisation],
    staff_by_node: dict[int, list[User]],
    dept: dict[int, User],
    force: str = "",
) -> None:
    """Walk one appeal through its life until `now` or its end (`force`: stop it in that state)."""
    a = w.appeal
    now = w.now
    grid = a.grid
    assert grid is not None
    _ROUTES = _ROUTE_CACHE
    if a.kind == "consultation" and a.channel == Channel.HOTLINE and rng.random() < 0.6:
        t = created + dt.timedelta(minutes=rng.randrange(2, 15))
        a.outcome, a.resolution_note, a.resolved_at, a.closed_at = (
            Outcome.ANSWERED,
            "已在电话中答复政策与办理流程。",
            t,
            t,
        )
        a.first_contact_at, a.resolved_on_time = t, True
        w.step(t, "answer", S.CLOSED, None, channel=Channel.HOTLINE, reason=a.resolution_note)
        return
    key = (a.category_id or 0, grid.pk)
    if key not in _ROUTES:
        _ROUTES[key] = _route_fast(a.category, grid)
    found = _ROUTES[key]
    t = created + dt.timedelta(minutes=rng.randrange(1, 20))
    if found is None or force == "accepted":
        return  # still waiting in the triage queue
    a.catalogue_version = found.version
    _dispatch(a, t, found.tier, found.unit_node, found.unit_org)
    w.step(t, "dispatch", S.DISPATCHED, None, reason="按派单目录自动派单")
    handler = _handler(grid, a, staff_by_node, dept)
    # Returned: the unit says it is not theirs (5 %).
    if rng.random() < 0.05 or force == "returned":
        t2 = t + dt.timedelta(hours=rng.uniform(0.5, 6))
        a.return_count = 1
        if not w.step(t2, "return", S.RETURNED, handler, reason="经核实不属于本单位职责范围，请重新派单"):
            return
        sup = _supervisor(a, staff_by_node)
        t3 = t2 + dt.timedelta(hours=rng.uniform(1, 30))
        tier, node = routing.tier_above(a.tier, grid=grid, node=a.unit_node)
        if node is None or t3 > now or force == "returned":
            return
        _dispatch(a, t3, tier, node, None)
        w.step(t3, "dispatch", S.DISPATCHED, sup, reason="重新派至上级单位办理")
        t = t3
        handler = _handler(grid, a, staff_by_node, dept)
    # Acknowledge: mostly within the 2 working hours.
    late_ack = rng.random() < 0.1
    ack_at = add_working_time(t, hours=rng.uniform(2.5, 8) if late_ack else rng.uniform(0.05, 1.8))
    if a.ack_due_at and ack_at > a.ack_due_at and a.ack_due_at <= now:
        a.ack_breached_at = a.ack_due_at
    if not w.step(ack_at, "acknowledge", S.ACKNOWLEDGED, handler):
        return
    a.acknowledged_at = ack_at
    contact_at = ack_at + dt.timedelta(hours=rng.uniform(0.2, 5))
    if w.step(
        contact_at, "contact", None, handler, reason="已电话联系诉求人，了解具体情况", channel=Channel.HOTLINE
    ):
        a.first_contact_at = contact_at
    start_at = contact_at + dt.timedelta(hours=rng.uniform(0.5, 20))
    if not w.step(start_at, "start", S.IN_PROGRESS, handler):
        return
    span = (a.resolve_due_at - t) if a.resolve_due_at else dt.timedelta(days=5)
    late = rng.random() < 0.12
    # Some wait on the resident for a while.
    if rng.random() < 0.08 or force == "waiting":
        p_at = min(start_at + dt.timedelta(hours=rng.uniform(1, 24)), now)
        if not w.step(p_at, "pause", S.WAITING, handler, reason="等待居民提供材料或入户时间"):
            return
        a.paused_at = p_at
        r_at = p_at + dt.timedelta(hours=rng.uniform(4, 60))
        if r_at > now or force == "waiting":
            return
        a.paused_seconds = int((r_at - p_at).total_seconds())
        for name, unit in (("resolve_due_at", a.sla_rule.resolve_unit if a.sla_rule else "hours"),):
            value = getattr(a, name)
            if value is not None:
                setattr(a, name, sla.shift(value, unit, p_at, r_at))
        a.paused_at = None
        w.step(r_at, "resume", S.IN_PROGRESS, handler)
        start_at = r_at
    # Whistle at the street or community (15 %): departments report in and complete their parts.
    if a.tier in (Tier.STREET, Tier.COMMUNITY) and departments and rng.random() < 0.15:
        units = rng.sample(departments, k=min(len(departments), rng.choice([1, 2, 2, 3])))
        wh_at = start_at + dt.timedelta(hours=rng.uniform(0.5, 8))
        if not w.step(wh_at, "whistle", S.IN_PROGRESS, handler, reason="需多部门联合处置，吹哨召集",
                      data={"units": [u.name for u in units]}):  # fmt: skip
            return
        a._demo_parts = []  # type: ignore[attr-defined]
        for u in units:
            rep = wh_at + dt.timedelta(minutes=rng.randrange(20, 200))
            done = rep + span * rng.uniform(0.2, 0.7)
            part = AppealPart(
                organisation=u,
                summoned_by=handler,
                report_due_at=add_working_time(wh_at, hours=2),
                reported_in_at=rep if rep <= now else None,
                due_at=a.resolve_due_at,
                done_at=done if done <= now else None,
                note="本部门协办任务已完成" if done <= now else "",
            )
            a._demo_parts.append(part)  # type: ignore[attr-defined]
            if rep <= now:
                w.step(rep, "part_report_in", None, dept.get(u.pk), data={"unit": u.name})
            if done <= now:
                w.step(done, "part_complete", None, dept.get(u.pk), reason=part.note, data={"unit": u.name})
        if any(p.done_at is None for p in a._demo_parts):  # type: ignore[attr-defined]
            return
        start_at = max(p.done_at for p in a._demo_parts if p.done_at)  # type: ignore[attr-defined]
    factor = rng.uniform(1.05, 1.6) if late else rng.uniform(0.1, 0.9)
    resolve_at = t + span * factor
    if resolve_at <= start_at:
        resolve_at = start_at + dt.timedelta(hours=1)
    # An extension request for some of the slower ones, decided before the work ends.
    if rng.random() < 0.06:
        ex_at = start_at + (resolve_at - start_at) * 0.3
        if not w.step(
            ex_at, "extension_request", None, handler, reason="需采购配件，申请延期", data={"days": 3}
        ):
            return
        a._demo_extension = (ex_at, handler)  # type: ignore[attr-defined]
        decide = ex_at + (resolve_at - ex_at) * 0.3
        if decide > now:
            return
        sup = _supervisor(a, staff_by_node)
        w.step(decide, "extension_approve", None, sup, reason="同意延期", data={"days": 3})
        a._demo_extension = (ex_at, handler, decide, sup)  # type: ignore[attr-defined]
        if a.resolve_due_at:
            a.resolve_due_at = add_working_time(a.resolve_due_at, days=3)
    # Overdue and still open: breach, maybe an urging and an automatic escalation.
    if a.resolve_due_at and a.resolve_due_at < min(resolve_at, now):
        a.breached_at = a.resolve_due_at
        w.step(a.resolve_due_at, "breach", None, None, data={"clock": "resolve"})
        sup = _supervisor(a, staff_by_node)
        urge_at = a.resolve_due_at + min(dt.timedelta(hours=2), (min(resolve_at, now) - a.resolve_due_at) / 2)
        if sup is not None and w.step(urge_at, "urge", None, sup, reason="已超期，请加快办理"):
            a.urge_count += 1
            a._demo_urge = (urge_at, sup)  # type: ignore[attr-defined]
    if resolve_at > now:
        return
    outcome = _pick(
        rng,
        [
            (Outcome.FIXED, 86),
            (Outcome.NOT_OUR_RESPONSIBILITY, 6),
            (Outcome.NO_FURTHER_ACTION, 5),
            (Outcome.ANSWERED, 3),
        ],
    )
    if outcome == Outcome.ANSWERED and a.kind != "consultation":
        outcome = Outcome.FIXED
    note = {
        Outcome.FIXED: "已现场处置完毕，问题已解决，并向诉求人反馈。",
        Outcome.ANSWERED: "已向诉求人详细解答相关政策。",
        Outcome.NOT_OUR_RESPONSIBILITY: "经核实属于私人产权范围，已告知诉求人处理途径。",
        Outcome.NO_FURTHER_ACTION: "经现场核查情况已消除，无需进一步处理。",
    }[outcome]
    a.outcome, a.resolution_note, a.resolved_at, a.resolved_tier = outcome, note, resolve_at, a.tier
    a.resolved_on_time = (
        bool(a.resolve_due_at is None or resolve_at <= a.resolve_due_at) and a.breached_at is None
    )
    a.first_contact_at = a.first_contact_at or resolve_at
    a.callback_due_at = resolve_at + dt.timedelta(hours=72)
    w.step(resolve_at, "resolve", S.RESOLVED, handler, reason=note, data={"outcome": outcome})
    # Rating: most residents rate within two days; some never do (callback); a few are unsatisfied (rework).
    if rng.random() < 0.15:
        if a.callback_due_at <= now:
            a._demo_callback = True  # type: ignore[attr-defined]
            w.step(a.callback_due_at, "callback", None, None)
            a.callback_due_at = None
        return
    rate_at = resolve_at + dt.timedelta(hours=rng.uniform(1, 48))
    value = _pick(rng, [(Rating.SATISFIED, 78), (Rating.BASICALLY, 15), (Rating.UNSATISFIED, 7)])
    if rate_at > now:
        return
    a._demo_ratings = [(value, rate_at)]  # type: ignore[attr-defined]
    if not w.step(rate_at, "rate", S.RATED, None, channel=Channel.WEB, data={"value": value}):
        return
    a.rated_at, a.callback_due_at = rate_at, None
    if value == Rating.UNSATISFIED:
        a.rework_count = 1
        _dispatch(a, rate_at, a.tier, a.unit_node, a.unit_org)
        a.outcome, a.resolved_at, a.resolved_on_time, a.rated_at = "", None, None, None
        w.step(rate_at, "rework", S.DISPATCHED, None, reason="居民不满意，重办")
        again = add_working_time(rate_at, hours=rng.uniform(0.2, 1.5))
        if not w.step(again, "acknowledge", S.ACKNOWLEDGED, handler):
            return
        a.acknowledged_at = again
        fix = again + (a.resolve_due_at - rate_at) * rng.uniform(0.1, 0.6) if a.resolve_due_at else again
        if fix > now:
            return
        a.outcome, a.resolution_note, a.resolved_at, a.resolved_on_time = (
            Outcome.FIXED,
            "重新处置后问题已解决。",
            fix,
            True,
        )
        w.step(fix, "resolve", S.RESOLVED, handler, reason=a.resolution_note, data={"outcome": "fixed"})
        rate2 = fix + dt.timedelta(hours=rng.uniform(2, 30))
        if rate2 > now:
            return
        a._demo_ratings.append((Rating.SATISFIED, rate2))  # type: ignore[attr-defined]
        w.step(rate2, "rate", S.RATED, None, data={"value": "satisfied"})
        a.rated_at = rate2
        rate_at = rate2
    close_at = rate_at + dt.timedelta(hours=24)
    if w.step(close_at, "close", S.CLOSED, None):
        a.closed_at = close_at


def _extras(rng: random.Random, appeal: Appeal, w: _Writer, out: dict[str, list[Any]]) -> None:
    """Rows that hang off the appeal: parts, ratings, extension, urging, callback; plus a few duplicates."""
    for part in getattr(appeal, "_demo_parts", []):
        part.appeal = appeal
        out["parts"].append(part)
    for value, at in getattr(appeal, "_demo_ratings", []):
        out["ratings"].append(
            AppealRating(
                appeal=appeal,
                value=value,
                at=at,
                channel=Channel.WEB,
                comment="" if value != Rating.UNSATISFIED else "问题没有彻底解决",
            )
        )
    ext = getattr(appeal, "_demo_extension", None)
    if ext:
        out["extensions"].append(
            ExtensionRequest(
                appeal=appeal,
                requested_by=ext[1],
                days=3,
                reason="需采购配件，申请延期",
                requested_at=ext[0],
                status="approved" if len(ext) > 2 else "pending",
                decided_at=ext[2] if len(ext) > 2 else None,
                decided_by=ext[3] if len(ext) > 2 else None,
            )
        )
    urge = getattr(appeal, "_demo_urge", None)
    if urge:
        out["urges"].append(UrgeRecord(appeal=appeal, by=urge[1], note="已超期，请加快办理", at=urge[0]))
    if getattr(appeal, "_demo_callback", False) and appeal.grid is not None:
        chain = routing.ancestors(appeal.grid.org_node)
        out["callbacks"].append(
            CallbackTask(appeal=appeal, community=chain.get("community"), created_at=w.now)
        )
    # Now and then a neighbour reports the same problem again, and it is merged (closed as duplicate).
    if appeal.is_open and rng.random() < 0.04 and appeal.grid is not None:
        dup = Appeal.objects.create(
            tracking_number=f"tmp-dup-{appeal.pk}",
            kind=appeal.kind,
            category=appeal.category,
            title=appeal.title,
            description=appeal.description,
            channel=Channel.WEB,
            contact_name="邻居",
            contact_phone=appeal.contact_phone,
            grid=appeal.grid,
            org_path=appeal.org_path,
            state=S.CLOSED,
            outcome=Outcome.DUPLICATE,
            primary=appeal,
            closed_at=w.now,
            is_demo=True,
        )
        Appeal.objects.filter(pk=dup.pk).update(
            tracking_number=f"LL{timezone.localtime(w.now):%Y%m%d}-{dup.pk:06d}"
        )
        AppealEvent.objects.bulk_create(
            [
                AppealEvent(appeal=dup, at=w.now, action="submit", to_state=S.ACCEPTED, channel=Channel.WEB),
                AppealEvent(
                    appeal=dup,
                    at=w.now,
                    action="merge",
                    from_state=S.ACCEPTED,
                    to_state=S.CLOSED,
                    data={"primary": appeal.tracking_number},
                ),
            ]
        )
    # Withdrawn by the resident (2 % of the open ones).
    elif appeal.is_open and appeal.state != S.ACCEPTED and rng.random() < 0.02:
        Appeal.objects.filter(pk=appeal.pk).update(state=S.CLOSED, outcome=Outcome.WITHDRAWN, closed_at=w.now)
        AppealEvent.objects.create(appeal=appeal, at=w.now, action="withdraw", from_state=appeal.state,
                                   to_state=S.CLOSED, reason="问题已自行解决", channel=Channel.WEB)  # fmt: skip


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
