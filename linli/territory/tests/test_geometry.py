from __future__ import annotations

import pytest
from shapely.geometry import box

from linli.territory.geometry import area_m2, distance_m, distance_m_between, metres_per_degree


def test_a_degree_of_longitude_shrinks_with_latitude_and_one_of_latitude_does_not() -> None:
    assert metres_per_degree(0.0) == pytest.approx((111_320.0, 111_320.0))
    kx, ky = metres_per_degree(60.0)
    assert kx == pytest.approx(55_660.0) and ky == pytest.approx(111_320.0)
    kx, ky = metres_per_degree(39.9)  # Beijing: about 85 km a degree east-west
    assert kx == pytest.approx(85_390, rel=1e-3) and ky == 111_320.0


def test_the_measures_use_the_projection_at_the_shape() -> None:
    kx, ky = metres_per_degree(39.9)
    square = box(116.4, 39.899, 116.401, 39.901)  # 0.001° by 0.002°, centred on 39.9°
    assert area_m2(square) == pytest.approx(0.001 * kx * 0.002 * ky)
    east = box(116.403, 39.899, 116.404, 39.901)  # 0.002° of longitude east of it
    assert distance_m_between(square, east) == pytest.approx(0.002 * kx)
    # within 1% of the great-circle distance at this scale
    assert distance_m_between(square, east) == pytest.approx(
        distance_m(116.401, 39.9, 116.403, 39.9), rel=0.01
    )
