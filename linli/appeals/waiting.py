"""The workbench's lists with work in them, on a member of staff's home (core.todo): each links to its tab."""

from __future__ import annotations

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


TODOS = [
    Todo("appeals.queue", _("Appeals your unit owes"), "appeals:workbench", _queue, _queue_late, rank=10),
    Todo(
        "appeals.supervise",
        _("Appeals to dispatch or extensions to decide"),
        "appeals:workbench",
        _to_decide,
        query="tab=supervise",
        rank=11,
    ),
    Todo(
        "appeals.parts",
        _("Whistle parts your unit was summoned to"),
        "appeals:workbench",
        lambda u: selectors.parts_for(u).count(),
        query="tab=parts",
        rank=12,
    ),
    Todo(
        "appeals.whistle_requests",
        _("Grid whistle requests"),
        "appeals:workbench",
        lambda u: selectors.whistle_requests_for(u).count(),
        query="tab=whistle_requests",
        rank=13,
    ),
    Todo(
        "appeals.callbacks",
        _("Residents to call back"),
        "appeals:workbench",
        lambda u: selectors.callbacks_for(u).count(),
        query="tab=callbacks",
        rank=14,
    ),
]
