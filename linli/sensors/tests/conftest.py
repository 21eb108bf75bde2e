from __future__ import annotations

import pytest

from linli.sensors import services
from linli.sensors.models import Device
from linli.territory import services as territory
from linli.testing import Cast


@pytest.fixture
def device(cast: Cast) -> Device:
    """A smoke detector in a small restaurant of the cast's grid."""
    venue = territory.venue_create(
        actor=None,
        grid=cast.grid,
        category="restaurant",
        name="老王家常菜",
        lng=116.4015,
        lat=39.9015,
        address="和平路3号",
        owner_name="王老板",
        contact_phone="13700001111",
    )
    return services.device_register(
        actor=cast.community_worker,
        code="SD-0001",
        kind="smoke",
        venue=venue,
        location="后厨",
        installer="平安消防",
    )
