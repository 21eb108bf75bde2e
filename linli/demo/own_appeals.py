"""The demo accounts' own appeals: a demo resident who signs in finds appeals of their own under 我的诉求, and the
property company's staff account (property1) finds work dispatched to its company.

Residents 1–6 (the deliberation part made the resident accounts, households verified) each submitted three
through intake: one just now, still waiting for the unit to take it up; one the unit is handling; and one
resolved weeks ago, rated by the resident and closed by the worker. Three made-up residents of the compound the
property company serves reported things the grid worker found to be the property company's (物业) to fix: the
grid worker returned them and the community dispatched them to the company, whose staff member resolved one
(rated and closed), is handling another and has not yet taken up the newest. Everything goes through the
appeals services with the clock moved to each step, the worker's jobs running as they fall due (appeals' `_Life`)."""

from __future__ import annotations

import datetime as dt
import random
from typing import TYPE_CHECKING

import time_machine
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone
from django.utils.translation import gettext as _

from linli.accounts.models import User
from linli.appeals import services
from linli.appeals.choices import AppealState, Channel, Outcome, Rating
from linli.appeals.models import Category
from linli.core.models import OutboxChannel
from linli.core.outbox import outbox_discard
from linli.core.roles import Role
from linli.territory.choices import OrganisationKind
from linli.territory.models import Grid

from .appeals.cast import _Cast, _cast, _Clock
from .appeals.life import _Life
from .appeals.texts import NOTES, _texts

if TYPE_CHECKING:
    from .parts import DemoRun

RESIDENTS = 6  # resident1 … resident6
# What the property company's staff are sent: (title, description, category).
PROPERTY_WORK = [
    ("单元门禁损坏", "我们单元的门禁坏了好几天，外来人员随意进出，请物业尽快修好。", "property_management.property_service"),
    ("楼道灯不亮", "3号楼2单元四楼到六楼的楼道灯都不亮了，晚上上下楼很危险，请物业更换灯泡。", "property_management.shared_areas"),
    ("地下车库积水", "地下车库入口处积水严重，下雨后车辆进出困难，请物业疏通排水。", "property_management.shared_areas"),
]  # fmt: skip


def _live(life: _Life, *, resolve_after: dt.timedelta | None, handler: User | None = None) -> None:
    """Take the appeal up (acknowledge, contact, start) within hours and, when `resolve_after` is given, resolve
    it that long after submission; a `handler` other than the unit's usual one (the property company's)."""
    appeal, rng = life.appeal, life.rng
    actor = handler or life.handler
    if not life.at(appeal.created_at + dt.timedelta(minutes=rng.randint(20, 90))):
        return
    life.appeal = services.appeal_acknowledge(actor=actor, appeal=life.appeal)
    life.working = handler is None  # (the worker re-acknowledges an escalated one for the usual handler only)
    if not life.at(life.clock.last + dt.timedelta(minutes=rng.randint(10, 60))):
        return
    life.appeal = services.appeal_contact(
        actor=actor, appeal=life.appeal, note="已电话联系诉求人，约定上门时间"
    )
    if not life.at(life.clock.last + dt.timedelta(hours=rng.uniform(1, 4))):
        return
    if life.appeal.state == AppealState.ACKNOWLEDGED:
        life.appeal = services.appeal_start(actor=actor, appeal=life.appeal)
    if resolve_after is None or not life.at(appeal.created_at + resolve_after):
        return
    life.appeal = services.appeal_resolve(
        actor=actor, appeal=life.appeal, note=NOTES[Outcome.FIXED], outcome=Outcome.FIXED
    )


def _rate(life: _Life, value: str, *, resident: User | None) -> None:
    if life.at(life.clock.last + dt.timedelta(hours=life.rng.uniform(2, 20))):
        life.appeal = services.appeal_rate(
            actor=resident, appeal=life.appeal, value=value, phone=life.appeal.contact_phone
        )


