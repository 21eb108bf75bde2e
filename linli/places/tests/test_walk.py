"""The walking circle on small hand-made networks, against distances worked out by hand."""

from __future__ import annotations

import math

import numpy as np
import pytest
from shapely.geometry import Point, shape

from linli.places import walk

R = 6371008.8
LNG, LAT = 116.40, 39.90


def north(metres: float) -> float:
    """The latitude `metres` north of LAT (exact in the equirectangular plane)."""
    return LAT + math.degrees(metres / R)


def east(metres: float, lat: float = LAT) -> float:
    return LNG + math.degrees(metres / (R * math.cos(math.radians(lat))))


def ladder() -> walk.Network:
    """A straight road north from (LNG, LAT) in four 300 m stretches, and a loose road 200 m east of it."""
    stretches = [[[LNG, north(i * 300)], [LNG, north((i + 1) * 300)]] for i in range(4)]
    loose = [[east(200), north(0)], [east(200), north(600)]]
    net = walk.network_build([*stretches, loose])
    assert net is not None
    return net


def test_distances_along_the_road_equal_the_hand_computed_ones() -> None:
    net = ladder()
    entry = walk.entry_for(net, LNG, LAT)
    assert entry is not None and entry.offset_m == pytest.approx(0, abs=0.01)
    dist = walk.distances_from(net, entry, 15 * walk.WALK_M_PER_MIN)  # 1125 m
    lat0 = net.plane.lat0
    # Along a meridian the plane is exact; the reference latitude only scales east-west.
    on_road = sorted(d for d in dist if np.isfinite(d))
    assert on_road == pytest.approx([0, 300, 600, 900], abs=0.5)
    assert lat0 != LAT  # the plane is centred on the network, and north-south distances still hold
    assert np.isinf(dist).sum() == 3  # 1200 m is past 15 minutes; the loose road is never reached


def test_the_walk_from_the_door_counts() -> None:
    net = ladder()
    entry = walk.entry_for(net, east(-50, north(100)), north(100))  # 50 m west of the road, 100 m up
    assert entry is not None
    assert entry.offset_m == pytest.approx(50, abs=0.5)
    dist = walk.distances_from(net, entry, 375)
    # 50 m to the road, then 100 m south to the start or 200 m north to the first junction.
    assert sorted(d for d in dist if np.isfinite(d)) == pytest.approx([150, 250], abs=0.5)


def test_shortest_of_two_routes_round_a_block() -> None:
    # A square block 400 m a side: from the south-west corner the north-east corner is 800 m either way,
    # and a shortcut (a lane across the middle) does not exist until it is added.
    sw, se = [LNG, north(0)], [east(400), north(0)]
    nw, ne = [LNG, north(400)], [east(400), north(400)]
    net = walk.network_build([[sw, se], [se, ne], [sw, nw], [nw, ne]])
    assert net is not None
    entry = walk.entry_for(net, *sw)
    assert entry is not None
    dist = walk.distances_from(net, entry, 2000)
    assert max(dist) == pytest.approx(800, abs=2)


def test_circle_polygons_grow_with_the_minutes_and_follow_the_road() -> None:
    net = ladder()
    entry = walk.entry_for(net, LNG, LAT)
    assert entry is not None
    dist = walk.distances_from(net, entry, 1125)
    five = shape(walk.circle_polygon(net, dist, entry, 375))
    fifteen = shape(walk.circle_polygon(net, dist, entry, 1125))
    assert five.area < fifteen.area
    assert five.contains(Point(LNG, north(350)))  # 375 m walked up the road
    assert not five.contains(Point(LNG, north(450)))
    assert fifteen.contains(Point(LNG, north(1100)))  # the last stretch is walked 225 m of its 300
    assert not fifteen.contains(Point(LNG, north(1200)))
    # 200 m across, as the crow flies, on a road that does not connect: not in the circle.
    assert not fifteen.contains(Point(east(200), north(300)))


def test_no_roads_no_network() -> None:
    assert walk.network_build([]) is None
