"""Build steps of housing: buildings, entrances and households well inside each grid, and their residents."""

from __future__ import annotations

import math
import random
from decimal import Decimal
from typing import TYPE_CHECKING

from linli.territory import services as territory
from linli.territory.addresses import normalize_address
from linli.territory.models import Building, Entrance, Household, Resident

from .people import _birth_date, _household_members, _tags_and_care
from .street import points_inside_polygon

if TYPE_CHECKING:
    from .build import _Build


def _make_buildings_and_households(b: _Build) -> None:
    """Buildings well inside each grid, numbered within their compound (光华西里3号楼), each with floors, entrances
    and homes per floor (一梯几户) that house the planned residents with one home in ten empty; a household in each
    home, on a floor, entrance and door the building has (光华西里3号楼2单元502)."""
    rng = b.rng
    # Homes enough for the planned residents (about 2.7 a household) with one in ten standing empty, shared out
    # over the grids; each grid gets buildings until its share is housed.
    homes = math.ceil(b.plan.residents / 2.7 / 0.9)
    next_number = [0] * len(b.compounds)
    for gi, grid in enumerate(b.grids):
        ki = b.grid_compound[gi]
        need = homes // len(b.grids) + (1 if gi < homes % len(b.grids) else 0)
        shapes = _building_shapes(rng, need)
        for (floors, entrance_count, per_floor), (lng, lat) in zip(
            shapes, points_inside_polygon(rng, b.grid_polygons[gi], len(shapes)), strict=False
        ):
            next_number[ki] += 1
            number = next_number[ki]
            b.entrance_counts.append(entrance_count)
            address = f"{b.compounds[ki].name}{number}号楼"
            b.buildings.append(
                Building(
                    grid=grid,
                    compound=b.compounds[ki],
                    code=f"{b.compounds[ki].code}-{number:02d}",
                    name=f"{number}号楼",
                    address=address,
                    address_key=normalize_address(address),
                    lng=lng,
                    lat=lat,
                    floors=floors,
                    households_per_floor=per_floor,
                )
            )
    Building.objects.bulk_create(b.buildings, batch_size=1000)
    entrances = [
        Entrance(building=building, number=n)
        for building, count in zip(b.buildings, b.entrance_counts, strict=True)
        for n in range(1, count + 1)
    ]
    Entrance.objects.bulk_create(entrances, batch_size=2000)
    entrances_of: dict[int, list[Entrance]] = {}
    for entrance in Entrance.objects.filter(building__in=[x.pk for x in b.buildings]).order_by("number"):
        entrances_of.setdefault(entrance.building_id, []).append(entrance)
    # The homes of one door position share a floor plan: its floor area, the same on every floor.
    plans = {
        (x.pk, door): rng.choice((48, 56, 62, 75, 86, 92, 105, 118, 135))
        for x in b.buildings
        for door in (1, 2, 3, 4)
    }
    dwellings = [
        (building, entrance, floor, door)
        for building in b.buildings
        for entrance in entrances_of[building.pk]
        for floor in range(1, building.floors + 1)
        for door in range(1, building.households_per_floor + 1)
    ]
    # In random order: families move in until the street has its residents; the homes left over stand empty.
    for building, entrance, floor, door in rng.sample(dwellings, len(dwellings)):
        room = f"{floor}{door:02d}"
        b.households.append(
            Household(
                building=building,
                entrance=entrance,
                code=f"{building.code}-{entrance.number}-{room}",
                room=room,
                address=f"{building.address}{entrance.number}单元{room}",
                is_rented=rng.random() < 0.18,
                floor_area=Decimal(f"{plans[(building.pk, door)] + rng.choice((0, 0, 0.5, -0.4)):.2f}"),
            )
        )


def _building_shapes(rng: random.Random, homes: int) -> list[tuple[int, int, int]]:
    """Floors, entrances and homes per floor (一梯几户) of buildings that together hold about `homes` homes: mostly
    the six-storey walk-up slabs of a Beijing 里 (two or three homes a landing), some mid-rise blocks, now and then
    a tower; the last one sized to what is left."""
    out: list[tuple[int, int, int]] = []
    while homes > 0:
        kind = rng.choices(("slab", "mid", "tower"), weights=(6, 3, 1))[0] if homes >= 60 else "slab"
        if kind == "tower":
            shape = (rng.randint(18, 28), 1, rng.choice((3, 4)))
        elif kind == "mid":
            shape = (rng.randint(9, 14), rng.randint(1, 2), 2)
        else:
            floors, per_floor = rng.choice((5, 6, 6, 6)), rng.choice((2, 2, 3))
            shape = (floors, max(1, min(6, round(homes / (floors * per_floor)))), per_floor)
        out.append(shape)
        homes -= shape[0] * shape[1] * shape[2]
    return out


def _make_residents(b: _Build) -> None:
    """Families drawn household by household until the street has its residents; validated like an import,
    ID numbers encrypted per row. Only the households that got residents are kept."""
    rng, people = b.rng, b.people
    used: list[Household] = []
    for household in b.households:
        if len(b.residents) >= b.plan.residents:
            break
        members = _household_members(rng)[: b.plan.residents - len(b.residents)]
        used.append(household)
        low_income = rng.random() < 0.025
        alone = len(members) == 1
        head_surname = people.surname()
        for person in members:
            # Children mostly take the head's surname; spouses and parents keep their own.
            keeps_head = person.relation == "户主" or (
                person.relation in ("子", "女") and rng.random() < 0.85
            )
            birth = _birth_date(rng, b.today, person.age)
            tags, care = _tags_and_care(person, alone, low_income, household.is_rented, rng)
            phone_odds = 0.97 if person.age < 70 else 0.75 if person.age < 85 else 0.35
            has_phone = (person.age >= 18 and rng.random() < phone_odds) or (
                14 <= person.age < 18 and rng.random() < 0.5
            )
            cleaned = territory.resident_clean(
                name=people.name(person.gender, birth.year, head_surname if keeps_head else None),
                gender=person.gender,
                birth_date=birth,
                phone=people.mobile() if has_phone else "",
                id_number=people.id_number(birth, person.gender),
                tags=tags,
                care_level=care,
            )
            resident = territory.resident_build(
                grid=household.building.grid, household=household, cleaned=cleaned, is_demo=True
            )
            resident.relation = person.relation
            b.residents.append(resident)
    b.households = used
    Household.objects.bulk_create(b.households, batch_size=2000)
    for resident in b.residents:
        resident.household = resident.household  # picks up the household's new primary key
    Resident.objects.bulk_create(b.residents, batch_size=2000)
