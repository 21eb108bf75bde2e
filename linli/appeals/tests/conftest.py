"""Fixtures the appeals' tests share beside the root conftest's cast."""

from __future__ import annotations

import pytest

from linli.territory.models import Grid
from linli.testing import Cast, make_neighbour


@pytest.fixture
def neighbour_grid(cast: Cast) -> Grid:
    """A second grid in the cast's compound, with a building, a household and a resident (territory's)."""
    return make_neighbour(cast).grid
