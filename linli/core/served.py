"""Service done by a person, passed from the app that records it to the apps that credit it: a registry core owns.

Co-building records a provider's service order done (the minutes spent); volunteering keeps the hours volunteers
earn in its time bank. They are siblings and never import each other: the crediting app registers a sink here from
its `contributions.register()`, and the recording app's job hands each piece of service done to `credit()` once
(it remembers which it has handed over). A sink answers whether it credited anything (the person may not be one of
its volunteers).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Served:
    source: str  # unique across apps, e.g. "cobuild.order:12"
    account_id: int  # the account of the person who served
    community_id: int  # the community served (an org node)
    title: str
    minutes: int
    on: dt.date


Sink = Callable[[Served], bool]
_sinks: dict[str, Sink] = {}


def register(code: str, sink: Sink) -> None:
    _sinks[code] = sink


def unregister(code: str) -> None:
    _sinks.pop(code, None)


def credit(served: Served) -> list[str]:
    """Hand the service done to every sink; the codes of those that credited it."""
    return [code for code, sink in sorted(_sinks.items()) if sink(served)]
