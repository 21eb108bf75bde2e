"""Wishes adopted and fulfilled (微心愿): a registry party owns, filled by the app that keeps the wishes
(co-building registers its reader from its `contributions.register()`). Party stands below that app and cannot
read its tables, and the apps that credit an adopted wish (volunteering: the volunteer's bonus and, for a party
member who volunteers, their member points `wish`) are its siblings and may not import it either.

A reader answers the wishes fulfilled since a moment: adopted by a signed-in person, carried out and confirmed
by them (with a photo), and not reported by the wisher as a problem. Each is named by a `source` unique across
apps, which the credits carry so that nothing is credited twice."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class FulfilledWish:
    source: str  # unique across apps, e.g. "cobuild.wish:12"
    title: str
    community_path: str  # the org path of the wish's community
    adopter_id: int  # the account that adopted and fulfilled it
    fulfilled_on: dt.date


Reader = Callable[[dt.datetime], list[FulfilledWish]]
_readers: dict[str, Reader] = {}


def register(code: str, reader: Reader) -> None:
    _readers[code] = reader


def unregister(code: str) -> None:
    _readers.pop(code, None)


def fulfilled_since(since: dt.datetime) -> list[FulfilledWish]:
    return [wish for reader in _readers.values() for wish in reader(since)]
