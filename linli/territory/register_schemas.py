"""Shapes of the register's maintenance API (people and housing kept up to date). Personal data stays masked."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import Field, Schema

from .schemas import BuildingOut, ResidentOut


class RegisterEventOut(Schema):
    id: int
    kind: str = Field(description="moved_in, moved, moved_out, born, died, household_split, …")
    occurred_on: dt.date
    from_household_id: int | None
    to_household_id: int | None
    note: str


class ResidentDetail(ResidentOut):
    status: str = Field(description="present, moved_away or deceased")
    relation: str = Field(description="relation to the head of household (户主 for the head)")
    occupation: str
    notes: str
    registered_address: str = Field(description="户籍 address when it is not the home (人户分离)")
    lease_ends_on: dt.date | None = Field(description="a tenant's lease end (reminder before it)")
    history: list[RegisterEventOut] = Field(description="life events, newest first")


class ResidentEdit(Schema):
    """Fields to change; leave out what stays."""

    name: str | None = None
    gender: str | None = Field(None, description="male or female; must agree with the ID number")
    birth_date: dt.date | None = Field(None, description="must agree with the ID number; leave out to keep")
    id_number: str | None = Field(
        None,
        description="a corrected ID number (the birth date and gender follow it); empty or left out keeps it",
    )
    phone: str | None = None
    tags: list[str] | None = None
    care_level: str | None = None
    occupation: str | None = None
    notes: str | None = None
    relation: str | None = None
    registered_address: str | None = None
    lease_ends_on: dt.date | None = Field(None, description="null clears it; leave out to keep")


class MoveIn(Schema):
    to_household_id: int
    on: dt.date | None = Field(None, description="the day it happened; today when left out")
    note: str = ""


class MoveOut(Schema):
    on: dt.date | None = None
    destination: str = Field("", description="where the person went, as they said")


class Death(Schema):
    on: dt.date | None = None


class NewPerson(Schema):
    name: str
    gender: str = Field(description="male or female")
    birth_date: dt.date
    id_number: str = ""
    phone: str = ""
    relation: str = ""
    on: dt.date | None = Field(None, description="day of arrival (move-ins only)")


class HouseholdOut(Schema):
    id: int
    code: str
    room: str
    address: str
    building_id: int
    grid_id: int
    entrance: int | None
    is_rented: bool
    floor_area: float | None
    members: list[ResidentOut]


class HouseholdEdit(Schema):
    is_rented: bool | None = None
    floor_area: float | None = Field(None, description="m²; null clears it; leave out to keep")


class HouseholdNew(Schema):
    room: str
    entrance: int | None = Field(
        None, description="the entrance number (单元); required when the building has some"
    )
    code: str = Field("", description="empty: the building's code, the entrance and the room")
    is_rented: bool = False
    floor_area: float | None = Field(None, description="m²")


class HouseholdsBatch(Schema):
    """A new building's homes all at once (the building page's 批量新增住户)."""

    entrances: int = Field(description="entrances 1 to this (单元); 0 for a building without entrances")
    floor_from: int = Field(1, description="the lowest floor with homes")
    floor_to: int = Field(description="the highest floor with homes, at most the building's floors")
    per_floor: int = Field(description="homes on each floor of each entrance (一梯几户)")
    numbering: str = Field(
        "floor",
        description="floor: 101, 102 in each entrance; entrance_floor: 1-101, 2-101; running: 101 to 104 across "
        "the entrances",
    )
    dry_run: bool = Field(False, description="only say what would be added (the preview); add nothing")


class HomeOut(Schema):
    id: int | None = Field(description="the household's id; null in a dry run")
    code: str
    entrance: int | None
    room: str


class HomeRoom(Schema):
    entrance: int | None
    room: str


class HouseholdsBatchOut(Schema):
    count: int = Field(description="homes added (or, in a dry run, that would be)")
    households: list[HomeOut]
    skipped: list[HomeRoom] = Field(description="rooms already in the register, left as they are")


class HouseholdMove(Schema):
    to_household_id: int
    on: dt.date | None = None
    note: str = ""


class HouseholdSplit(Schema):
    member_ids: list[int]
    code: str
    room: str
    head_id: int | None = None
    on: dt.date | None = None


class HouseholdMerge(Schema):
    into_household_id: int
    on: dt.date | None = None


class HeadChange(Schema):
    head_id: int
    previous_relation: str = ""
    on: dt.date | None = None


class Count(Schema):
    moved: int


class BuildingDetail(BuildingOut):
    entrances: int
    households_per_floor: int
    capacity: int | None = Field(description="floors × entrances × homes per floor, when known")
    households: int
    captain_id: int | None = Field(description="楼栋长: a resident of the building")


class BuildingNew(Schema):
    name: str
    address: str
    lng: float = Field(description="inside the grid (WGS 84)")
    lat: float
    floors: int = 1
    entrances: int = Field(0, description="单元")
    households_per_floor: int = Field(0, description="一梯几户; 0 when not known")
    compound_id: int | None = Field(
        None, description="a compound of the grid's community; by default the grid's own"
    )
    code: str = Field("", description="empty: the compound's (or grid's) code and the next number")


class CompoundNew(Schema):
    community_id: int
    name: str
    code: str = Field("", description="division code; empty: the community's code and the next number")


class CompoundEdit(Schema):
    name: str | None = None
    code: str | None = None


class BuildingEdit(Schema):
    name: str | None = None
    address: str | None = None
    lng: float | None = Field(None, description="with lat: a new position, inside the grid")
    lat: float | None = None
    floors: int | None = None
    entrances: int | None = None
    households_per_floor: int | None = None
    captain_id: int | None = Field(None, description="a resident of the building; null for none")


class GridNew(Schema):
    org_node_id: int = Field(description="the community, or one of its compounds, the grid belongs to")
    name: str
    code: str = Field("", description="empty: the community's code, G and the next two digits")
    station_name: str = ""
    worker_ids: list[int] = Field([], description="grid workers, grid leaders or part-time grid workers")
    boundary: Any = Field(description="GeoJSON Polygon, WGS 84 longitude/latitude, its ring closed")


class GridEdit(Schema):
    """Fields to change; leave out what stays."""

    name: str | None = None
    code: str | None = None
    station_name: str | None = None
    worker_ids: list[int] | None = None
    boundary: Any = Field(None, description="the boundary redrawn: a GeoJSON Polygon")
