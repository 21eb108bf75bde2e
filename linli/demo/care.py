"""Demo care and mediation: in every staffed grid some of the residents the register marks red, yellow or green (one of
each colour there is, then the most vulnerable) get a care plan confirmed by their grid worker in the first
fortnight of a month ago; the month is lived day by day through the real services (the clock moved): the plans
confirmed on their day, the schedule extended, most visits and calls recorded on their day (each at its own hour of
the working day; most of the visits' follow-ups done by the grid worker one to four days later, a few, mostly
recent, open), some left undone and chased (missed, then escalated to the community), most of those made up later.
Each grid's first plan of each colour was confirmed on the day that brings one of its visits today, and each visitor
left their last one before today undone, so a grid worker's 今日探访 holds people of every colour due today, a late one,
and a month behind. Each community has mediation cases in every state: open, mediating, agreed awaiting the
follow-up, settled with money recovered, referred to court and withdrawn."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

import time_machine
from django.utils import timezone
from django.utils.translation import gettext as _

from linli.accounts.models import User
from linli.care import services
from linli.care.choices import ContactKind, ContactState, VisitorKind
from linli.care.models import CareContact, CarePlan
from linli.care.visitors import visitors_for
from linli.core.roles import Role
from linli.territory.models import Grid, Resident
from linli.territory.services import visit_follow_up_done

from .clock import at, follow_up_done_at

if TYPE_CHECKING:
    from linli.territory.models import OrgNode

    from .parts import DemoRun

DAYS = 31  # care's month: the plans confirmed in its first fortnight, so their visits fall on different days
LEVELS = ["red", "yellow", "green"]  # the most vulnerable first
# Days before today when the first plan of each colour of a grid is confirmed: a visit (and for red and yellow a
# call) of its schedule falls due today, so each worker's day has someone of every colour they look after.
DUE_TODAY_AFTER = {"red": 28, "yellow": 28, "green": 30}
RECENT = dt.timedelta(days=2)
LEFT_WITHIN = dt.timedelta(days=7)  # how long ago a visitor's last one before today, left undone, may be
MAKE_UP = 0.6  # the chance a missed visit or call is made up on a later afternoon (late is better than never)
VISIT_FINDINGS = [
    ("精神不错，按时吃药，冰箱里有菜", ""),
    ("老人说膝盖疼，下楼不便", "需要助行器"),
    ("家中整洁，子女周末来过", ""),
    ("血压偏高，提醒复诊", "预约社区卫生站上门测血压"),
    ("想洗澡但浴室湿滑不敢用", "安排助浴服务"),
    ("午饭常凑合，想订社区食堂的餐", "开通老年餐桌送餐"),
]
CALL_FINDINGS = ["电话里说一切都好", "刚午睡醒，身体无恙", "说想聊聊天，聊了十分钟", "女儿在身边照顾"]
CASES = [
    ("neighbours", "walk_in", "楼上卫生间漏水到楼下，协商维修未果", ("蔡阿姨", "冯先生"), "open"),
    ("family", "visit", "兄弟二人因赡养母亲费用分摊发生争执", ("沈大哥", "沈二哥"), "mediating"),
    ("property", "appeal", "业主因停车位收费与物业公司争执", ("韩女士", "物业服务中心"), "agreed"),
    ("debt", "walk_in", "邻居借款两万元逾期未还", ("杨先生", "朱先生"), "settled"),
    ("labour", "appeal", "装修工人被拖欠工资", ("秦师傅", "某装饰公司"), "referred"),
    ("neighbours", "visit", "楼道堆放杂物引发口角", ("许奶奶", "何先生"), "withdrawn"),
]


@dataclass
class Confirmation:
    """A care plan to confirm on `day` by the grid's worker."""

    day: dt.date
    worker: User
    resident: Resident


def _people(rng: random.Random, grid: Grid, per_grid: int) -> list[Resident]:
    """Whom a grid's worker takes into care: one of each colour the register marks in the grid (the first of
    each comes first), then the most vulnerable."""
    marked = list(Resident.objects.filter(grid=grid, is_demo=True).exclude(care_level="").order_by("id"))
    rng.shuffle(marked)
    marked.sort(key=lambda r: LEVELS.index(r.care_level))
    firsts = [
        next(r for r in marked if r.care_level == level)
        for level in LEVELS
        if level in {r.care_level for r in marked}
    ]
    return firsts + [r for r in marked if r not in firsts][: max(0, per_grid - len(firsts))]


