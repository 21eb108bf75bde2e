"""What higher apps offer on a visit of the log (民情日志): a registry territory owns.

Raising an appeal from a visit is the appeals app's (it stands above territory): it registers a `VisitAction` in
its AppConfig.ready(), and the visit's page shows it as a link to the app's own page. Territory never imports it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from linli.core.scoping import Viewer

if TYPE_CHECKING:
    from .models import Visit


@dataclass(frozen=True)
class VisitAction:
    name: str
    label: Any  # a lazy translation
    url: Callable[[Visit], str]  # where the action's page is
    offered: Callable[[Viewer, Visit], bool]  # whether this user may take it on this visit now


_registry: dict[str, VisitAction] = {}


def register(action: VisitAction) -> None:
    """Register (or replace) an action under a stable name."""
    _registry[action.name] = action


def offered(user: Viewer, visit: Visit) -> list[tuple[VisitAction, str]]:
    """The registered actions this user may take on this visit, with their URLs."""
    return [
        (_registry[name], _registry[name].url(visit))
        for name in sorted(_registry)
        if _registry[name].offered(user, visit)
    ]
