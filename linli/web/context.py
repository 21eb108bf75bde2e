"""Template context shared by every page: map tile settings and the main navigation."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from linli.accounts.selectors import STAFF_READERS
from linli.core.roles import UNIT_ROLES, Role
from linli.core.scoping import is_admin, is_staff_member
from linli.core.session_memo import remembered
from linli.party.permissions import LEADS_KEY, is_secretary

# (label, candidate URL names, section): the first URL name that exists is used; items with none are hidden,
# so the navigation grows as the apps add their pages.
NAV_ITEMS: list[tuple[Any, tuple[str, ...], str]] = [
    (_("Home"), ("web:home",), "home"),
    (_("Overview"), ("dashboard:index",), "dashboard"),
    (_("Appeals"), ("appeals:list", "appeals:index", "appeals:inbox"), "appeals"),
    (_("Org tree"), ("territory:tree",), "tree"),
    (_("Grid map"), ("territory:map",), "map"),
    (_("Residents"), ("territory:residents",), "residents"),
    (_("Party building"), ("party:orgs",), "party"),
    (_("Meetings"), ("deliberation:meetings",), "deliberation"),
    (_("Co-building"), ("cobuild:staff_needs",), "cobuild"),
    (_("Volunteers"), ("volunteers:staff_activities",), "volunteers"),
    (_("Care"), ("care:today",), "care"),
    (_("Service places"), ("places:list",), "places"),
    (_("Fire sensors"), ("sensors:alarms",), "sensors"),
    (_("Import & export"), ("territory_io:index",), "io"),
    (_("Household claims"), ("accounts:verifications",), "verifications"),
    (_("Staff accounts"), ("accounts:staff",), "staff"),
]

# Sections folded under one menu of the top bar (a row of fifteen does not fit a desktop screen): the
# co-governance apps, and the upkeep of base data. On a phone the menus open in the folded list.
NAV_GROUPS: list[tuple[Any, str, frozenset[str]]] = [
    (
        _("Co-governance and services"),
        "cogov",
        frozenset({"deliberation", "cobuild", "volunteers", "care", "places", "sensors"}),
    ),
    (_("Base data"), "data", frozenset({"io", "verifications", "staff"})),
]


# What a signed-in resident finds in the top bar: their home, reporting, their appeals and their account.
RESIDENT_NAV_ITEMS: list[tuple[Any, tuple[str, ...], str]] = [
    (_("Home"), ("web:home",), "home"),
    (_("Report a problem"), ("appeals:new",), "report"),
    (_("My appeals"), ("appeals:mine",), "mine"),
    (_("Inbox"), ("appeals:inbox",), "inbox"),  # what was said of their appeals and orders (待评价, 已派单 …)
    (_("Residents' hall"), ("deliberation:hall",), "hall"),
    (_("Volunteering"), ("volunteers:home",), "volunteering"),
    (_("Places near me"), ("places:near",), "near"),
    (_("Community services"), ("cobuild:home",), "services"),
    (_("My branch"), ("party:branch_home",), "branch"),  # only for a branch's secretary or deputy
    (_("My account"), ("accounts:resident_me",), "account"),
]


# A resident's community pages fold into one menu, so that their bar stays one row on a desktop (with 消息, 我的支部
# and 关爱探访 it took two rows up to 1400 px).
RESIDENT_NAV_GROUPS: list[tuple[Any, str, frozenset[str]]] = [
    (_("Community life"), "community", frozenset({"hall", "volunteering", "near", "services"})),
]


TERRITORY_SECTIONS = frozenset(
    {"tree", "map", "residents", "io", "party", "deliberation", "places", "sensors", "care"}
)
# A department or property company has no area of its own: the overview counts areas (it refuses them), and the
# co-building and volunteer desks are the community's.
UNIT_HIDDEN_SECTIONS = TERRITORY_SECTIONS | {"dashboard", "cobuild", "volunteers"}


def _first_url(names: tuple[str, ...]) -> str | None:
    for name in names:
        try:
            return reverse(name)
        except NoReverseMatch:
            continue
    return None


def _items(
    request: HttpRequest, table: list[tuple[Any, tuple[str, ...], str]], hidden: set[str]
) -> list[dict[str, Any]]:
    items = []
    for label, names, section in table:
        if section in hidden:
            continue
        url = _first_url(names)
        if url is None:
            continue
        active = request.path == url if url == "/" else request.path.startswith(url)
        items.append({"label": label, "url": url, "section": section, "active": active})
    return items


def nav_items(request: HttpRequest) -> list[dict[str, Any]]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return []
    if not is_staff_member(user):
        # Asked once in a few minutes, not on every page (the branch pages themselves always ask).
        leads = remembered(request, LEADS_KEY, lambda: is_secretary(user))
        items = _items(request, RESIDENT_NAV_ITEMS, set() if leads else {"branch"})
        return _grouped(items, RESIDENT_NAV_GROUPS)
    # A department handler sees the work assigned to its department, none of the territory's pages.
    role = getattr(user, "role", "")
    hidden = set(UNIT_HIDDEN_SECTIONS) if role in UNIT_ROLES else set()
    if not (is_admin(user) or role == Role.COMMUNITY_WORKER):
        hidden.add("verifications")  # only community workers verify household claims
    if not (is_admin(user) or role in STAFF_READERS):
        hidden.add("staff")  # the staff accounts are read by community workers and those above them
    items = _grouped(_items(request, NAV_ITEMS, hidden), NAV_GROUPS)
    if getattr(user, "is_staff", False):
        items.append({"label": _("Administration"), "url": reverse("admin:index"), "section": "admin"})
    return items


def _grouped(
    items: list[dict[str, Any]], groups: list[tuple[Any, str, frozenset[str]]]
) -> list[dict[str, Any]]:
    """The items with each of `groups` folded into one entry (at its first member's place) that holds its members
    as `children`; a group with a single visible member stays a plain item."""
    group_of = {section: (label, key) for label, key, sections in groups for section in sections}
    members: dict[str, list[dict[str, Any]]] = {}
    for item in items:
        if item["section"] in group_of:
            members.setdefault(group_of[item["section"]][1], []).append(item)
    out: list[dict[str, Any]] = []
    placed: set[str] = set()
    for item in items:
        group = group_of.get(item["section"])
        if group is None or len(members[group[1]]) < 2:
            out.append(item)
        elif group[1] not in placed:
            placed.add(group[1])
            children = members[group[1]]
            out.append(
                {
                    "label": group[0],
                    "section": group[1],
                    "children": children,
                    "active": any(c["active"] for c in children),
                }
            )
    return out


def linli(request: HttpRequest) -> dict[str, Any]:
    items = nav_items(request)
    return {
        "LINLI_TILE_URL": settings.LINLI_TILE_URL,
        "LINLI_TILE_ATTRIBUTION": settings.LINLI_TILE_ATTRIBUTION,
        "nav_items": items,
        "staff_member": is_staff_member(getattr(request, "user", None)),
        # A branch's secretary or deputy: their home offers 我的支部 (party/partials/home_branch.html).
        "branch_secretary_url": next((i["url"] for i in items if i["section"] == "branch"), None),
        # Where a resident goes instead of the staff pages (their home at /) and where they sign in.
        "resident_home_url": _first_url(("web:home",)),
        "resident_login_url": _first_url(("accounts:resident_login",)),
    }
