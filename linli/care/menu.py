"""The resident menu's entry to care visits: whether the signed-in resident (a volunteer or party member) has care
to give, asked of the database once in a few minutes and kept in their session, not on every page they open."""

from __future__ import annotations

import time

from django.http import HttpRequest

from linli.core.scoping import is_signed_in, is_staff_member

from . import selectors

GIVES_KEY = (
    "care.gives"  # in the session: [whether the resident has care to give, until when (epoch seconds)]
)
GIVES_SECONDS = 300


def forget_gives_care(request: HttpRequest) -> None:
    """Ask again on the next menu (the person's day at /care/ does, as it reads their visits)."""
    session = getattr(request, "session", None)
    if session is not None:
        session.pop(GIVES_KEY, None)


def _remember(request: HttpRequest, gives: bool) -> None:
    """Keep in the session whether the signed-in resident has care to give, for GIVES_SECONDS."""
    session = getattr(request, "session", None)
    if session is not None:
        session[GIVES_KEY] = [gives, time.time() + GIVES_SECONDS]


def gives_care(request: HttpRequest) -> bool:
    """`selectors.gives_care` for the request's person, remembered in their session for a few minutes; free for
    staff and visitors (no query), and for a resident between two checks. A visit newly assigned reaches them at
    once by notification; the menu entry follows within GIVES_SECONDS."""
    user = getattr(request, "user", None)
    if not is_signed_in(user) or is_staff_member(user):
        return False
    kept = getattr(request, "session", {}).get(GIVES_KEY)
    if isinstance(kept, list) and len(kept) == 2 and kept[1] > time.time():
        return bool(kept[0])
    gives = selectors.gives_care(user)
    _remember(request, gives)
    return gives
