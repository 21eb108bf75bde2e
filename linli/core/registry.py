"""The registries a lower app owns and higher apps fill (core stands below every app, so any may use them).

`Registry` keeps entries under stable names: registering a name again replaces its entry, and `registered()`
lists them in name order, so what a page shows does not hang on the order the apps were loaded in.

`ObjectActions` is the registry of the actions higher apps offer on a lower app's object page, each shown as a
link to the higher app's own page: territory's `visit_actions` (raising an appeal from a visit of the log) and
appeals' `appeal_actions` (putting a suggestion on co-building's needs list) are two of them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .scoping import Viewer


class Registry[T]:
    def __init__(self) -> None:
        self._entries: dict[str, T] = {}

    def register(self, name: str, entry: T) -> None:
        """Register (or replace) an entry under a stable name."""
        self._entries[name] = entry

    def unregister(self, name: str) -> None:
        self._entries.pop(name, None)

    def registered(self) -> list[T]:
        """The entries in the order of their names."""
        return [self._entries[name] for name in sorted(self._entries)]


@dataclass(frozen=True)
class ObjectAction[T]:
    name: str
    label: Any  # a lazy translation
    url: Callable[[T], str]  # where the action's page is
    offered: Callable[[Viewer, T], bool]  # whether this user may take it on this object now


class ObjectActions[T]:
    """The actions offered on the page of one kind of object (`T`), by name."""

    def __init__(self) -> None:
        self._actions: Registry[ObjectAction[T]] = Registry()

    def register(self, action: ObjectAction[T]) -> None:
        """Register (or replace) an action under its name."""
        self._actions.register(action.name, action)

    def offered(self, user: Viewer, obj: T) -> list[tuple[ObjectAction[T], str]]:
        """The registered actions this user may take on this object, with their URLs."""
        return [
            (action, action.url(obj)) for action in self._actions.registered() if action.offered(user, obj)
        ]
