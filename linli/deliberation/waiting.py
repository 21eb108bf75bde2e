"""Co-governance's work for staff, on their home (core.todo): joint meetings submitted for filing that the street
has to acknowledge or return (镇街备案), and hall topics and comments hidden after reports, to keep or remove."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from linli.core.scoping import Viewer
from linli.core.todo import Todo, if_may

from .permissions import TABLE
from .selectors import filings_waiting, moderation_queue


def _to_moderate(user: Viewer) -> int:
    queue = moderation_queue(user)
    return len(queue["topics"]) + len(queue["comments"])


TODOS = [
    Todo(
        "deliberation.filings",
        _("Meeting filings to acknowledge"),
        "deliberation:filings",
        if_may(TABLE, "filing_decide", lambda u: filings_waiting(u).count()),
        rank=30,
    ),
    Todo(
        "deliberation.moderation",
        _("Hall posts reported, to keep or remove"),
        "deliberation:moderation",
        if_may(TABLE, "hall_moderate", _to_moderate),
        rank=30,
    ),
]
