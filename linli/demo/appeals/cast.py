"""Who acts in the demo's appeal history (handlers, supervisors, departments, residents) and the moved clock."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

import time_machine
from django.utils import timezone

from linli.accounts.models import User
from linli.appeals import routing
from linli.appeals.choices import Tier
from linli.appeals.models import Appeal, Category, SlaRule
from linli.core.roles import Role
from linli.territory.models import Grid, Organisation, OrgNode, Resident


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
