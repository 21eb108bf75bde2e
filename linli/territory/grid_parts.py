"""What higher apps add to a grid: counts on its profile (page and API) and a section on its page.

Territory keeps people and housing; an app above it (party organisation, later places and care) shows its side
of a grid by registering a part in its AppConfig.ready(): `grid_parts.register(GridPart(...))`. Territory never
imports those apps.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from linli.core.registry import Registry

if TYPE_CHECKING:
    from .models import Grid


@dataclass(frozen=True)
class GridPart:
    name: str
    counts: Callable[[Grid], dict[str, int]]  # merged into the grid profile
    stats_template: str  # stat tiles shown with the profile counts (gets `profile`)
    section_template: str  # a section of the grid page (gets `grid` and `data`)
    context: Callable[[Grid], dict[str, Any]]  # the section's `data`


_parts: Registry[GridPart] = Registry()


def register(part: GridPart) -> None:
    """Register (or replace) a part under a stable name."""
    _parts.register(part.name, part)


registered = _parts.registered  # the parts in the order of their names
