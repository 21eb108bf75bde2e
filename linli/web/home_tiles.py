"""The quick links of a staff member's home: what each role does, each leading to a page that role may use.

A grid worker patrols and reports; a community worker keeps the register and checks household claims; a street
officer and a district leader follow their area's figures and supervise; an administrator also configures. A
department handler or a property company's staff has no area and gets none of these: their home leads to their
unit's to-do list (web/staff_home.html). `web/tests/test_home_tiles.py` opens every tile of every role. Above
them, the figures of the user's area (`area_counts`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from linli.accounts.models import User
from linli.core.roles import GRID_ROLES, TREE_ROLES, Role
from linli.core.scoping import is_admin
from linli.party.selectors import party_members_listed
from linli.territory import selectors as territory

# The roles that follow an area's figures (the overview counts areas; a grid's people see theirs on their grids).
AREA_ROLES = frozenset({Role.COMMUNITY_WORKER, Role.STREET_OFFICER, Role.DISTRICT_LEADER, Role.ADMIN})


@dataclass(frozen=True)
class Tile:
    key: str
    url_name: str
    label: Any
    hint: Any
    roles: frozenset[str]
    work: bool = False  # a tile of the day's work, drawn first and marked


TILES: tuple[Tile, ...] = (
    Tile(
        "workbench",
        "appeals:workbench",
        _("Workbench"),
        _("The appeals your unit owes, soonest deadline first"),
        TREE_ROLES,
        work=True,
    ),
    Tile(
        "patrol",
        "appeals:patrol",
        _("Patrol report"),
        _("Report what you find on patrol, with photos and the place"),
        GRID_ROLES,
        work=True,
    ),
    Tile(
        "overview",
        "dashboard:index",
        _("Overview"),
        _("Appeals, on-time and satisfaction rates of your area"),
        AREA_ROLES,
    ),
    Tile(
        "verifications",
        "accounts:verifications",
        _("Household claims"),
        _("Residents' claims to a household, waiting for your check"),
        frozenset({Role.COMMUNITY_WORKER, Role.ADMIN}),
    ),
    Tile(
        "map", "territory:map", _("Grid map"), _("Every grid on the map, coloured by community"), TREE_ROLES
    ),
    Tile(
        "tree",
        "territory:tree",
        _("Org tree"),
        _("Streets, communities and compounds with their grids"),
        TREE_ROLES,
    ),
    Tile(
        "residents",
        "territory:residents",
        _("Resident registry"),
        _("Search residents; personal data is masked"),
        TREE_ROLES,
    ),
    Tile(
        "admin",
        "admin:index",
        _("Administration"),
        _("Staff accounts with their roles and places, API tokens, configuration"),
        frozenset({Role.ADMIN}),
    ),
)


def area_counts(user: User) -> list[dict[str, Any]]:
    """The figures of 辖区概况 on a staff member's home, each what the user may see; a figure with a page to open
    (`url`) counts exactly the list that page opens on, by the same selector: 党员 is the party members list as it
    first opens (those on the roll, 在册, of the user's area), where it counted members who had left
    (迁出、转出) too, and so did not match the list it led to."""
    return [
        {"key": "grids", "count": territory.grids_visible_to(user).count()},
        {"key": "buildings", "count": territory.buildings_visible_to(user).count()},
        {"key": "households", "count": territory.households_visible_to(user).count()},
        {"key": "residents", "count": territory.residents_visible_to(user).count()},
        {
            "key": "party_members",
            "count": party_members_listed(user).count(),
            "url": reverse("party:members"),
        },
    ]


def tiles_for(user: User) -> list[Tile]:
    """The quick links of `user`'s home, in order: those of their role whose page is installed (the
    administration site only for an account that may open it)."""
    role = Role.ADMIN if is_admin(user) else user.role
    shown = []
    for tile in TILES:
        if role not in tile.roles or (tile.key == "admin" and not user.is_staff):
            continue
        try:
            reverse(tile.url_name)
        except NoReverseMatch:
            continue
        shown.append(tile)
    return shown