def _residents_appeals(rng: random.Random, clock: _Clock, cast: _Cast, now: dt.datetime) -> int:
    """Three appeals of each of residents 1–6, submitted signed in from their home's grid."""
    categories = set(Category.objects.values_list("code", flat=True))
    texts = [t for t in _texts() if t[2] in categories and not t[2].startswith("public_safety")]
    made = 0
    for n in range(1, RESIDENTS + 1):
        user = (
            User.objects.filter(username=f"resident{n}", role=Role.RESIDENT)
            .select_related("household__building")
            .first()
        )
        household = user.household if user is not None else None
        if user is None or household is None:
            continue
        grid = Grid.objects.get(pk=household.building.grid_id)
        # (submitted how long ago, taken up, resolved how long after): closed and rated, handled, waiting.
        for ago, taken_up, resolve_after in (
            (
                dt.timedelta(days=10 + 4 * n, hours=rng.randint(0, 8)),
                True,
                dt.timedelta(days=rng.randint(1, 3)),
            ),
            (dt.timedelta(hours=20 + 3 * n), True, None),
            (dt.timedelta(minutes=15 + 7 * n), False, None),
        ):
            title, description, code = rng.choice(texts)
            clock.at(now - ago)
            appeal = services.appeal_submit(
                actor=user,
                kind="help",
                title=(title or description[:30])[:100],
                description=description,
                channel=Channel.QR if n % 2 else Channel.WEB,
                category_code=code,
                grid=grid,
                address=household.address[:200],
            )
            life = _Life(rng, clock, cast, cast.attach(appeal))
            made += 1
            if taken_up:
                _live(life, resolve_after=resolve_after)
            if resolve_after is not None and life.appeal.state == AppealState.RESOLVED:
                _rate(life, Rating.BASICALLY if n == 4 else Rating.SATISFIED, resident=user)
            life.until_now()
    return made


def _property_work(rng: random.Random, clock: _Clock, cast: _Cast, now: dt.datetime) -> int:
    """Appeals the grid worker returned as the property company's, which the community dispatched to it."""
    staff = (
        User.objects.filter(role=Role.PROPERTY_STAFF).select_related("organisation").order_by("id").first()
    )
    company = staff.organisation if staff is not None else None
    if staff is None or company is None or company.kind != OrganisationKind.PROPERTY_COMPANY:
        return 0
    grids = [g for g in cast.grids if company.org_node and g.org_node_id == company.org_node_id]
    made = 0
    for (title, description, code), (ago, resolve_after) in zip(
        PROPERTY_WORK,
        [
            (dt.timedelta(days=12, hours=3), dt.timedelta(days=2)),
            (dt.timedelta(hours=26), None),
            (dt.timedelta(minutes=40), None),
        ],
        strict=True,
    ):
        if not grids:
            break
        grid = rng.choice(grids)
        clock.at(now - ago)
        name, phone = cast.person(rng, grid)
        appeal = services.appeal_submit(
            actor=None,
            kind="help",
            title=title,
            description=description,
            channel=Channel.HOTLINE,
            category_code=code,
            contact_name=name,
            contact_phone=phone,
            grid=grid,
        )
        life = _Life(rng, clock, cast, cast.attach(appeal))
        if life.appeal.state != AppealState.DISPATCHED or life.handler is None:
            continue
        life.at(clock.last + dt.timedelta(minutes=rng.randint(10, 30)))
        life.appeal = services.appeal_return(
            actor=life.handler, appeal=life.appeal, reason="属小区公共部位维修，归物业公司负责"
        )
        supervisor = cast.supervisor(life.appeal)
        life.at(clock.last + dt.timedelta(minutes=rng.randint(5, 20)))
        life.appeal = cast.attach(
            services.appeal_dispatch(
                actor=supervisor, appeal=life.appeal, unit_org=company, reason="请物业公司上门处置"
            )
        )
        made += 1
        if ago > dt.timedelta(hours=2):
            _live(life, resolve_after=resolve_after, handler=staff)
        if life.appeal.state == AppealState.RESOLVED:
            _rate(life, Rating.SATISFIED, resident=None)
        life.until_now()
    return made


def part(run: DemoRun) -> None:
    if run.district is None or run.appeal_days <= 0:
        return
    rng = random.Random(run.seed + 19)
    now = timezone.now()
    with transaction.atomic(), override_settings(LINLI_OUTBOX_SEND_ON_COMMIT=False):
        cast = _cast()
        with time_machine.travel(now, tick=False) as traveller:
            clock = _Clock(traveller, now)
            mine = _residents_appeals(rng, clock, cast, now)
            theirs = _property_work(rng, clock, cast, now)
            clock.at(now)
        # The demo's phones are made up: no text message is sent to them.
        phones = set(User.objects.filter(role=Role.RESIDENT).values_list("phone", flat=True)) | cast.phones
        outbox_discard(channel=OutboxChannel.SMS, recipients=phones)
    run.say(
        _("The demo accounts' appeals: %(mine)d of residents 1–6, %(theirs)d sent to the property company.")
        % {"mine": mine, "theirs": theirs}
    )
