"""A registry of volunteer hours given outside volunteering's own activities (a care service a volunteer
delivered, …), so that the time bank can credit them without knowing the apps that record them.

Apps that record such hours sit beside volunteering in the layers and may not import it (nor it them): each
registers a source here from its `contributions.register()`; the time bank reads `hours_given(since)` and credits
each entry once by its `source` key (an app-qualified row id)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class HoursGiven:
    account_id: int  # the volunteer's account
    hours: Decimal
    on: dt.date
    note: str
    source: str  # unique and stable, e.g. "care.service:42"


Source = Callable[[dt.date], Iterable[HoursGiven]]
_sources: dict[str, Source] = {}


def register(name: str, source: Source) -> None:
    _sources[name] = source


def hours_given(since: dt.date) -> list[HoursGiven]:
    """Every registered source's hours given on or after `since`."""
    return [entry for name in sorted(_sources) for entry in _sources[name](since)]
