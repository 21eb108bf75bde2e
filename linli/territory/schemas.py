"""Shapes of the territory API. Personal data leaves the server masked; only `RevealOut` carries it in clear."""

from __future__ import annotations

from typing import Any

from ninja import Field, Schema


class OrgNodeRef(Schema):
    id: int
    kind: str = Field(description="district, street, community or compound")
    name: str
    code: str = Field(description="GB/T 2260-style division code")


class OrgNodeTree(OrgNodeRef):
    grid_count: int = Field(description="grids attached directly to this node that you may see")
    children: list[OrgNodeTree] = Field(default_factory=list, description="child nodes you may see")


OrgNodeTree.model_rebuild()


class GridProperties(Schema):
    id: int
    code: str
    name: str
    kind: str = Field(description="grid or microgrid")
    community_id: int
    community_name: str
    org_node_id: int = Field(description="the community or compound the grid belongs to")
    org_node_name: str
    colour: str = Field(description="map colour of the grid's community, e.g. #3b82f6")
    url: str = Field(description="the grid's page")


class Feature(Schema):
    """A GeoJSON Feature: its geometry and properties are the subclass's."""

    type: str = Field("Feature", description='always "Feature"')


class FeatureCollection(Schema):
    type: str = Field("FeatureCollection", description='always "FeatureCollection"')


class GridFeature(Feature):
    id: int
    geometry: dict[str, Any] = Field(description="GeoJSON Polygon, WGS 84 longitude/latitude")
    properties: GridProperties


class GridFeatureCollection(FeatureCollection):
    features: list[GridFeature]


class GridNeighbourProperties(Schema):
    code: str
    name: str
    community_name: str = Field(description="the community the grid belongs to")


class GridNeighbour(Feature):
    geometry: dict[str, Any] = Field(
        description="GeoJSON Polygon, WGS 84 longitude/latitude, as stored (not rounded)"
    )
    properties: GridNeighbourProperties


class GridNeighbourCollection(FeatureCollection):
    features: list[GridNeighbour]


class RoadProperties(Schema):
    code: str = Field(description="unique code of this stretch of road")
    name: str = Field(description="the road's name; its stretches share it")
    kind: str = Field(description="arterial | secondary | branch | lane")
    kind_label: str
    parent: str = Field(description="division code of the street or district that keeps it")
    length_m: float = Field(description="length in metres")


class RoadFeature(Feature):
    id: int
    geometry: dict[str, Any] = Field(
        description="GeoJSON LineString, WGS 84; stretches that meet share the exact end position"
    )
    properties: RoadProperties


class RoadFeatureCollection(FeatureCollection):
    features: list[RoadFeature]


class GridRef(Schema):
    id: int
    code: str
    name: str
    kind: str


class Point(Schema):
    lng: float = Field(description="longitude, WGS 84")
    lat: float = Field(description="latitude, WGS 84")


class Worker(Schema):
    id: int
    name: str = Field(description="display name of the grid worker")


class GridProfile(Schema):
    """人房物情: the base counts kept per grid."""

    residents: int
    households: int
    buildings: int
    elderly: int = Field(description="residents aged 60 or more")
    elderly_alone: int
    disabled: int
    children_under_3: int
    care_red: int = Field(description="residents with a red care code (visited most often)")
    care_yellow: int
    rented_households: int
    venues: int = Field(description="物: venues and facilities in the grid")
    small_venues: int = Field(description="of which small venues (九小场所)")
    venue_problems: int = Field(description="venues with a hazard found, or broken")
    visits_30d: int = Field(description="情: visits logged in the last 30 days")
    follow_ups_open: int = Field(description="visits whose follow-up is not done yet")
    party_members: int
    beacon_households: int = Field(description="党员中心户 in the grid")
    member_posts: int = Field(description="active 双报到 posts in the grid")


class GridDetail(GridRef):
    org_node: OrgNodeRef
    community: OrgNodeRef | None
    station_name: str
    area_m2: float
    centroid: Point
    boundary: dict[str, Any] = Field(description="GeoJSON Polygon")
    workers: list[Worker]
    profile: GridProfile


class BuildingOut(Schema):
    id: int
    code: str
    name: str
    address: str
    floors: int
    lng: float
    lat: float
    grid: GridRef
    compound_id: int | None


class BuildingPage(Schema):
    """A page of buildings (core.api_paging): `count` of all that match, `items` of this page."""

    count: int = Field(description="matching buildings in all pages")
    items: list[BuildingOut]


class ResidentOut(Schema):
    id: int
    name: str
    gender: str
    age: int
    phone: str = Field(description="masked, e.g. 138****5678")
    id_number: str = Field(description="masked, e.g. 1101**********1234")
    address: str = Field(description="household address, masked after the first characters")
    grid: GridRef
    household_id: int | None
    tags: list[str] = Field(description="elderly_alone, disabled, child_under_3, ...")
    care_level: str = Field(description="red, yellow, green or empty")


class ResidentPage(Schema):
    """A page of residents (core.api_paging): `count` of all that match, `items` of this page."""

    count: int = Field(description="matching residents in all pages")
    items: list[ResidentOut]


class RevealOut(Schema):
    """The unmasked personal data of one resident. Each reveal is written to the audit log."""

    id: int
    name: str
    phone: str
    id_number: str
    address: str


class LocateOut(Schema):
    point: Point
    grid: GridRef
    chain: list[OrgNodeRef] = Field(description="org nodes from the district down to the grid's own node")


class LocateAddressOut(Schema):
    query: str
    building: BuildingOut
    chain: list[OrgNodeRef] = Field(description="org nodes from the district down to the grid's own node")


class ErrorOut(Schema):
    code: str = Field(description="stable machine-readable code, e.g. not_found, forbidden")
    message: str = Field(description="for the user, in their language")
    extra: dict[str, Any]
