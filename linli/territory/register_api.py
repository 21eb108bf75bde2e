"""The register kept up to date through the API: a resident's details and history, edits and life events,
households and buildings. Routes are added to the territory router (`api.router`); every object is looked up
through the scoping selectors, so anything outside the caller's scope is a 404 in the path and a 422 on its field
in the body (`core.api_refs`), and the services check the role."""

from __future__ import annotations

from functools import partial
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from linli.core.api_access import staff_caller
from linli.core.api_refs import body_ref, body_refs
from linli.core.errors import invalid
from linli.core.scoping import get_or_404

from . import selectors, services
from .api import ERRORS, _building_out, _node_ref, _resident_out, router
from .choices import NodeKind
from .models import Building, Household, OrgNode, Resident
from .register_schemas import (
    BuildingDetail,
    BuildingEdit,
    BuildingNew,
    CompoundEdit,
    CompoundNew,
    Count,
    Death,
    HeadChange,
    HouseholdEdit,
    HouseholdMerge,
    HouseholdMove,
    HouseholdNew,
    HouseholdOut,
    HouseholdsBatch,
    HouseholdsBatchOut,
    HouseholdSplit,
    MoveIn,
    MoveOut,
    NewPerson,
    ResidentDetail,
    ResidentEdit,
)
from .schemas import OrgNodeRef
from .services.common import require_maintainer
from .services.housing import capacity, household_code


def _resident_detail(r: Resident) -> dict[str, Any]:
    return _resident_out(r, timezone.localdate()) | {
        "status": r.status,
        "relation": r.relation,
        "occupation": r.occupation,
        "notes": r.notes,
        "registered_address": r.registered_address,
        "lease_ends_on": r.lease_ends_on,
        "history": list(selectors.resident_history(r)),
    }


def _household_out(h: Household) -> dict[str, Any]:
    today = timezone.localdate()
    return {
        "id": h.pk,
        "code": h.code,
        "room": h.room,
        "address": h.address,
        "building_id": h.building_id,
        "grid_id": h.building.grid_id,
        "entrance": h.entrance.number if h.entrance else None,
        "is_rented": h.is_rented,
        "floor_area": float(h.floor_area) if h.floor_area is not None else None,
        "members": [_resident_out(r, today) for r in selectors.household_members(h)],
    }


def _building_detail(b: Building) -> dict[str, Any]:
    return _building_out(b) | {
        "entrances": b.entrances.count(),
        "households_per_floor": b.households_per_floor,
        "capacity": capacity(b),
        "households": b.households.count(),
        "captain_id": b.captain_id,
    }


def _household(request: HttpRequest, pk: int) -> tuple[Any, Household]:
    user = staff_caller(request)
    return user, selectors.household_get_for(user, pk)


def _resident(request: HttpRequest, pk: int) -> tuple[Any, Resident]:
    user = staff_caller(request)
    return user, selectors.resident_get_for(user, pk)


@router.get("/residents/{resident_id}", response={200: ResidentDetail, **ERRORS}, summary="One resident")
def resident_detail(request: HttpRequest, resident_id: int) -> Any:
    """A resident (masked) with their status, details and history of life events."""
    return _resident_detail(selectors.resident_get_for(staff_caller(request), resident_id))


@router.patch("/residents/{resident_id}", response={200: ResidentDetail, **ERRORS}, summary="Edit a resident")
def resident_edit(request: HttpRequest, resident_id: int, payload: ResidentEdit) -> Any:
    """Name, gender, birth date, a corrected ID number, phone, tags, care level, occupation, notes, relation,
    registered address, lease end. Audited (the fields changed, never an ID number)."""
    user, resident = _resident(request, resident_id)
    changes = payload.dict(exclude_unset=True)
    services.resident_update(actor=user, resident=resident, **changes)
    return _resident_detail(selectors.resident_get_for(user, resident_id))


@router.post("/residents/{resident_id}/move", response={200: ResidentDetail, **ERRORS}, summary="Move here")
def resident_move(request: HttpRequest, resident_id: int, payload: MoveIn) -> Any:
    """The resident moves to another household you may see."""
    user, resident = _resident(request, resident_id)
    to = body_ref("to_household_id", partial(selectors.household_get_for, user), payload.to_household_id)
    r = services.resident_move(
        actor=user, resident=resident, to_household=to, on=payload.on, note=payload.note
    )
    return _resident_detail(r)


@router.post(
    "/residents/{resident_id}/move-out", response={200: ResidentDetail, **ERRORS}, summary="Move away"
)
def resident_move_out(request: HttpRequest, resident_id: int, payload: MoveOut) -> Any:
    """The resident leaves for elsewhere; they keep their history and are no longer counted here."""
    user, resident = _resident(request, resident_id)
    r = services.resident_move_out(
        actor=user, resident=resident, on=payload.on, destination=payload.destination
    )
    return _resident_detail(r)


