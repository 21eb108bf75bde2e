"""Every write to the territory: org tree, grids, buildings, households, residents and organisations.

This module holds the creations; the maintenance of people (edits and life events) is in `people`, of
housing (households and buildings) in `housing`; both are re-exported here."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from linli.core.audit import audit, audit_record, audit_record_each
from linli.core.snapshots import bump
from linli.core.validators import clean_text, validate_id_number, validate_phone

from ..addresses import normalize_address
from ..choices import NODE_PARENT_KIND, GridKind, NodeKind
from ..geometry import geometry_fields
from ..locator import GRIDS, ORG_TREE
from ..models import Building, Entrance, Grid, Household, Organisation, OrgNode, Resident
from .common import Actor, checked, invalid, save_changes

UNSET: Any = object()


def _path_for(node: OrgNode) -> str:
    return f"{node.parent.path if node.parent else '/'}{node.pk}/"


@transaction.atomic
def org_node_create(*, actor: Actor, kind: str, name: str, code: str, parent: OrgNode | None) -> OrgNode:
    expected_parent = NODE_PARENT_KIND.get(kind)  # type: ignore[call-overload]
    if kind not in NODE_PARENT_KIND:
        raise invalid("kind", _("Unknown kind of org node: %(kind)s") % {"kind": kind})
    if expected_parent is None and parent is not None:
        raise invalid("parent", _("A district has no parent."))
    if expected_parent is not None and (parent is None or parent.kind != expected_parent):
        raise invalid(
            "parent",
            _("A %(kind)s must belong to a %(parent)s.")
            % {"kind": NodeKind(kind).label, "parent": NodeKind(expected_parent).label},
        )
    if OrgNode.objects.filter(code=code).exists():
        raise invalid("code", _("Division code %(code)s is already used.") % {"code": code})
    node = OrgNode.objects.create(
        kind=kind, name=name, code=code, parent=parent, depth=(parent.depth + 1) if parent else 0
    )
    node.path = _path_for(node)
    node.save(update_fields=["path"])
    audit(actor, "org_node_create", node, code=code, kind=kind)
    bump(ORG_TREE)
    return node


@transaction.atomic
def org_node_update(
    *, actor: Actor, node: OrgNode, name: str | None = None, code: str | None = None
) -> OrgNode:
    """A node's name and division code, compared with the row as stored (the admin hands over its instance with
    the form's values already on it); one audit entry lists the fields changed."""
    stored = OrgNode.objects.select_for_update().get(pk=node.pk)
    fields = []
    if name is not None and name != stored.name:
        stored.name = name
        fields.append("name")
    if code is not None and code != stored.code:
        if OrgNode.objects.filter(code=code).exclude(pk=node.pk).exists():
            raise invalid("code", _("Division code %(code)s is already used.") % {"code": code})
        stored.code = code
        fields.append("code")
    if fields:
        stored.save(update_fields=[*fields, "updated_at"])
        audit(actor, "org_node_update", stored, fields=fields)
        bump(ORG_TREE)
    return stored


def _geometry_fields(boundary: dict[str, Any]) -> dict[str, float]:
    """The bounding box, centroid and area a grid keeps beside its boundary; a bad polygon is `invalid`."""
    try:
        return geometry_fields(boundary)
    except ValueError as exc:
        raise invalid("boundary", str(exc)) from None


def _set_boundary(grid: Grid, boundary: dict[str, Any]) -> list[str]:
    """Put `boundary` on the grid with what it derives (box, centroid, area); returns the fields set."""
    derived = _geometry_fields(boundary)
    grid.boundary = boundary
    for key, value in derived.items():
        setattr(grid, key, value)
    return ["boundary", *derived]


def _grids_changed() -> None:
    bump(GRIDS)


def _grid_name(name: str) -> str:
    name = (name or "").strip()
    if not name or len(name) > 100:
        raise invalid("name", _("A value of at most %(n)d characters is required.") % {"n": 100})
    return name


def _station_name(name: str | None) -> str:
    return clean_text("station_name", name, most=100, label=Grid._meta.get_field("station_name").verbose_name)


