"""Build steps of the org tree: district, street, communities and compounds, the roads, and the grids."""

from __future__ import annotations

from typing import TYPE_CHECKING

from linli.territory import services as territory
from linli.territory.choices import NodeKind

from .street import (
    COMMUNITIES,
    DISTRICT,
    STREET,
    STREET_BOUNDS,
    _compound_name,
    _even,
    join_corners,
    plan_street,
    polygon_geojson,
    split_polygon,
)

if TYPE_CHECKING:
    from .build import _Build


def _make_tree(b: _Build) -> None:
    """District → street → communities → compounds. The street is planned as a network of named roads; each
    block between roads is a compound, and each community a run of neighbouring blocks."""
    b.district = territory.org_node_create(
        actor=None, kind=NodeKind.DISTRICT, name=DISTRICT[0], code=DISTRICT[1], parent=None
    )
    b.street = territory.org_node_create(
        actor=None, kind=NodeKind.STREET, name=STREET[0], code=STREET[1], parent=b.district
    )
    b.street_plan = plan_street(b.rng, STREET_BOUNDS, b.plan.compounds)
    blocks = iter(b.street_plan.blocks)
    for ci, count in enumerate(_even(b.plan.compounds, b.plan.communities)):
        name, compound_names = COMMUNITIES[ci]
        community = territory.org_node_create(
            actor=None, kind=NodeKind.COMMUNITY, name=name, code=f"{STREET[1]}{ci + 1:03d}", parent=b.street
        )
        b.communities.append(community)
        for k in range(count):
            compound = territory.org_node_create(
                actor=None,
                kind=NodeKind.COMPOUND,
                name=_compound_name(compound_names, k),
                code=f"{community.code}{k + 1:03d}",
                parent=community,
            )
            b.compounds.append(compound)
            b.compound_polygons.append(next(blocks))
            b.compound_community.append(ci)


def _make_roads(b: _Build) -> None:
    """The street's roads, kept by the street: stretches from junction to junction, through territory's service."""
    assert b.street is not None
    roads = [{**road, "org_node": b.street} for road in b.street_plan.roads]
    b.roads = len(territory.roads_create(actor=None, roads=roads))


def _make_grids(b: _Build) -> None:
    """Each compound's block split into grids along its inner lanes, numbered within the community, with worker
    and station."""
    pieces = [
        (ki, poly)
        for ki in range(len(b.compounds))
        for poly in split_polygon(b.rng, b.compound_polygons[ki], b.grids_per_compound[ki])
    ]
    polygons = join_corners([poly for _ki, poly in pieces])
    per_community = [0] * len(b.communities)
    for (ki, _piece), poly in zip(pieces, polygons, strict=True):
        compound = b.compounds[ki]
        ci = b.compound_community[ki]
        community = b.communities[ci]
        per_community[ci] += 1
        n = per_community[ci]
        grid = territory.grid_create(
            actor=None,
            code=f"{community.code}G{n:02d}",
            name=f"{community.name}第{n}网格",
            org_node=compound,
            boundary=polygon_geojson(poly),
            station_name=f"{community.name}第{n}网格服务站",
            workers=[b.grid_workers[len(b.grids)]],
        )
        b.grids.append(grid)
        b.grid_polygons.append(poly)
        b.grid_compound.append(ki)
