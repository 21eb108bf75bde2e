"""The demo's accounts on the sign-in pages: while the database holds the demo district (its residents are marked
as demo data), /login/ has a folded block 演示账号 that lists the staff accounts the demo made, by role with each
one's area, and the residents' page a line with the demo residents' mobile numbers. Nothing in a database without
the demo. The password is never shown: `linli demo` draws a random one and prints it once (`make run` shows it).

Registered with accounts' sign-in hints (contributions.py), one reader a page, each reading only what its page
shows: `staff_accounts` the staff accounts it names (of the demo's 200 grid workers, the first few and the last)
and the residents' first and last number, in four queries; `resident_phones` only those numbers, in two. Read on
every request and cached nowhere, so a demo loaded again is shown as it now is."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Case, Count, F, Max, Min, Q, Value, When, Window
from django.db.models.functions import Length, RowNumber

from linli.accounts.models import User
from linli.core.roles import Role
from linli.territory.choices import OrganisationKind
from linli.territory.models import Grid, Resident

from .territory.organisations import DEPARTMENTS, PARTNER_STAFF_USERNAME, PROPERTY_STAFF_USERNAME
from .territory.party import SECRETARY_PHONE

# A role with more accounts than LIST_ALL (the demo has up to 200 grid workers) has its first SHOWN named one by one
# and the rest summed up as up to the last; the others are named all.
LIST_ALL = 10
SHOWN = 3
# The departments' handlers in the order the demo lists the departments (城管委 first).
DEPARTMENT_HANDLERS = [f"dept-{code.lower()}" for code, *_rest in DEPARTMENTS]
# The kinds of account from the district down, each with what the block calls it, its role and how the demo names
# its accounts (organisations.py). A partner unit's contact is a department handler of that unit (the product's
# account of a unit outside the tree), listed apart under the unit's kind.
STAFF: list[tuple[Any, Role, Q]] = [
    (Role.DISTRICT_LEADER.label, Role.DISTRICT_LEADER, Q(username="leader")),
    (Role.STREET_OFFICER.label, Role.STREET_OFFICER, Q(username="street")),
    (Role.COMMUNITY_WORKER.label, Role.COMMUNITY_WORKER, Q(username__regex=r"^community[0-9]+$")),
    (Role.GRID_WORKER.label, Role.GRID_WORKER, Q(username__regex=r"^grid[0-9]+$")),
    (Role.DEPARTMENT_HANDLER.label, Role.DEPARTMENT_HANDLER, Q(username__in=DEPARTMENT_HANDLERS)),
    (OrganisationKind.PARTNER_UNIT.label, Role.DEPARTMENT_HANDLER, Q(username=PARTNER_STAFF_USERNAME)),
    (Role.PROPERTY_STAFF.label, Role.PROPERTY_STAFF, Q(username=PROPERTY_STAFF_USERNAME)),
]
# The demo residents' accounts (deliberation.py: resident1… with 1990000xxxx) and the branch secretary's.
RESIDENTS = Q(role=Role.RESIDENT) & (
    Q(username__regex=r"^resident[0-9]+$", phone__startswith="1990000") | Q(phone=SECRETARY_PHONE)
)


@dataclass(frozen=True)
class Account:
    username: str
    area: str


@dataclass(frozen=True)
class RoleAccounts:
    role: str  # the role's name (网格员)
    shown: list[Account]  # named one by one
    total: int  # how many there are
    last: str  # the last one's username

    @property
    def more(self) -> int:
        return self.total - len(self.shown)


@dataclass(frozen=True)
class Residents:
    first: str  # the demo residents' first and last mobile numbers
    last: str
    secretary: str = ""  # the branch secretary's mobile number


@dataclass(frozen=True)
class DemoAccounts:
    roles: list[RoleAccounts]
    admin: bool  # the demo administrator `admin` (its own password, printed by `linli setup`)
    residents: Residents | None = None


def _area(user: User, grids: dict[int, str]) -> str:
    if user.role == Role.GRID_WORKER:
        return grids.get(user.pk, "")
    if user.organisation is not None:
        return user.organisation.name
    return user.org_node.name if user.org_node is not None else ""


def _in_order(user: User) -> tuple[str, int]:
    """Numbered names in their numbers' order (community2 before community10), the departments' in the demo's."""
    if user.username in DEPARTMENT_HANDLERS:
        return "dept-", DEPARTMENT_HANDLERS.index(user.username)
    name = user.username.rstrip("0123456789")
    return name, int(user.username[len(name) :] or 0)


