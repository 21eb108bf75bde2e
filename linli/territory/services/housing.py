"""Keeping housing up to date: a household's tenure and floor area, a building's floors, entrances, homes per
floor and captain. A building's figures must leave room for the households it has (floors × entrances × homes
per floor, when the last is known), and each household's room must lie on one of its floors."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from shapely.geometry import Point, shape

from linli.core.audit import audit
from linli.core.validators import clean_text

from ..addresses import normalize_address
from ..choices import ResidentStatus
from ..models import Building, Entrance, Grid, Household, OrgNode, Resident
from ..selectors import buildings_visible_to, households_visible_to, org_nodes_visible_to
from .common import Actor, in_scope, invalid, require_maintainer, save_changes

UNSET: Any = object()


def room_floor(room: str) -> int | None:
    """The floor a room number names (502 → 5, 1201 → 12, 3-1502 → 15); None when it names none."""
    digits = re.findall(r"\d+", room)
    if not digits or len(digits[-1]) < 3:
        return None
    return int(digits[-1][:-2]) or None


def capacity(building: Building, entrances: int | None = None, floors: int | None = None) -> int | None:
    """How many households the building's figures allow; None when homes per floor are not known."""
    per_floor = building.households_per_floor
    if not per_floor:
        return None
    n_entrances = entrances if entrances is not None else building.entrances.count()
    return (floors or building.floors) * max(n_entrances, 1) * per_floor


def _whole_number(field: str, value: int, low: int, high: int) -> None:
    if not low <= value <= high:
        raise invalid(field, _("Enter a whole number from %(low)d to %(high)d.") % {"low": low, "high": high})


def check_households_per_floor(value: int) -> None:
    """Homes per floor of each entrance (一梯几户): 0 (not known) to 50."""
    _whole_number("households_per_floor", value, 0, 50)


def check_floors(value: int) -> None:
    """A building's floors: 1 to 200."""
    _whole_number("floors", value, 1, 200)


def check_entrance_count(value: int) -> None:
    """A building's entrances (单元): 0 (none named) to 99."""
    _whole_number("entrances", value, 0, 99)


def check_captain(building: Building, captain: Resident | None) -> None:
    """A building's captain (楼栋长) is a resident living in it (or None, for none)."""
    if (
        captain is not None
        and not Resident.objects.filter(
            pk=captain.pk, household__building=building, status=ResidentStatus.PRESENT
        ).exists()
    ):
        raise invalid("captain", _("The building captain must be a resident living in this building."))


def check_room_fits(building: Building, room: str) -> None:
    """Once a building's figures are declared (homes per floor known), a new household's room must lie on one of
    its floors and the building must have room left. Buildings imported without them are not checked."""
    building = Building.objects.get(
        pk=building.pk
    )  # the figures as they are now, not as the caller read them
    if not building.households_per_floor:
        return
    check_room_floor(building, room)
    limit = capacity(building)
    if limit is not None and building.households.count() >= limit:
        raise invalid(
            "room",
            _("The building already has the %(n)d households its floors and entrances hold.") % {"n": limit},
        )


def check_room_floor(building: Building, room: str) -> None:
    """Once a building's homes per floor are known, a room must lie on one of its floors (902 in a six-floor
    building is a typing error)."""
    floor = room_floor(room)
    if building.households_per_floor and floor is not None and floor > building.floors:
        raise invalid(
            "room",
            _("Room %(room)s would be on floor %(floor)d; the building has %(floors)d floors.")
            % {"room": room, "floor": floor, "floors": building.floors},
        )


def household_address(building: Building, entrance: Entrance | None, room: str) -> str:
    """A household's address: its building's, its entrance (单元) and its room."""
    unit = f"{entrance.number}单元" if entrance else ""
    return f"{building.address}{unit}{room}"


def floor_area_value(value: Any, most: int = 5000) -> Decimal | None:
    """A floor area in m² (None when empty), from 1 to `most`; `invalid` otherwise."""
    if value in (None, ""):
        return None
    try:
        area = Decimal(str(value)).quantize(Decimal("0.01"))
    except InvalidOperation:
        raise invalid("floor_area", _("Enter the floor area in square metres, e.g. 86.5.")) from None
    if not Decimal("1") <= area <= Decimal(most):
        raise invalid("floor_area", _("A floor area lies between 1 and %(most)d m².") % {"most": most})
    return area