@router.post(
    "/residents/{resident_id}/death", response={200: ResidentDetail, **ERRORS}, summary="Record a death"
)
def resident_death(request: HttpRequest, resident_id: int, payload: Death) -> Any:
    user, resident = _resident(request, resident_id)
    return _resident_detail(services.resident_death(actor=user, resident=resident, on=payload.on))


@router.get("/households/{household_id}", response={200: HouseholdOut, **ERRORS}, summary="One household")
def household_detail(request: HttpRequest, household_id: int) -> Any:
    """A household with the people living in it now (head first, masked)."""
    return _household_out(_household(request, household_id)[1])


@router.patch(
    "/households/{household_id}", response={200: HouseholdOut, **ERRORS}, summary="Edit a household"
)
def household_edit(request: HttpRequest, household_id: int, payload: HouseholdEdit) -> Any:
    """Owner-occupied or rented, and the floor area. Audited."""
    user, household = _household(request, household_id)
    services.household_update(actor=user, household=household, **payload.dict(exclude_unset=True))
    return _household_out(selectors.household_get_for(user, household_id))


@router.post("/households/{household_id}/births", response={201: ResidentDetail, **ERRORS}, summary="A birth")
def household_birth(request: HttpRequest, household_id: int, payload: NewPerson) -> Any:
    user, household = _household(request, household_id)
    r = services.resident_birth(
        actor=user,
        household=household,
        name=payload.name,
        gender=payload.gender,
        birth_date=payload.birth_date,
        id_number=payload.id_number,
        relation=payload.relation,
    )
    return 201, _resident_detail(r)


@router.post(
    "/households/{household_id}/move-ins", response={201: ResidentDetail, **ERRORS}, summary="A move-in"
)
def household_move_in(request: HttpRequest, household_id: int, payload: NewPerson) -> Any:
    """A person arrives from elsewhere; someone who lived here before (same ID number) returns with their history."""
    user, household = _household(request, household_id)
    r = services.resident_move_in(actor=user, household=household, **payload.dict())
    return 201, _resident_detail(r)


@router.post("/households/{household_id}/move", response={200: Count, **ERRORS}, summary="Move a family")
def household_move(request: HttpRequest, household_id: int, payload: HouseholdMove) -> Any:
    """Everyone living in the household moves to another household you may see; an event each."""
    user, household = _household(request, household_id)
    to = body_ref("to_household_id", partial(selectors.household_get_for, user), payload.to_household_id)
    moved = services.household_move(
        actor=user, household=household, to_household=to, on=payload.on, note=payload.note
    )
    return {"moved": moved}


@router.post(
    "/households/{household_id}/split", response={201: HouseholdOut, **ERRORS}, summary="Split (分户)"
)
def household_split(request: HttpRequest, household_id: int, payload: HouseholdSplit) -> Any:
    user, household = _household(request, household_id)
    people = selectors.residents_visible_to(user)
    members = body_refs("member_ids", people, payload.member_ids)
    head = body_ref("head_id", people, payload.head_id)  # the service refuses one who does not leave
    new = services.household_split(
        actor=user,
        household=household,
        members=members,
        code=payload.code,
        room=payload.room,
        head=head,
        on=payload.on,
    )
    return 201, _household_out(selectors.household_get_for(user, new.pk))


@router.post("/households/{household_id}/merge", response={200: Count, **ERRORS}, summary="Merge (合户)")
def household_merge(request: HttpRequest, household_id: int, payload: HouseholdMerge) -> Any:
    user, household = _household(request, household_id)
    into = body_ref(
        "into_household_id", partial(selectors.household_get_for, user), payload.into_household_id
    )
    return {"moved": services.households_merge(actor=user, household=household, into=into, on=payload.on)}


@router.post(
    "/households/{household_id}/head", response={200: HouseholdOut, **ERRORS}, summary="Change the head"
)
def household_head(request: HttpRequest, household_id: int, payload: HeadChange) -> Any:
    user, household = _household(request, household_id)
    head = body_ref("head_id", partial(selectors.resident_get_for, user), payload.head_id)
    services.household_head_change(
        actor=user, household=household, head=head, previous_relation=payload.previous_relation, on=payload.on
    )
    return _household_out(household)


@router.get("/buildings/{building_id}", response={200: BuildingDetail, **ERRORS}, summary="One building")
def building_detail(request: HttpRequest, building_id: int) -> Any:
    return _building_detail(selectors.building_get_for(staff_caller(request), building_id))


