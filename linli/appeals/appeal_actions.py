"""What higher apps offer on an appeal's staff page: a registry appeals owns.

Taking a resident's suggestion onto co-building's needs list is the cobuild app's (it stands above appeals): it
registers an `AppealAction` from its `contributions.register()`, and the appeal's page shows it as a link to the
app's own page. Appeals never imports it (as territory's `visit_actions`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .models import Appeal


@dataclass(frozen=True)
class AppealAction:
    name: str
    label: Any  # a lazy translation
    url: Callable[[Appeal], str]  # where the action's page is
    offered: Callable[[Any, Appeal], bool]  # whether this user may take it on this appeal now


_registry: dict[str, AppealAction] = {}


def register(action: AppealAction) -> None:
    """Register (or replace) an action under a stable name."""
    _registry[action.name] = action


def offered(user: Any, appeal: Appeal) -> list[tuple[AppealAction, str]]:
    """The registered actions this user may take on this appeal, with their URLs."""
    return [
        (_registry[name], _registry[name].url(appeal))
        for name in sorted(_registry)
        if _registry[name].offered(user, appeal)
    ]