def _confirmations(
    rng: random.Random, grids: list[Grid], per_grid: int, today: dt.date
) -> list[Confirmation]:
    """The plans of the month: the first of each colour of a grid on the day that brings a visit today, the rest
    on a day of the month's first fortnight."""
    planned = []
    for grid in grids:
        worker = grid.workers.filter(role=Role.GRID_WORKER).order_by("pk").first()
        if worker is None:
            continue
        seen: set[str] = set()
        for resident in _people(rng, grid, per_grid):
            first = resident.care_level not in seen
            seen.add(resident.care_level)
            days = DUE_TODAY_AFTER[resident.care_level] if first else rng.randint(DAYS - 14, DAYS - 1)
            planned.append(Confirmation(today - dt.timedelta(days=days), worker, resident))
    return planned


def _confirm(rng: random.Random, plan: Confirmation) -> None:
    ill = rng.random() < 0.4
    services.care_plan_confirm(
        actor=plan.worker,
        resident=plan.resident,
        level=plan.resident.care_level,
        reason="入户核实：" + ("患慢性病，" if ill else "") + "按登记情况确认",
        ill=ill,
        no_family_support=rng.random() < 0.3,
        needs=rng.choice(["", "每周助浴一次", "老年餐桌送餐", "定期上门测血压"]),
        emergency_contact=rng.choice(["女儿", "儿子", "侄子", "邻居"]),
        emergency_phone=f"139{rng.randint(10_000_000, 99_999_999)}",
    )


def _record(
    rng: random.Random, contact: CareContact, when: Moments, hours: tuple[int, int] = (9, 16)
) -> None:
    """`contact` recorded at its own moment of the day in working hours (`hours`: the first and last hour it may
    start in); a visit's follow-up (in the grid's log) done by its grid worker one to four days later, by now, or
    left open (fewer of the last days')."""
    if contact.kind == ContactKind.VISIT:
        found, needs = rng.choice(VISIT_FINDINGS)
    else:
        found, needs = rng.choice(CALL_FINDINGS), ""
    moment = at(timezone.localdate(), when.rng.randint(*hours), when.rng.randint(0, 59))
    # Days before today, inside the day's clock: moved straight there (`travel` would hold it to the day's clock).
    with time_machine.travel(moment, tick=False):
        recorded = services.care_contact_record(
            actor=contact.assignee, contact=contact, found=found, needs_raised=needs
        )
    visit = recorded.visit
    if visit is None or not visit.follow_up:
        return
    worker = contact.plan.grid.workers.filter(role=Role.GRID_WORKER).first()
    done = follow_up_done_at(when.rng, visit.visited_at, when.now) if worker is not None else None
    if done is not None:
        with time_machine.travel(done, tick=False):  # by now: follow_up_done_at keeps it there
            visit_follow_up_done(actor=worker, visit=visit)


@dataclass
class Moments:
    """When the month's visits and calls are recorded and their follow-ups done: drawn apart from the part's own
    draws (which contacts are missed stays as it was), up to `now`, when the demo is built."""

    rng: random.Random
    now: dt.datetime


def _last_before(contact: CareContact, today: dt.date) -> bool:
    """Whether `contact` is the last its visitor had due before today (every plan is confirmed by the month's
    last fortnight, and the schedule reaches past today, so nothing later can still appear)."""
    later = CareContact.objects.filter(
        assignee_id=contact.assignee_id, due_on__gt=contact.due_on, due_on__lt=today
    )
    return contact.due_on >= today - LEFT_WITHIN and not later.exists()


def _live_the_month(
    rng: random.Random, when: Moments, planned: list[Confirmation], today: dt.date
) -> tuple[int, int]:
    """Day by day: the day's plans confirmed in the morning; in the afternoon some missed visits and calls made
    up, and most of the day's recorded (each visitor left their last one before today undone, whatever weekday
    today is: today's list has it late); then the night's chase. Today's visits and calls are left to do."""
    done = missed = 0
    left: dict[int | None, int] = {}  # visitor → the last visit or call before today they left undone
    day = min(p.day for p in planned) if planned else today
    while day < today:
        with time_machine.travel(at(day, 9), tick=False):
            for plan in (p for p in planned if p.day == day):
                _confirm(rng, plan)
        with time_machine.travel(at(day, 15, rng.randint(0, 59)), tick=False):
            services.care_schedules_extend(today=day)
            late = CareContact.objects.filter(
                state=ContactState.MISSED, assignee__isnull=False, due_on__lt=today - RECENT
            )
            for contact in late.exclude(pk__in=left.values()).select_related("plan__resident", "assignee"):
                if rng.random() < MAKE_UP:
                    _record(rng, contact, when, hours=(14, 17))
                    done += 1
            due = CareContact.objects.filter(due_on=day, state=ContactState.DUE).select_related(
                "plan__resident", "assignee"
            )
            for contact in due.order_by("pk"):
                last = contact.assignee_id not in left and _last_before(contact, today)
                if contact.assignee is None or last or rng.random() < 0.08:
                    if last:
                        left[contact.assignee_id] = contact.pk
                    missed += 1
                    continue
                _record(rng, contact, when)
                done += 1
        with time_machine.travel(at(day + dt.timedelta(days=1), 1), tick=False):
            services.care_contacts_chase()
        day += dt.timedelta(days=1)
    services.care_schedules_extend(today=today)
    return done, missed