@router.patch("/buildings/{building_id}", response={200: BuildingDetail, **ERRORS}, summary="Edit a building")
def building_edit(request: HttpRequest, building_id: int, payload: BuildingEdit) -> Any:
    """Name, address, position (lng and lat together, inside the grid), floors, entrances, homes per floor and
    captain; the figures must hold the building's households."""
    user = staff_caller(request)
    building = selectors.building_get_for(user, building_id)
    changes = payload.dict(exclude_unset=True)
    if "captain_id" in changes:
        captain_id = changes.pop("captain_id")
        changes["captain"] = body_ref(
            "captain_id", partial(selectors.resident_get_for, user), captain_id or None
        )
    services.building_update(actor=user, building=building, **changes)
    return _building_detail(selectors.building_get_for(user, building_id))


@router.post(
    "/buildings/{building_id}/households",
    response={201: HouseholdOut, **ERRORS},
    summary="Add a household (a home not in the register yet)",
)
def building_household_add(request: HttpRequest, building_id: int, payload: HouseholdNew) -> Any:
    """A home of the building the register does not hold yet; its people then move in (`/households/{id}/move-ins`)."""
    user = staff_caller(request)
    building = selectors.building_get_for(user, building_id)
    data = payload.dict()
    number = data.pop("entrance")
    entrance = building.entrances.filter(number=number).first() if number is not None else None
    if number is not None and entrance is None:
        raise invalid("entrance", _("The building has no entrance %(n)d.") % {"n": number})
    household = services.household_add(actor=user, building=building, entrance=entrance, **data)
    return 201, _household_out(household)


@router.post(
    "/buildings/{building_id}/households/batch",
    response={200: HouseholdsBatchOut, 201: HouseholdsBatchOut, **ERRORS},
    summary="Add a new building's households all at once",
)
def building_households_batch(request: HttpRequest, building_id: int, payload: HouseholdsBatch) -> Any:
    """Entrances 1 to `entrances`, floors `floor_from` to `floor_to`, `per_floor` homes on each, numbered by
    `numbering`; rooms already in the register are skipped. `dry_run`: 200 with what would be added (the preview);
    otherwise 201 with the households added. A refusal is a 422 naming the field (nothing added)."""
    user = staff_caller(request)
    building = selectors.building_get_for(user, building_id)
    data = payload.dict()
    dry_run = data.pop("dry_run")
    if dry_run:
        require_maintainer(user)  # a preview of what the caller could not add is no answer
        plan = services.households_add_plan(building=building, **data)
        doors = {e.number: e for e in building.entrances.all()}
        homes = [
            {
                "id": None,
                "code": household_code(building, doors.get(n or 0), room),
                "entrance": n,
                "room": room,
            }
            for n, room in plan.new
        ]
    else:
        plan = services.households_add_all(actor=user, building=building, **data)
        homes = [
            {"id": h.pk, "code": h.code, "entrance": n, "room": h.room}
            for h, (n, _room) in zip(plan.created, plan.new, strict=True)
        ]
    skipped = [{"entrance": n, "room": room} for n, room in plan.existing]
    return (200 if dry_run else 201), {"count": len(homes), "households": homes, "skipped": skipped}


@router.post(
    "/grids/{grid_id}/buildings", response={201: BuildingDetail, **ERRORS}, summary="Add a building to a grid"
)
def building_add(request: HttpRequest, grid_id: int, payload: BuildingNew) -> Any:
    """A building of a grid you keep, its position inside the grid; its households are then added
    (`/buildings/{id}/households`)."""
    user = staff_caller(request)
    grid = selectors.grid_get_for(user, grid_id)
    data = payload.dict()
    compound_id = data.pop("compound_id")
    compound = body_ref("compound_id", _nodes(user, NodeKind.COMPOUND), compound_id or None)
    building = services.building_add(actor=user, grid=grid, compound=compound, **data)
    return 201, _building_detail(building)


def _nodes(user: Any, kind: str) -> QuerySet[OrgNode]:
    return selectors.org_nodes_visible_to(user).filter(kind=kind)


@router.post("/compounds", response={201: OrgNodeRef, **ERRORS}, summary="Add a compound to a community")
def compound_add(request: HttpRequest, payload: CompoundNew) -> Any:
    """A compound (小区) of a community you govern; community workers and administrators only."""
    user = staff_caller(request)
    data = payload.dict()
    community = body_ref("community_id", _nodes(user, NodeKind.COMMUNITY), data.pop("community_id"))
    return 201, _node_ref(services.compound_add(actor=user, community=community, **data))


@router.patch("/compounds/{compound_id}", response={200: OrgNodeRef, **ERRORS}, summary="Rename a compound")
def compound_edit(request: HttpRequest, compound_id: int, payload: CompoundEdit) -> Any:
    """A compound's name or division code; community workers and administrators only."""
    user = staff_caller(request)
    compound = get_or_404(_nodes(user, NodeKind.COMPOUND), pk=compound_id)
    return _node_ref(
        services.compound_update(actor=user, compound=compound, **payload.dict(exclude_unset=True))
    )
