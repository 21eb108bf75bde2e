"""What party organisation adds to the territory, through the registries territory owns (register() is called when
Django is ready, by core.appconfig): its side of a grid's profile and page, and the party members import and export."""

from __future__ import annotations

from typing import Any

from linli.territory import exports, grid_parts, imports
from linli.territory.models import Grid

from . import imports as member_import
from .selectors import grid_member_posts, grid_party_counts, grid_party_orgs


def _grid_section(grid: Grid) -> dict[str, Any]:
    return {"posts": list(grid_member_posts(grid)), "party_orgs": list(grid_party_orgs(grid))}


def register() -> None:
    grid_parts.register(
        grid_parts.GridPart(
            name="party",
            counts=grid_party_counts,
            stats_template="party/partials/grid_stats.html",
            section_template="party/partials/grid_section.html",
            context=_grid_section,
        )
    )
    imports.register_kind(
        member_import.KIND,
        label=member_import.LABEL,
        columns=member_import.COLUMNS,
        importer=member_import.MemberImporter,
    )
    exports.register_kind(member_import.KIND, rows=member_import.member_rows)