def _staffed_communities(grids: list[Grid]) -> Iterator[tuple[OrgNode, Grid, User, User]]:
    """Each community once, with its first grid that has a grid worker, that worker and the community's worker
    (a community with neither is passed over)."""
    seen: set[int] = set()
    for grid in grids:
        community = grid.org_node if grid.org_node.kind == "community" else grid.org_node.parent
        if community is None or community.pk in seen:
            continue
        worker = grid.workers.filter(role=Role.GRID_WORKER).first()
        supervisor = User.objects.filter(role=Role.COMMUNITY_WORKER, org_node=community).first()
        if worker is None or supervisor is None:
            continue
        seen.add(community.pk)
        yield community, grid, worker, supervisor


def _cases(rng: random.Random, grids: list[Grid], today: dt.date) -> int:
    made = 0
    for _community, grid, worker, supervisor in _staffed_communities(grids):
        for n, (kind, source, summary, (applicant, respondent), end) in enumerate(CASES):
            opened = today - dt.timedelta(days=40 - n * 5)
            with time_machine.travel(at(opened, 10, n), tick=False):
                case = services.case_open(
                    actor=worker,
                    grid=grid,
                    kind=kind,
                    source=source,
                    summary=summary,
                    place=grid.name,
                    parties=[
                        {"side": "applicant", "name": applicant, "phone": ""},
                        {"side": "respondent", "name": respondent, "phone": ""},
                    ],
                )
            made += 1
            if end == "open":
                continue
            if end == "withdrawn":
                with time_machine.travel(at(opened + dt.timedelta(days=2), 16), tick=False):
                    services.case_close(
                        actor=supervisor,
                        case=case,
                        outcome="withdrawn",
                        note="申请人表示已与对方和解，撤回申请",
                    )
                continue
            with time_machine.travel(at(opened + dt.timedelta(days=2), 14), tick=False):
                services.session_record(
                    actor=worker,
                    case=case,
                    held_at=timezone.now() - dt.timedelta(hours=2),
                    attendees=f"{applicant}、{respondent}、网格员",
                    notes="双方陈述各自诉求，调解员释法说理，约定再次协商",
                )
            if end == "mediating":
                continue
            if end == "referred":
                with time_machine.travel(at(opened + dt.timedelta(days=5), 10), tick=False):
                    services.case_call_professional(
                        actor=worker,
                        case=case,
                        professional_kind="lawyer",
                        professional_name="社区法律顾问王律师",
                    )
                    services.case_close(
                        actor=supervisor, case=case, outcome="referred", note="对方拒不到场，引导申请人起诉"
                    )
                continue
            amount = Decimal(rng.choice([0, 800, 3000, 20000])) if kind != "debt" else Decimal(20000)
            signed = opened + dt.timedelta(days=6)
            with time_machine.travel(at(signed, 11), tick=False):
                services.agreement_sign(
                    actor=worker,
                    case=case,
                    terms=f"经调解，{respondent}同意在十五日内妥善解决，{applicant}不再追究其他责任。",
                    signed_on=signed,
                    amount=amount,
                    follow_up_on=signed + dt.timedelta(days=14),
                )
            if end == "settled":
                with time_machine.travel(at(signed + dt.timedelta(days=14), 15), tick=False):
                    services.case_follow_up(
                        actor=worker,
                        case=case,
                        note="回访：已按协议履行，双方满意",
                        holds=True,
                        amount_recovered=amount,
                    )
    return made