def _grid_code(code: str, grid: Grid | None = None) -> str:
    """A grid's code, stripped, not used by another grid than `grid`."""
    code = (code or "").strip()
    if not code or len(code) > 32:
        raise invalid("code", _("A value of at most %(n)d characters is required.") % {"n": 32})
    others = Grid.objects.filter(code=code)
    if (others.exclude(pk=grid.pk) if grid else others).exists():
        raise invalid("code", _("Grid code %(code)s is already used.") % {"code": code})
    return code


def _grid_kind(kind: str) -> str:
    if kind not in GridKind.values:
        raise invalid("kind", _("Unknown kind of grid."))
    return kind


def _grid_node(org_node: OrgNode) -> OrgNode:
    if org_node.kind not in ("community", "compound"):
        raise invalid("org_node", _("A grid belongs to a community or a compound."))
    return org_node


@transaction.atomic
def grid_create(
    *,
    actor: Actor,
    code: str,
    name: str,
    org_node: OrgNode,
    boundary: dict[str, Any],
    kind: str = "grid",
    parent_grid: Grid | None = None,
    station_name: str = "",
    workers: Iterable[Any] = (),
) -> Grid:
    """A new grid (the admin's add page, an import, the demo), checked as `grid_update` checks a change; one audit
    entry `grid_create` names the grid's code and the fields given."""
    values: dict[str, Any] = {
        "code": _grid_code(code),
        "name": _grid_name(name),
        "kind": _grid_kind(kind),
        "org_node": _grid_node(org_node),
        "parent_grid": parent_grid,
        "boundary": boundary,
        "station_name": _station_name(station_name),
    }
    grid = Grid.objects.create(**values, **_geometry_fields(boundary))
    workers = list(workers)
    if workers:
        grid.workers.set(workers)
    given = [f for f, value in values.items() if value] + (["workers"] if workers else [])
    audit(actor, "grid_create", grid, code=grid.code, fields=given)
    _grids_changed()
    return grid


@transaction.atomic
def grid_update(
    *,
    actor: Actor,
    grid: Grid,
    name: str | None = None,
    station_name: str | None = None,
    boundary: dict[str, Any] | None = None,
    code: str | None = None,
    kind: str | None = None,
    org_node: OrgNode | None = None,
    parent_grid: Grid | None = UNSET,
    workers: Iterable[Any] | None = None,
) -> Grid:
    """Change what the caller names (None = as is; `parent_grid` None = no parent): name, station and boundary
    (an import's update), and code, kind, community or compound, parent grid and grid workers (the admin's change
    form). The row is locked; one audit entry lists the fields changed (the boundary's derived box, centre and
    area go with it)."""
    g = Grid.objects.select_for_update().get(pk=grid.pk)
    changed: list[str] = []
    derived: list[str] = []
    if name is not None and name.strip() != g.name:
        g.name = _grid_name(name)
        changed.append("name")
    if station_name is not None and station_name.strip() != g.station_name:
        g.station_name = _station_name(station_name)
        changed.append("station_name")
    if code is not None and code.strip() != g.code:
        g.code = _grid_code(code, g)
        changed.append("code")
    if kind is not None and kind != g.kind:
        g.kind = _grid_kind(kind)
        changed.append("kind")
    if org_node is not None and org_node.pk != g.org_node_id:
        g.org_node = _grid_node(org_node)
        changed.append("org_node")
    if parent_grid is not UNSET and (parent_grid.pk if parent_grid else None) != g.parent_grid_id:
        if parent_grid is not None and parent_grid.pk == g.pk:
            raise invalid("parent_grid", _("A grid cannot be its own parent grid."))
        g.parent_grid = parent_grid
        changed.append("parent_grid")
    if boundary is not None and boundary != g.boundary:
        derived = _set_boundary(g, boundary)[1:]
        changed.append("boundary")
    if workers is not None:
        wanted = {w.pk for w in workers}
        if wanted != set(g.workers.values_list("pk", flat=True)):
            g.workers.set(list(wanted))
            changed.append("workers")
    if changed:
        columns = [f for f in changed if f != "workers"]
        if columns:
            g.save(update_fields=[*columns, *derived, "updated_at"])
        audit(actor, "grid_update", g, fields=changed)
        _grids_changed()
    return g


