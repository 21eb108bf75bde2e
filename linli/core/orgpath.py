"""Materialised org paths ("/1/4/17/"): the one place that reads them apart.

Every org node stores the primary keys from the top of the tree down to itself; rows that belong to a node copy
its path (`org_path`), so a subtree is a prefix match and the ancestors are the path's parts.
"""

from __future__ import annotations


def path_ids(path: str | None) -> list[int]:
    """The primary keys along `path`, top first: "/1/4/17/" → [1, 4, 17]; an empty or missing path → []."""
    return [int(part) for part in (path or "").strip("/").split("/") if part]


def path_covers(prefix: str | None, path: str | None) -> bool:
    """Whether `path` lies in the subtree whose path is `prefix` (both non-empty)."""
    return bool(prefix) and bool(path) and str(path).startswith(str(prefix))