ROTA = [
    ("lawyer", "王明理律师", "明理律师事务所", "12345"),
    ("judge", "陈法官", "区人民法院", "3"),
    ("prosecutor", "周检察官", "区人民检察院", "5"),
    ("police", "李警官", "街道派出所", "1234567"),
    ("psychologist", "吴心理咨询师", "阳光心理服务中心", "24"),
]
LEGAL_AID = [
    ("秦师傅", "wages", "装修公司拖欠三个月工资共一万八千元", True, "applied"),
    ("杨先生", "wages", "与公司就加班费发生争议，收入较高", False, "refused"),
    ("林女士", "violence", "长期遭受家庭暴力，申请人身安全保护令", False, "assigned"),
    ("郑大爷", "support", "子女拒绝支付赡养费", True, "won"),
    ("马阿姨", "injury", "小区内被电动车撞伤，对方拒绝赔偿", True, "settled"),
]
PLACES = [
    ("after_school", "四点半课堂", 3, ["乐乐", "欢欢", "朵朵", "豆豆", "天天"]),
    ("nursery", "社区托育点", 4, ["小宝", "贝贝"]),
    ("children_home", "儿童之家", 20, ["阳阳", "果果", "笑笑"]),
]


def _community_parts(rng: random.Random, grids: list[Grid], today: dt.date) -> dict[str, int]:
    """In each community: the rota of 三官两师, legal-aid applications in every state and two talks, children's
    places (one full, with children waiting), and services for the people in care (delivered, booked, cancelled)
    with one alert raised during a visit in the last hours."""
    counts = {"rota": 0, "legal": 0, "children": 0, "services": 0, "alerts": 0}
    for community, grid, worker, supervisor in _staffed_communities(grids):
        rota = {
            kind: services.rota_add(
                actor=supervisor,
                community=community,
                kind=kind,
                name=name,
                organisation=org,
                weekdays=days,
                phone=f"010-6{rng.randint(1_000_000, 9_999_999)}",
            )
            for kind, name, org, days in ROTA
        }
        counts["rota"] += len(rota)
        for n, (name, matter, summary, hardship, end) in enumerate(LEGAL_AID):
            with time_machine.travel(at(today - dt.timedelta(days=30 - n * 4), 10), tick=False):
                app = services.legal_aid_apply(
                    actor=worker,
                    grid=grid,
                    applicant_name=name,
                    applicant_phone=f"138{rng.randint(10_000_000, 99_999_999)}",
                    matter=matter,
                    summary=summary,
                    low_income=hardship,
                )
                counts["legal"] += 1
                if end == "refused":
                    services.legal_aid_refuse(
                        actor=supervisor, application=app, reason="收入高于当地经济困难标准，建议自行委托律师"
                    )
                elif end != "applied":
                    services.legal_aid_assign(actor=supervisor, application=app, lawyer=rota["lawyer"])
            if end in ("won", "settled"):
                with time_machine.travel(at(today - dt.timedelta(days=5 - n), 16), tick=False):
                    services.legal_aid_conclude(
                        actor=supervisor,
                        application=app,
                        outcome=end,
                        note="法院判决支付" if end == "won" else "经律师主持双方达成赔偿协议",
                        amount_recovered=Decimal(36000 if end == "won" else 12500),
                    )
        for days_ago, topic, audience in ((21, "民法典与老年人权益", 46), (7, "防范养老诈骗", 63)):
            services.legal_talk_record(
                actor=supervisor,
                community=community,
                held_on=today - dt.timedelta(days=days_ago),
                topic=topic,
                speaker=rota["lawyer"].name,
                audience=audience,
            )
        for kind, name, capacity, children in PLACES:
            place = services.child_place_create(
                actor=supervisor,
                community=community,
                kind=kind,
                name=f"{community.name}{name}",
                capacity=capacity,
                ages="3岁以下" if kind == "nursery" else "6-12岁",
                hours="周一至周五 16:30-18:30" if kind == "after_school" else "周一至周五 8:00-17:30",
            )
            for child in children:
                services.enrolment_create(
                    actor=worker,
                    place=place,
                    child_name=child,
                    birth_date=today - dt.timedelta(days=365 * (2 if kind == "nursery" else 8)),
                    guardian_name=f"{child}家长",
                    guardian_phone=f"137{rng.randint(10_000_000, 99_999_999)}",
                )
                counts["children"] += 1
        plans = list(CarePlan.objects.filter(grid=grid).order_by("pk")[:6])
        for n, plan in enumerate(plans):
            kind = ["meal", "bathing", "cleaning", "health_check", "company", "errand"][n % 6]
            booked_on = today - dt.timedelta(days=3)
            with time_machine.travel(at(booked_on, 9), tick=False):
                given = services.care_service_order(
                    actor=worker,
                    plan=plan,
                    kind=kind,
                    provider="社区食堂" if kind == "meal" else "社区志愿服务队",
                    scheduled_on=booked_on,
                    volunteer=worker if kind != "meal" else None,
                )
                services.care_service_deliver(
                    actor=worker, service=given, hours=Decimal("1.5"), note="按约完成，老人满意"
                )
                # The worker's job hands the hours over on the day given (their time bank entry is dated then).
                services.care_service_hours_hand_over()
                upcoming = services.care_service_order(
                    actor=worker,
                    plan=plan,
                    kind=kind,
                    provider="社区志愿服务队",
                    scheduled_on=today + dt.timedelta(days=n % 3),
                    volunteer=worker,
                )
                counts["services"] += 2
            if n == 1:
                services.care_service_cancel(actor=worker, service=upcoming, reason="老人随子女外出一周")
        if plans:
            services.care_alert_token_issue(actor=supervisor, plan=plans[0])
            # Raised within the last hours (a fall found on this morning's visit): its emergency order is
            # being handled and the text to the emergency contact is due now, as a real deployment sends it.
            minutes_ago = 20 + 25 * counts["alerts"]
            with time_machine.travel(timezone.now() - dt.timedelta(minutes=minutes_ago), tick=False):
                services.care_alert_raise(
                    actor=worker,
                    plan=plans[0],
                    kind="fall",
                    source="visit",
                    note="探访时发现老人在卫生间滑倒",
                )
            counts["alerts"] += 1
    return counts


