"""Appeals in every state written straight to the table (figures only read columns), for rollup tests."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from django.utils import timezone

from linli.appeals.choices import AppealState, Outcome, Rating, Tier
from linli.appeals.models import Appeal, AppealRating, Category
from linli.territory.models import Grid

if TYPE_CHECKING:
    from linli.testing import Cast

TZ = ZoneInfo("Asia/Shanghai")
_seq = [0]


def at(day: dt.date, hour: int = 10, minute: int = 0) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=TZ)


def make_appeal(
    *,
    grid: Grid | None,
    org_path: str,
    created: dt.datetime,
    category: Category | None,
    state: str = AppealState.DISPATCHED,
    outcome: str = "",
    **fields: Any,
) -> Appeal:
    _seq[0] += 1
    a = Appeal.objects.create(
        tracking_number=f"T{_seq[0]:08d}{random.randint(0, 9999):04d}",
        kind=fields.pop("kind", "complaint"),
        title="测试诉求",
        description="测试诉求内容",
        channel=fields.pop("channel", "web"),
        contact_name=fields.pop("contact_name", "张三"),
        contact_phone=fields.pop("contact_phone", "13812345678"),
        address=fields.pop("address", "和平路1号院1号楼101"),
        grid=grid,
        org_path=org_path,
        category=category,
        state=state,
        outcome=outcome,
        **fields,
    )
    Appeal.objects.filter(pk=a.pk).update(created_at=created)
    a.created_at = created
    return a


def rate(appeal: Appeal, value: str, when: dt.datetime, round_: int = 1) -> None:
    AppealRating.objects.create(appeal=appeal, value=value, at=when, round=round_)


def random_appeal(rng: random.Random, grids: list[Grid], cats: list[Category], day: dt.date) -> Appeal:
    grid = rng.choice(grids)
    created = at(day, rng.randint(0, 23), rng.randint(0, 59))
    kw: dict[str, Any] = {"resolve_due_at": created + dt.timedelta(days=rng.randint(1, 12))}
    state = rng.choice(
        ["accepted", "dispatched", "acknowledged", "in_progress", "resolved", "rated", "closed"]
    )
    outcome = ""
    if state in ("dispatched", "acknowledged", "in_progress", "resolved", "rated", "closed"):
        kw["dispatched_at"] = created + dt.timedelta(hours=1)
        kw["ack_due_at"] = created + dt.timedelta(hours=rng.choice([2, 30]))
        kw["return_count"] = rng.choice([0, 0, 0, 1])
    if state in ("acknowledged", "in_progress", "resolved", "rated", "closed"):
        kw["acknowledged_at"] = created + dt.timedelta(hours=rng.choice([1, 5, 26]))
    if state in ("resolved", "rated", "closed"):
        outcome = rng.choice([Outcome.FIXED, Outcome.FIXED, Outcome.ANSWERED, Outcome.NO_FURTHER_ACTION])
        kw["resolved_at"] = created + dt.timedelta(hours=rng.randint(2, 300))
        kw["resolved_on_time"] = kw["resolved_at"] <= kw["resolve_due_at"]
        kw["resolved_tier"] = rng.choice([Tier.GRID, Tier.GRID, Tier.COMMUNITY, Tier.STREET, Tier.DEPARTMENT])
        kw["rework_count"] = rng.choice([0, 0, 0, 1])
    if state == "closed" and rng.random() < 0.3:
        outcome = rng.choice([Outcome.DUPLICATE, Outcome.WITHDRAWN])
    if rng.random() < 0.1:
        kw["breached_at"] = kw["resolve_due_at"]
    a = make_appeal(
        grid=grid,
        org_path=grid.org_node.path,
        created=created,
        category=rng.choice(cats),
        state=state,
        outcome=outcome,
        channel=rng.choice(["web", "hotline", "qr", "patrol"]),
        **kw,
    )
    if state in ("rated", "closed") and outcome not in (Outcome.DUPLICATE, Outcome.WITHDRAWN):
        rate(a, rng.choice(list(Rating.values)), kw["resolved_at"] + dt.timedelta(hours=5))
    return a


def transition(rng: random.Random, appeal: Appeal, now: dt.datetime | None = None) -> None:
    """A random change of the kind services make (each bumps updated_at)."""
    now = now or timezone.now()
    choice = rng.choice(["resolve", "rate", "rework", "return", "ack", "category"])
    changes: dict[str, Any] = {"updated_at": now}
    if choice == "resolve" and appeal.state not in ("resolved", "rated", "closed"):
        changes.update(
            state="resolved",
            outcome=Outcome.FIXED,
            dispatched_at=appeal.dispatched_at or appeal.created_at,
            acknowledged_at=appeal.acknowledged_at or appeal.created_at + dt.timedelta(hours=1),
            resolved_at=appeal.created_at + dt.timedelta(hours=rng.randint(3, 200)),
            resolved_on_time=rng.random() < 0.7,
            resolved_tier=rng.choice([Tier.GRID, Tier.COMMUNITY]),
        )
    elif choice == "rate" and appeal.outcome in (Outcome.FIXED, Outcome.ANSWERED):
        rate(appeal, rng.choice(list(Rating.values)), now, round_=2)
        changes.update(state="rated")
    elif choice == "rework" and appeal.outcome:
        changes.update(
            state="in_progress", outcome="", rework_count=appeal.rework_count + 1, resolved_at=None
        )
    elif choice == "return":
        changes.update(state="returned", return_count=appeal.return_count + 1)
    elif choice == "ack":
        changes.update(acknowledged_at=appeal.created_at + dt.timedelta(minutes=rng.randint(5, 3000)))
    else:
        changes.update(category=rng.choice(list(Category.objects.filter(parent__isnull=False)[:30])))
    Appeal.objects.filter(pk=appeal.pk).update(**changes)


def overdue_appeals(cast: Cast, titles: Iterable[str]) -> list[int]:
    """Appeals the cast's resident submits with these titles, each two days past its deadline, and the rollups
    brought up to date, for the pages that list what is overdue: their ids, in order."""
    from linli.appeals.tests.factories import submit
    from linli.dashboard import services

    late = [submit(cast, title=title).pk for title in titles]
    Appeal.objects.filter(pk__in=late).update(resolve_due_at=timezone.now() - dt.timedelta(days=2))
    services.rollups_refresh_all()
    return late
