"""A new building's homes added all at once: its entrances, a range of floors and the homes on each floor, numbered
the way the building's doors are (101, 1-101, or running on across the entrances), the rooms the register already
holds skipped. `households_add_plan` works out what would be added (the page's and the API's preview);
`households_add_all` adds it, held to the rules of adding one home (`household_add`): the same role and scope, the
building's floors and capacity, codes not used before; each home written as `household_create` writes one, with
its audit entry."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from linli.core.audit import audit_record_each

from ..models import Building, Entrance, Household
from ..selectors import buildings_visible_to
from .common import Actor, in_scope, invalid, require_maintainer
from .housing import capacity, household_address, household_code

# How the rooms are numbered: the floor and the home's two digits, each entrance from 01 (101, 102 in every
# entrance); the same with the entrance before it (1-101, 2-101); or running on across the entrances (entrance 1
# has 101 and 102, entrance 2 has 103 and 104).
NUMBERINGS = {
    "floor": gettext_lazy("101, 102 … (each entrance from 01)"),
    "entrance_floor": gettext_lazy("1-101, 2-101 … (the entrance first)"),
    "running": gettext_lazy("101 … 104 (running on across the entrances)"),
}
MOST_AT_ONCE = 2000  # a 40-floor tower of 4 entrances and 8 homes a floor has 1,280


@dataclass
class HomesPlan:
    """The homes a batch names: (entrance number or None, room) to add, and those already in the register."""

    new: list[tuple[int | None, str]] = field(default_factory=list)
    existing: list[tuple[int | None, str]] = field(default_factory=list)
    created: list[Household] = field(default_factory=list)

    def by_entrance(self) -> list[tuple[int | None, list[str]]]:
        """The new rooms of each entrance, in order (for the preview)."""
        rooms: dict[int | None, list[str]] = {}
        for number, room in self.new:
            rooms.setdefault(number, []).append(room)
        return list(rooms.items())


def room_number(numbering: str, entrance: int | None, floor: int, home: int, per_floor: int) -> str:
    """The room of the `home`-th home (from 1) on `floor` of `entrance`, numbered by `numbering`."""
    if numbering == "running":
        home += ((entrance or 1) - 1) * per_floor
    room = f"{floor}{home:02d}"
    return f"{entrance}-{room}" if numbering == "entrance_floor" and entrance else room


def _whole(name: str, value: int, low: int, high: int, message: str) -> None:
    if not low <= value <= high:
        raise invalid(name, message)


def households_add_plan(
    *,
    building: Building,
    entrances: int,
    floor_from: int,
    floor_to: int,
    per_floor: int,
    numbering: str,
) -> HomesPlan:
    """The homes of entrances 1 to `entrances` (none, for a building without entrances), floors `floor_from` to
    `floor_to`, `per_floor` on each floor of each entrance, numbered by `numbering` (NUMBERINGS): those to add, and
    those the register already holds (skipped). Refused, on the field at fault, where the building's figures do not
    hold them: more entrances or floors than it has, more homes a floor than its homes per floor (when known)."""
    held = building.entrances.count()
    if held and not 1 <= entrances <= held:
        raise invalid(
            "entrances",
            _("The building has %(n)d entrances: write 1 to %(n)d (more are added under its figures first).")
            % {"n": held},
        )
    if not held and entrances:
        raise invalid(
            "entrances",
            _(
                "The building has no entrances in the register: write 0, or give it entrances under its figures first."
            ),
        )
    _whole(
        "floor_from",
        floor_from,
        1,
        building.floors,
        _("Write a floor from 1 to %(n)d (the building's floors).") % {"n": building.floors},
    )
    _whole(
        "floor_to",
        floor_to,
        floor_from,
        building.floors,
        _(
            "Write a floor from %(low)d to %(n)d: not below the lowest floor, not above the building's %(n)d floors."
        )
        % {"low": floor_from, "n": building.floors},
    )
    most = building.households_per_floor or 50
    _whole(
        "per_floor",
        per_floor,
        1,
        most,
        _("Write 1 to %(n)d homes a floor (the building's homes per floor and entrance).") % {"n": most}
        if building.households_per_floor
        else _("Write 1 to 50 homes a floor."),
    )
    if numbering not in NUMBERINGS:
        raise invalid("numbering", _("Choose how the rooms are numbered."))
    if numbering == "entrance_floor" and not entrances:
        raise invalid("numbering", _("A building without entrances has no entrance to put before the room."))
    if numbering == "running" and max(entrances, 1) * per_floor > 99:
        raise invalid(
            "numbering",
            _("Running on across %(e)d entrances of %(h)d homes, a floor would need more than 99 numbers.")
            % {"e": entrances, "h": per_floor},
        )
    total = max(entrances, 1) * (floor_to - floor_from + 1) * per_floor
    if total > MOST_AT_ONCE:
        raise invalid(
            "floor_to",
            _("That is %(n)d homes; add at most %(most)d at once.") % {"n": total, "most": MOST_AT_ONCE},
        )
    present = set(building.households.values_list("entrance__number", "room"))
    plan = HomesPlan()
    for number in range(1, entrances + 1) if entrances else [None]:
        for floor in range(floor_from, floor_to + 1):
            for home in range(1, per_floor + 1):
                home_key = (number, room_number(numbering, number, floor, home, per_floor))
                (plan.existing if home_key in present else plan.new).append(home_key)
    return plan


@transaction.atomic
def households_add_all(
    *,
    actor: Actor,
    building: Building,
    entrances: int,
    floor_from: int,
    floor_to: int,
    per_floor: int,
    numbering: str,
) -> HomesPlan:
    """Add the homes `households_add_plan` names and the register lacks, in one go (a new building's flats): by
    those who keep the register, in a building of their area; refused as a whole (nothing added) when they would
    not fit the building's capacity, when none is left to add, or when a code they would take is used."""
    require_maintainer(actor)
    in_scope(actor, buildings_visible_to, building)
    # Locked: the rooms checked and the capacity counted are those the homes are added to.
    b = Building.objects.select_for_update().get(pk=building.pk)
    plan = households_add_plan(
        building=b,
        entrances=entrances,
        floor_from=floor_from,
        floor_to=floor_to,
        per_floor=per_floor,
        numbering=numbering,
    )
    if not plan.new:
        raise invalid(
            "floor_to",
            _("Every one of these %(n)d rooms is in the register already.") % {"n": len(plan.existing)},
        )
    limit = capacity(b)
    have = b.households.count()
    if limit is not None and have + len(plan.new) > limit:
        raise invalid(
            "per_floor",
            _(
                "The building holds %(limit)d homes (floors × entrances × homes per floor) and has %(have)d: "
                "%(n)d more do not fit."
            )
            % {"limit": limit, "have": have, "n": len(plan.new)},
        )
    doors: dict[int | None, Entrance | None] = {e.number: e for e in b.entrances.all()}
    doors[None] = None
    homes = [
        Household(
            building=b,
            entrance=doors[number],
            room=room,
            code=household_code(b, doors[number], room),
            address=household_address(b, doors[number], room),
        )
        for number, room in plan.new
    ]
    taken = sorted(Household.objects.filter(code__in=[h.code for h in homes]).values_list("code", flat=True))
    if taken:
        raise invalid(
            "numbering",
            _("Household code %(code)s is already used (%(n)d of these codes are).")
            % {"code": taken[0], "n": len(taken)},
        )
    plan.created = Household.objects.bulk_create(homes, batch_size=500)
    audit_record_each(
        actor=actor,
        action="household_create",
        objs=plan.created,
        detail=lambda h: {"code": h.code, "building": b.pk},
    )
    return plan