def building_create(
    *,
    actor: Actor,
    grid: Grid,
    code: str,
    name: str,
    address: str,
    lng: float,
    lat: float,
    floors: int = 1,
    compound: OrgNode | None = None,
    entrances: int = 0,
    households_per_floor: int = 0,
    captain: Resident | None = None,
) -> Building:
    """A new building; its homes per floor (0: not known) and its captain, who must live in it (so a new
    building, where no one lives yet, has none: `building_update` names one once households live there)."""
    if Building.objects.filter(code=code).exists():
        raise invalid("code", _("Building code %(code)s is already used.") % {"code": code})
    check_households_per_floor(households_per_floor)
    with transaction.atomic():
        building = Building.objects.create(
            grid=grid,
            compound=compound,
            code=code,
            name=name,
            address=address,
            address_key=normalize_address(address),
            lng=lng,
            lat=lat,
            floors=floors,
            households_per_floor=households_per_floor,
        )
        if entrances:
            Entrance.objects.bulk_create(
                Entrance(building=building, number=n) for n in range(1, entrances + 1)
            )
        if captain is not None:
            check_captain(building, captain)
            building.captain = captain
            building.save(update_fields=["captain"])
        audit(actor, "building_create", building, code=code, grid=grid.pk)
    return building


def household_create(
    *,
    actor: Actor,
    building: Building,
    code: str,
    room: str,
    entrance: Entrance | None = None,
    is_rented: bool = False,
    floor_area: Decimal | None = None,
) -> Household:
    """A household of the building, written once with its tenure and floor area (m², already checked:
    `housing.floor_area_value`)."""
    if Household.objects.filter(code=code).exists():
        raise invalid("code", _("Household code %(code)s is already used.") % {"code": code})
    if entrance is not None and entrance.building_id != building.pk:
        raise invalid("entrance", _("The entrance belongs to another building."))
    check_room_fits(building, room)
    household = Household.objects.create(
        building=building,
        entrance=entrance,
        code=code,
        room=room,
        is_rented=is_rented,
        floor_area=floor_area,
        address=household_address(building, entrance, room),
    )
    # Its callers (an import, a split) write in one transaction: the household and its entry go together.
    detail = {"code": code, "building": building.pk}
    audit(actor, "household_create", household, **detail)
    return household


def resident_clean(
    *,
    name: str,
    gender: str,
    birth_date: dt.date | None,
    phone: str,
    id_number: str,
    tags: Iterable[str],
    care_level: str,
) -> dict[str, Any]:
    """Validate one resident's fields; return the cleaned values or raise ValidationFailed naming the field."""
    name = name_value(name)
    number = checked("id_number", validate_id_number, id_number) if id_number else ""
    gender = gender_value(gender)
    if birth_date is None:
        raise invalid("birth_date", _("A birth date is required."))
    clean_phone = checked("phone", validate_phone, phone) if phone else ""
    return {
        "name": name,
        "gender": gender,
        "birth_date": birth_date,
        "phone": clean_phone,
        "id_number": number,
        "tags": tags_value(tags),
        "care_level": care_level_value(care_level),
    }


def resident_build(
    *, grid: Grid, household: Household | None, cleaned: dict[str, Any], is_demo: bool = False
) -> Resident:
    """An unsaved resident from cleaned values (for bulk imports); `resident_create` saves one."""
    resident = Resident(
        grid=grid,
        household=household,
        name=cleaned["name"],
        gender=cleaned["gender"],
        birth_date=cleaned["birth_date"],
        phone=cleaned["phone"],
        tags=cleaned["tags"],
        care_level=cleaned["care_level"],
        is_demo=is_demo,
    )
    resident.set_id_number(cleaned["id_number"])
    return resident


def residents_created(actor: Actor, residents: list[Resident]) -> None:
    """The audit entry of each resident added to the register (a birth, a newcomer, an import's rows): who added
    whom, in which grid and household."""
    audit_record_each(
        actor=actor,
        action="resident_create",
        objs=residents,
        detail=lambda r: {"grid": r.grid_id, "household": r.household_id},
    )


