"""The community's own layout, kept on Linli's pages and through the API as well as by import and the admin: a
compound (小区) added to a community or renamed, by those who keep the community's structure (`SHAPERS`), and a
building added to a grid by those who keep the register (`MAINTAINERS`), its position inside the grid. Each write
names what it touches through the actor's scope (`in_scope`) and is audited by the services it calls."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from linli.core.errors import PermissionDenied
from linli.core.roles import Role
from linli.core.scoping import Viewer, is_admin, is_signed_in
from linli.core.validators import clean_text

from ..choices import NodeKind
from ..models import Building, Grid, OrgNode
from ..selectors import community_of, grids_visible_to, org_nodes_visible_to
from .common import Actor, in_scope, invalid, require_maintainer
from .housing import check_entrance_count, check_floors, check_households_per_floor, check_inside

# Who may add a compound to a community and rename one: the community's workers (and administrators). Grid workers
# keep the register of their grids; street officers and district leaders read.
SHAPERS = frozenset({Role.COMMUNITY_WORKER, Role.ADMIN})


def may_shape(user: Viewer) -> bool:
    return is_admin(user) or (is_signed_in(user) and getattr(user, "role", None) in SHAPERS)


def require_shaper(actor: Actor) -> None:
    if actor is not None and not may_shape(actor):
        raise PermissionDenied(_("Only community workers add or change compounds."))


def _compound_name(community: OrgNode, name: str, compound: OrgNode | None = None) -> str:
    name = clean_text("name", name, most=100, required=True, label=_("Compound name"))
    same = OrgNode.objects.filter(parent=community, kind=NodeKind.COMPOUND, name=name)
    if (same.exclude(pk=compound.pk) if compound else same).exists():
        raise invalid("name", _("The community already has a compound named %(name)s.") % {"name": name})
    return name


def _next_code(prefix: str, taken: set[str], width: int, sep: str = "") -> str:
    """The first code `prefix` + number (from 1, `width` digits) not in `taken`."""
    n = 1
    while f"{prefix}{sep}{n:0{width}d}" in taken:
        n += 1
    return f"{prefix}{sep}{n:0{width}d}"


@transaction.atomic
def compound_add(*, actor: Actor, community: OrgNode, name: str, code: str = "") -> OrgNode:
    """A new compound of a community the actor governs; its division code, when none is typed, the community's
    followed by the next free three digits (as the demo and the official codes write them)."""
    from . import org_node_create

    require_shaper(actor)
    community = in_scope(actor, org_nodes_visible_to, community)
    if community.kind != NodeKind.COMMUNITY:
        raise invalid("community", _("Choose a community."))
    name = _compound_name(community, name)
    code = clean_text("code", code, most=32, label=_("Division code"))
    if not code:
        taken = set(OrgNode.objects.filter(code__startswith=community.code).values_list("code", flat=True))
        code = _next_code(community.code, taken, 3)
    return org_node_create(actor=actor, kind=NodeKind.COMPOUND, name=name, code=code, parent=community)


def compound_update(
    *, actor: Actor, compound: OrgNode, name: str | None = None, code: str | None = None
) -> OrgNode:
    """A compound's name and division code (None = as is), within the actor's area; audited as `org_node_update`."""
    from . import org_node_update

    require_shaper(actor)
    compound = in_scope(actor, org_nodes_visible_to, compound)
    if compound.kind != NodeKind.COMPOUND or compound.parent is None:
        raise invalid("name", _("Only a compound is changed here."))
    if name is not None:
        name = _compound_name(compound.parent, name, compound)
    if code is not None:
        code = clean_text("code", code, most=32, required=True, label=_("Division code"))
    return org_node_update(actor=actor, node=compound, name=name, code=code)


def _building_compound(grid: Grid, compound: OrgNode | None, actor: Actor) -> OrgNode | None:
    """The compound a new building of `grid` belongs to: the grid's own when it lies in one, else the one named
    (in the actor's area, of the grid's community) or none."""
    if grid.org_node.kind == NodeKind.COMPOUND and compound is None:
        return grid.org_node
    if compound is None:
        return None
    compound = in_scope(actor, org_nodes_visible_to, compound)
    if (
        compound.kind != NodeKind.COMPOUND
        or compound.parent_id != (community_of(grid.org_node) or grid.org_node).pk
    ):
        raise invalid("compound", _("Choose a compound of the grid's community."))
    if grid.org_node.kind == NodeKind.COMPOUND and compound.pk != grid.org_node_id:
        raise invalid("compound", _("The grid lies in %(name)s.") % {"name": grid.org_node.name})
    return compound


@transaction.atomic
def building_add(
    *,
    actor: Actor,
    grid: Grid,
    name: str,
    address: str,
    lng: float,
    lat: float,
    floors: int = 1,
    entrances: int = 0,
    households_per_floor: int = 0,
    compound: OrgNode | None = None,
    code: str = "",
) -> Building:
    """A building of a grid the actor keeps, placed inside the grid; its code, when none is typed, its compound's
    (or grid's) code followed by the next free two-digit number, as the demo and the imports write them."""
    from . import building_create

    require_maintainer(actor)
    grid = in_scope(actor, grids_visible_to, grid)
    name = clean_text("name", name, most=100, required=True, label=_("Building name"))
    address = clean_text("address", address, most=200, required=True, label=_("Address"))
    check_floors(floors)
    check_entrance_count(entrances)
    check_households_per_floor(households_per_floor)
    compound = _building_compound(grid, compound, actor)
    check_inside(grid, lng, lat)
    code = clean_text("code", code, most=40, label=_("Code"))
    if not code:
        prefix = compound.code if compound else grid.code
        taken = set(Building.objects.filter(code__startswith=prefix).values_list("code", flat=True))
        code = _next_code(prefix, taken, 2, sep="-")
    return building_create(
        actor=actor,
        grid=grid,
        code=code,
        name=name,
        address=address,
        lng=lng,
        lat=lat,
        floors=floors,
        compound=compound,
        entrances=entrances,
        households_per_floor=households_per_floor,
    )