def check_inside(grid: Grid, lng: float, lat: float) -> None:
    """A position must lie inside its grid (on its edge counts); `invalid` on "lng" otherwise."""
    if not shape(grid.boundary).buffer(1e-7).covers(Point(lng, lat)):
        raise invalid("lng", _("The position lies outside grid %(code)s.") % {"code": grid.code})


def household_code(building: Building, entrance: Entrance | None, room: str) -> str:
    """The code a household is given when none is typed: the building's, its entrance and its room, as the imports and
    the demo write them (110105021001001-01-1-102)."""
    return "-".join(part for part in (building.code, str(entrance.number) if entrance else "", room) if part)


@transaction.atomic
def household_add(
    *,
    actor: Actor,
    building: Building,
    room: str,
    entrance: Entrance | None = None,
    code: str = "",
    is_rented: bool = False,
    floor_area: Any = None,
) -> Household:
    """A home of the building the register does not hold yet (a flat that stood empty, a family moving in from
    elsewhere): its room, entrance, tenure and floor area; the people who live there then move in on its page."""
    from . import household_create

    require_maintainer(actor)
    in_scope(actor, buildings_visible_to, building)
    # Locked: one addition at a time against the building's capacity.
    b = Building.objects.select_for_update().get(pk=building.pk)
    room = clean_text("room", room, most=20, required=True, label=_("Room"))
    if entrance is None and b.entrances.exists():
        raise invalid("entrance", _("Choose the entrance the home is in."))
    if entrance is not None and entrance.building_id != b.pk:
        raise invalid("entrance", _("The entrance belongs to another building."))
    if b.households.filter(room=room, entrance=entrance).exists():
        raise invalid(
            "room", _("Room %(room)s of this entrance is in the register already.") % {"room": room}
        )
    code = code.strip() or household_code(b, entrance, room)
    if len(code) > 48:
        raise invalid("code", _("A value of at most %(n)d characters is required.") % {"n": 48})
    return household_create(
        actor=actor,
        building=b,
        code=code,
        room=room,
        entrance=entrance,
        is_rented=is_rented,
        floor_area=floor_area_value(floor_area),
    )


@transaction.atomic
def household_update(
    *,
    actor: Actor,
    household: Household,
    is_rented: bool | None = None,
    floor_area: Any = UNSET,
    room: str | None = None,
    entrance: Entrance | None = UNSET,
) -> Household:
    """Owner-occupied or rented, the floor area (m², counted in owners' votes), and (an import's corrections) the
    room number and entrance, the address following them."""
    require_maintainer(actor)
    in_scope(actor, households_visible_to, household)
    h = (
        Household.objects.select_for_update(of=("self",))
        .select_related("building", "entrance")
        .get(pk=household.pk)
    )
    changes: dict[str, Any] = {}
    if room is not None and room.strip() != h.room:
        room = clean_text("room", room, most=20, required=True, label=_("Room"))
        check_room_floor(h.building, room)
        changes["room"] = room
    if entrance is not UNSET and (entrance.pk if entrance else None) != h.entrance_id:
        if entrance is not None and entrance.building_id != h.building_id:
            raise invalid("entrance", _("The entrance belongs to another building."))
        if entrance is None and h.building.entrances.exists():
            raise invalid("entrance", _("Choose the entrance the home is in."))
        changes["entrance"] = entrance
    if "room" in changes or "entrance" in changes:
        # A correction may not make the home another one of the register (the same room of the same entrance).
        room_now, entrance_now = changes.get("room", h.room), changes.get("entrance", h.entrance)
        if (
            Household.objects.filter(building=h.building, room=room_now, entrance=entrance_now)
            .exclude(pk=h.pk)
            .exists()
        ):
            raise invalid(
                "room", _("Room %(room)s of this entrance is in the register already.") % {"room": room_now}
            )
        changes["address"] = household_address(
            h.building, changes.get("entrance", h.entrance), changes.get("room", h.room)
        )
    if is_rented is not None:
        changes["is_rented"] = is_rented
    if floor_area is not UNSET:
        changes["floor_area"] = floor_area_value(floor_area)
    save_changes(actor, h, changes, "household_update")
    return h


