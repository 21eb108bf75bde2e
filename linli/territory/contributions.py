"""Territory's own entries in its registries: the roads import and export kind (see roads.py)."""

from __future__ import annotations


def register() -> None:
    from . import roads

    roads.register()
