"""The territory's tests' fixtures beside the root conftest's cast."""

from __future__ import annotations

import pytest

from linli.testing import Cast, Neighbour, make_neighbour


@pytest.fixture
def neighbour(cast: Cast) -> Neighbour:
    """A second grid in the grid worker's compound, with a building, a household and a resident."""
    return make_neighbour(cast)
