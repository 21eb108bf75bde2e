"""A yes/no about the signed-in person that a menu asks on every page (do they have care visits to give, do they
lead a party branch), asked of the database once in a few minutes and kept in their session. The pages that act on
it ask the database themselves; only the menu may be a few minutes late."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.http import HttpRequest

MEMO_SECONDS = 300


def remembered(request: HttpRequest, key: str, ask: Callable[[], bool], seconds: int = MEMO_SECONDS) -> bool:
    """`ask()`, kept in the request's session under `key` for `seconds`."""
    session = getattr(request, "session", None)
    if session is None:
        return ask()
    kept = session.get(key)
    if isinstance(kept, list) and len(kept) == 2 and kept[1] > time.time():
        return bool(kept[0])
    answer = bool(ask())
    session[key] = [answer, time.time() + seconds]
    return answer


def forget(request: HttpRequest, key: str) -> None:
    """Ask again next time (a page that has just read the answer's source)."""
    session = getattr(request, "session", None)
    if session is not None:
        session.pop(key, None)


def correct(request: HttpRequest, key: str, answer: bool, seconds: int = MEMO_SECONDS) -> None:
    """A page that has just read the answer itself keeps it, when it differs from what the session holds (so an
    unchanged answer costs no session write)."""
    session = getattr(request, "session", None)
    if session is None:
        return
    kept = session.get(key)
    if not (isinstance(kept, list) and len(kept) == 2 and bool(kept[0]) == answer):
        session[key] = [answer, time.time() + seconds]