def _spare_plan(grid: Grid) -> CarePlan | None:
    """A plan a volunteer may take over, if it can be, without leaving its grid worker's day short of a colour:
    the latest one of a colour the grid has two or more of, else the latest one."""
    plans = list(CarePlan.objects.filter(grid=grid).order_by("-pk"))
    levels = [p.level for p in plans]
    return next((p for p in plans if levels.count(p.level) > 1), plans[0] if plans else None)


def _volunteer_visits(grids: list[Grid], today: dt.date) -> int:
    """In each community one person in care is visited by a volunteer from today on (a demo resident who signs in
    finds the visits on /care/), who also gave them a service three days ago (the hours paid into their time bank)
    and has one booked for today."""
    assigned = 0
    seen: set[int] = set()
    for grid in grids:
        community = grid.org_node if grid.org_node.kind == "community" else grid.org_node.parent
        supervisor = User.objects.filter(role=Role.COMMUNITY_WORKER, org_node=community).first()
        plan = _spare_plan(grid)
        if community is None or community.pk in seen or supervisor is None or plan is None:
            continue
        volunteers = [v for v in visitors_for(supervisor, grid) if v.kind == VisitorKind.VOLUNTEER]
        if not volunteers:
            continue
        seen.add(community.pk)
        visitor = volunteers[0].account
        services.care_plan_visitor_set(actor=supervisor, plan=plan, visitor=visitor)
        gave_on = today - dt.timedelta(days=3)
        with time_machine.travel(at(gave_on, 9), tick=False):
            given = services.care_service_order(
                actor=supervisor,
                plan=plan,
                kind="company",
                provider="社区志愿服务队",
                scheduled_on=gave_on,
                volunteer=visitor,
            )
        with time_machine.travel(at(gave_on, 16), tick=False):
            services.care_service_deliver(
                actor=visitor, service=given, hours=Decimal(2), note="陪老人聊天、读报"
            )
            services.care_service_hours_hand_over()  # the job's pass that afternoon: the entry is dated then
        services.care_service_order(
            actor=supervisor,
            plan=plan,
            kind="errand",
            provider="社区志愿服务队",
            scheduled_on=today,
            volunteer=visitor,
        )
        assigned += 1
    services.care_service_hours_hand_over()
    return assigned


def part(run: DemoRun) -> None:
    if run.district is None:
        return
    rng = random.Random(run.seed + 18)
    today = timezone.localdate()
    grids = list(run.district.grids)
    planned = _confirmations(rng, grids, max(2, int(4 * run.scale)), today)
    plans = len(planned)
    done, missed = _live_the_month(rng, Moments(random.Random(run.seed + 31), timezone.now()), planned, today)
    cases = _cases(rng, grids, today)
    more = _community_parts(rng, grids, today)
    more["volunteered"] = _volunteer_visits(grids, today)
    run.say(
        _(
            "Care: %(rota)s on the rota, %(legal)s legal-aid applications, %(children)s children signed up, "
            "%(services)s services, %(alerts)s alerts; %(volunteered)s people visited by volunteers."
        )
        % more
    )
    run.say(
        _(
            "Care: %(plans)s plans, %(done)s visits and calls done, %(missed)s missed; %(cases)s mediation cases."
        )
        % {"plans": plans, "done": done, "missed": missed, "cases": cases}
    )
