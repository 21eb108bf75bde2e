"""The demo's accounts on the sign-in pages: while the database holds the demo district (its residents are marked
as demo data), /login/ has a folded block 演示账号 that lists the staff accounts the demo made, by role with each
one's area, and the residents' page a line with the demo residents' mobile numbers. Nothing in a database without
the demo. The password is never shown: `linli demo` draws a random one and prints it once (`make run` shows it).

Registered with accounts' sign-in hints (contributions.py); read on every request in two queries and cached
nowhere, so a demo loaded again is shown as it now is."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import OuterRef, Q, Subquery

from linli.accounts.models import User
from linli.core.roles import Role
from linli.territory.models import Grid, Resident

from .territory.organisations import DEPARTMENTS, PROPERTY_STAFF_USERNAME
from .territory.party import SECRETARY_PHONE

# A role with more accounts than LIST_ALL (the demo has up to 200 grid workers) has its first SHOWN named one by one
# and the rest summed up as up to the last; the others are named all.
LIST_ALL = 10
SHOWN = 3
# The departments' handlers in the order the demo lists the departments (城管委 first).
DEPARTMENT_HANDLERS = [f"dept-{code.lower()}" for code, *_rest in DEPARTMENTS]
# The roles from the district down, each with how the demo names its accounts (organisations.py).
STAFF: list[tuple[Role, Q]] = [
    (Role.DISTRICT_LEADER, Q(username="leader")),
    (Role.STREET_OFFICER, Q(username="street")),
    (Role.COMMUNITY_WORKER, Q(username__regex=r"^community[0-9]+$")),
    (Role.GRID_WORKER, Q(username__regex=r"^grid[0-9]+$")),
    (Role.DEPARTMENT_HANDLER, Q(username__in=DEPARTMENT_HANDLERS)),
    (Role.PROPERTY_STAFF, Q(username=PROPERTY_STAFF_USERNAME)),
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
class DemoAccounts:
    roles: list[RoleAccounts]
    admin: bool  # the demo administrator `admin` (its own password, printed by `linli setup`)
    residents: list[str] = field(default_factory=list)  # the demo residents' mobile numbers, in order
    secretary: str = ""  # the branch secretary's mobile number


def _area(user: User) -> str:
    if user.role == Role.GRID_WORKER:
        return getattr(user, "grid_name", None) or ""
    if user.organisation is not None:
        return user.organisation.name
    return user.org_node.name if user.org_node is not None else ""


def _in_order(user: User) -> tuple[str, int]:
    """Numbered names in their numbers' order (community2 before community10), the departments' in the demo's."""
    if user.username in DEPARTMENT_HANDLERS:
        return "dept-", DEPARTMENT_HANDLERS.index(user.username)
    name = user.username.rstrip("0123456789")
    return name, int(user.username[len(name) :] or 0)


def demo_accounts() -> DemoAccounts | None:
    """The demo's accounts that can sign in, or None when the database holds no demo district."""
    if not Resident.objects.filter(is_demo=True).exists():
        return None
    staff = Q()
    for role, by_name in STAFF:
        staff |= Q(role=role) & by_name
    first_grid = Grid.objects.filter(workers=OuterRef("pk")).order_by("code").values("name")[:1]
    users = list(
        User.objects.filter(is_active=True)
        .filter(staff | RESIDENTS | Q(username="admin", role=Role.ADMIN))
        .select_related("org_node", "organisation")
        .annotate(grid_name=Subquery(first_grid))
        .order_by("username")
    )
    roles = []
    for role, _named in STAFF:
        mine = sorted((u for u in users if u.role == role), key=_in_order)
        if not mine:
            continue
        shown = [Account(u.username, _area(u)) for u in (mine if len(mine) <= LIST_ALL else mine[:SHOWN])]
        roles.append(RoleAccounts(str(role.label), shown, total=len(mine), last=mine[-1].username))
    residents = sorted(u.phone for u in users if u.role == Role.RESIDENT and u.phone != SECRETARY_PHONE)
    secretary = SECRETARY_PHONE if any(u.phone == SECRETARY_PHONE for u in users) else ""
    return DemoAccounts(
        roles=roles,
        admin=any(u.role == Role.ADMIN for u in users),
        residents=residents,
        secretary=secretary,
    )
