"""Locating: point → grid through an in-memory STRtree, address text → building by normalised match.

(Filled in by the locator work; `locator_invalidate` is called after any grid change commits.)
"""

from __future__ import annotations


def locator_invalidate() -> None:
    return None
