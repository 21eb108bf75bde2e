"""Materialised org paths ("/1/4/17/"): the one place that reads them apart.

Every org node stores the primary keys from the top of the tree down to itself; rows that belong to a node copy
its path (`org_path`), so a subtree is a prefix match and the ancestors are the path's parts.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import Model
from django.utils.translation import gettext as _


def path_ids(path: str | None) -> list[int]:
    """The primary keys along `path`, top first: "/1/4/17/" → [1, 4, 17]; an empty or missing path → []."""
    return [int(part) for part in (path or "").strip("/").split("/") if part]


def path_covers(prefix: str | None, path: str | None) -> bool:
    """Whether `path` lies in the subtree whose path is `prefix` (both non-empty)."""
    return bool(prefix) and bool(path) and str(path).startswith(str(prefix))


def tree_labeller(model: type[Model]) -> Callable[[Any], str]:
    """A label for each node of the tree `model` (nodes with `name`, `path` and a `kind` choice) that tells apart
    two of one name: its name and kind after the names of its ancestors, "光明街道 › 和平社区（社区）". The top
    node is left out when the tree has only one (every node lies under it); the names are read once, on the first
    label."""
    names: dict[int, str] = {}
    roots: list[int] = []

    def label(node: Any) -> str:
        if not names:
            for pk, name, path in model._default_manager.values_list("pk", "name", "path"):
                names[pk] = name
                if len(path_ids(path)) == 1:
                    roots.append(pk)
        ancestors = path_ids(node.path)[:-1]
        if len(roots) == 1 and ancestors[:1] == roots:
            ancestors = ancestors[1:]
        own = _("%(name)s (%(kind)s)") % {"name": node.name, "kind": node.get_kind_display()}
        return " › ".join([*(names.get(pk, "?") for pk in ancestors), own])

    return label
