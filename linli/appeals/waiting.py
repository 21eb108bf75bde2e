"""The workbench's lists with work in them, on a member of staff's home (core.todo): each links to its tab."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.utils.translation import gettext_lazy as _

from linli.core.todo import Todo

from . import selectors
from .permissions import Actor


def _queue(user: Actor) -> int:
    return selectors.queue_for(user).count()


def _queue_late(user: Actor) -> int:
    return selectors.overdue(selectors.queue_for(user)).count()


def _to_decide(user: Actor) -> int:
    return selectors.extension_requests_for(user).count() + selectors.awaiting_dispatch_for(user).count()


# The workbench's other tabs with work in them: tab, what waits there, how many wait for the person, rank.
_TABS: list[tuple[str, Any, Callable[[Actor], int], int]] = [
    ("supervise", _("Appeals to dispatch or extensions to decide"), _to_decide, 11),
    ("parts", _("Whistle parts your unit was summoned to"), lambda u: selectors.parts_for(u).count(), 12),
    ("whistle_requests", _("Grid whistle requests"), lambda u: selectors.whistle_requests_for(u).count(), 13),
    ("callbacks", _("Residents to call back"), lambda u: selectors.callbacks_for(u).count(), 14),
]

# How many of a tab's are late, where the tab has a deadline of its own.
_LATE: dict[str, Callable[[Actor], int]] = {
    "callbacks": lambda u: selectors.callbacks_late_for(u).count(),
}

TODOS = [
    Todo("appeals.queue", _("Appeals your unit owes"), "appeals:workbench", _queue, _queue_late, rank=10),
    *(
        Todo(
            f"appeals.{tab}", label, "appeals:workbench", count, _LATE.get(tab), query=f"tab={tab}", rank=rank
        )
        for tab, label, count, rank in _TABS
    ),
]