def _is_demo() -> bool:
    return Resident.objects.filter(is_demo=True).exists()


def _residents() -> Residents | None:
    """The demo residents' first and last mobile numbers and the secretary's, in one query that reads no account."""
    others = ~Q(phone=SECRETARY_PHONE)
    found = (
        User.objects.filter(is_active=True)
        .filter(RESIDENTS)
        .aggregate(
            first=Min("phone", filter=others),
            last=Max("phone", filter=others),
            secretaries=Count("pk", filter=Q(phone=SECRETARY_PHONE)),
        )
    )
    if found["first"] is None:
        return None
    return Residents(found["first"], found["last"], SECRETARY_PHONE if found["secretaries"] else "")


def _staff() -> list[User]:
    """The staff accounts the block names: every one of a role with up to LIST_ALL, else its first SHOWN and its
    last (with how many it has), in the order the block lists them; and the administrator."""
    staff = Q(username="admin", role=Role.ADMIN)
    for _label, role, by_name in STAFF:
        staff |= Q(role=role) & by_name
    # Which line of STAFF an account is listed under (the admin under none: -1).
    kind = Case(
        *(When(Q(role=role) & by_name, then=Value(i)) for i, (_label, role, by_name) in enumerate(STAFF)),
        default=Value(-1),
    )
    # Numbered names in their numbers' order: a shorter name first (grid9 before grid10), the departments' in the
    # demo's order.
    departments = Case(
        *(When(username=name, then=Value(i)) for i, name in enumerate(DEPARTMENT_HANDLERS)), default=Value(0)
    )
    order = [departments.asc(), Length("username").asc(), F("username").asc()]
    return list(
        User.objects.filter(is_active=True)
        .filter(staff)
        .annotate(kind=kind)
        .annotate(
            place=Window(RowNumber(), partition_by=F("kind"), order_by=order),
            total=Window(Count("pk"), partition_by=F("kind")),
        )
        .filter(Q(total__lte=LIST_ALL) | Q(place__lte=SHOWN) | Q(place=F("total")))
        .select_related("org_node", "organisation")
        .order_by("username")
    )


def _first_grids(users: list[User]) -> dict[int, str]:
    """Each grid worker's first grid (by code), by the worker's id."""
    ids = [u.pk for u in users if u.role == Role.GRID_WORKER]
    grids: dict[int, str] = {}
    if ids:
        for worker, name in (
            Grid.objects.filter(workers__in=ids).order_by("code").values_list("workers", "name")
        ):
            grids.setdefault(worker, name)
    return grids


def staff_accounts() -> DemoAccounts | None:
    """What /login/ names: the demo's staff accounts and the residents' numbers, or None without the demo."""
    if not _is_demo():
        return None
    users = _staff()
    grids = _first_grids(users)
    roles = []
    for i, (label, _role, _named) in enumerate(STAFF):
        mine = sorted((u for u in users if getattr(u, "kind", None) == i), key=_in_order)
        if not mine:
            continue
        total = getattr(mine[0], "total", len(mine))
        shown = [Account(u.username, _area(u, grids)) for u in (mine if total <= LIST_ALL else mine[:SHOWN])]
        roles.append(RoleAccounts(str(label), shown, total=total, last=mine[-1].username))
    return DemoAccounts(roles=roles, admin=any(u.role == Role.ADMIN for u in users), residents=_residents())


def resident_phones() -> Residents | None:
    """What the residents' sign-in page names: the demo residents' numbers, or None without the demo."""
    if not _is_demo():
        return None
    return _residents()