@transaction.atomic
def building_update(
    *,
    actor: Actor,
    building: Building,
    floors: int | None = None,
    entrances: int | None = None,
    households_per_floor: int | None = None,
    captain: Resident | None = UNSET,
    name: str | None = None,
    address: str | None = None,
    lng: float | None = None,
    lat: float | None = None,
    compound: OrgNode | None = UNSET,
) -> Building:
    """A building's floors, entrances (added or, when no household uses them, removed), homes per floor and
    captain (楼栋长: a resident living in the building, or None for none). The figures must hold its households.
    Its name, address, position (inside its grid) and compound too (an import's update)."""
    require_maintainer(actor)
    in_scope(actor, buildings_visible_to, building)
    b = Building.objects.select_for_update(of=("self",)).select_related("grid").get(pk=building.pk)
    households = Household.objects.filter(building=b)
    changed: list[str] = []
    for field, value, most in (("name", name, 100), ("address", address, 200)):
        if value is not None and value.strip() != getattr(b, field):
            if not value.strip() or len(value.strip()) > most:
                raise invalid(field, _("A value of at most %(n)d characters is required.") % {"n": most})
            setattr(b, field, value.strip())
            changed.append(field)
    if "address" in changed:
        b.address_key = normalize_address(b.address)
        changed.append("address_key")
    if (lng is None) != (lat is None):
        raise invalid("lat" if lat is None else "lng", _("Give the longitude and the latitude together."))
    if lng is not None and lat is not None and (lng, lat) != (b.lng, b.lat):
        check_inside(b.grid, lng, lat)
        b.lng, b.lat = lng, lat
        changed += ["lng", "lat"]
    if compound is not UNSET and (compound.pk if compound else None) != b.compound_id:
        if compound is not None:
            in_scope(actor, org_nodes_visible_to, compound)
            if compound.kind != "compound":
                raise invalid("compound", _("Choose a compound."))
        b.compound = compound
        changed.append("compound")
    if floors is not None:
        check_floors(floors)
        highest = max((room_floor(r) or 0 for r in households.values_list("room", flat=True)), default=0)
        if floors < highest:
            raise invalid(
                "floors",
                _("A household lives on floor %(floor)d: the building has at least that many.")
                % {"floor": highest},
            )
        if floors != b.floors:
            b.floors = floors
            changed.append("floors")
    if households_per_floor is not None:
        check_households_per_floor(households_per_floor)
        if households_per_floor != b.households_per_floor:
            b.households_per_floor = households_per_floor
            changed.append("households_per_floor")
    current = b.entrances.count()
    if entrances is not None and entrances != current:
        check_entrance_count(entrances)
        if entrances > current:
            Entrance.objects.bulk_create(
                Entrance(building=b, number=n) for n in range(current + 1, entrances + 1)
            )
        else:
            dropped = Entrance.objects.filter(building=b, number__gt=entrances)
            if households.filter(entrance__in=dropped).exists():
                raise invalid("entrances", _("Households live behind the entrances you would remove."))
            dropped.delete()
        changed.append("entrances")
    limit = capacity(b, entrances=entrances)
    if limit is not None and households.count() > limit:
        raise invalid(
            "households_per_floor",
            _("%(n)d households live here: more than floors × entrances × homes per floor (%(limit)d).")
            % {"n": households.count(), "limit": limit},
        )
    if captain is not UNSET and (captain.pk if captain else None) != b.captain_id:
        check_captain(b, captain)
        b.captain = captain
        changed.append("captain")
    model_fields = [f for f in changed if f != "entrances"]
    if model_fields:
        b.save(update_fields=[*model_fields, "updated_at"])
    if changed:
        audit(actor, "building_update", b, fields=changed)
    return b