def resident_create(
    *,
    actor: Actor,
    household: Household | None,
    grid: Grid | None = None,
    name: str,
    gender: str,
    birth_date: dt.date | None,
    phone: str = "",
    id_number: str = "",
    tags: Iterable[str] = (),
    care_level: str = "",
    relation: str = "",
) -> Resident:
    cleaned = resident_clean(
        name=name,
        gender=gender,
        birth_date=birth_date,
        phone=phone,
        id_number=id_number,
        tags=tags,
        care_level=care_level,
    )
    if grid is None:
        if household is None:
            raise invalid("household", _("A resident needs a household or a grid."))
        grid = household.building.grid
    resident = resident_build(grid=grid, household=household, cleaned=cleaned)
    resident.relation = relation
    if resident.id_number_hash and Resident.objects.filter(id_number_hash=resident.id_number_hash).exists():
        raise invalid("id_number", _("A resident with this ID number is already registered."))
    with transaction.atomic():
        resident.save()
        residents_created(actor, [resident])
    return resident


def resident_reveal(*, actor: Actor, resident: Resident, ip: str | None = None) -> dict[str, str]:
    """The unmasked phone and ID number, for a role allowed to see them; the read is written to the audit log."""
    audit_record(
        actor=actor,
        action="reveal_personal_data",
        obj=resident,
        detail={"fields": ["phone", "id_number"]},
        ip=ip,
    )
    return {"phone": resident.phone, "id_number": resident.id_number}


def organisation_create(
    *,
    actor: Actor,
    kind: str,
    name: str,
    code: str,
    org_node: OrgNode | None = None,
    phone: str = "",
    duties: str = "",
) -> Organisation:
    if Organisation.objects.filter(code=code).exists():
        raise invalid("code", _("Organisation code %(code)s is already used.") % {"code": code})
    with transaction.atomic():
        organisation = Organisation.objects.create(
            kind=kind, name=name, code=code, org_node=org_node, phone=phone, duties=duties
        )
        detail = {"code": code, "kind": kind}
        audit(actor, "organisation_create", organisation, **detail)
    return organisation


ORGANISATION_FIELDS = ("kind", "name", "code", "org_node", "phone", "duties")


@transaction.atomic
def organisation_update(*, actor: Actor, organisation: Organisation, **changes: Any) -> Organisation:
    """Change an organisation's fields named in ORGANISATION_FIELDS (the admin's change form): the row locked, the
    code kept unique, one audit entry `organisation_update` listing the fields changed."""
    unknown = set(changes) - set(ORGANISATION_FIELDS)
    if unknown:
        raise TypeError(f"organisation_update: no such field {sorted(unknown)}")
    o = Organisation.objects.select_for_update().get(pk=organisation.pk)
    code = changes.get("code", o.code)
    if code != o.code and Organisation.objects.filter(code=code).exclude(pk=o.pk).exists():
        raise invalid("code", _("Organisation code %(code)s is already used.") % {"code": code})
    save_changes(actor, o, changes, "organisation_update")
    return o


from .compounds import building_add, compound_add, compound_update  # noqa: E402
from .grids import grid_add, grid_change  # noqa: E402
from .homes import households_add_all, households_add_plan  # noqa: E402
from .housing import (  # noqa: E402
    building_update,
    check_captain,
    check_households_per_floor,
    check_room_fits,
    household_add,
    household_address,
    household_update,
)
from .people import (  # noqa: E402
    care_level_value,
    gender_value,
    household_head_change,
    household_move,
    household_split,
    households_merge,
    name_value,
    resident_birth,
    resident_death,
    resident_move,
    resident_move_in,
    resident_move_out,
    resident_update,
    tags_value,
)
from .roads import road_create, roads_create  # noqa: E402
from .venues import venue_create, venue_update  # noqa: E402
from .visits import visit_follow_up_done, visit_link_appeal, visit_log  # noqa: E402

__all__ = [
    "Actor",
    "building_add",
    "building_create",
    "building_update",
    "checked",
    "compound_add",
    "compound_update",
    "grid_add",
    "grid_change",
    "grid_create",
    "grid_update",
    "household_add",
    "household_create",
    "household_head_change",
    "household_move",
    "household_split",
    "household_update",
    "households_add_all",
    "households_add_plan",
    "households_merge",
    "invalid",
    "org_node_create",
    "org_node_update",
    "organisation_create",
    "organisation_update",
    "resident_birth",
    "resident_build",
    "resident_clean",
    "resident_create",
    "resident_death",
    "resident_move",
    "resident_move_in",
    "resident_move_out",
    "resident_reveal",
    "resident_update",
    "residents_created",
    "road_create",
    "roads_create",
    "venue_create",
    "venue_update",
    "visit_follow_up_done",
    "visit_link_appeal",
    "visit_log",
]
