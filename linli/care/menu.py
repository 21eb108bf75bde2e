"""The resident menu's entry to care visits: whether the signed-in resident (a volunteer or party member) has care
to give, asked of the database once in a few minutes and kept in their session (core.session_memo), not on every
page they open."""

from __future__ import annotations

from django.http import HttpRequest

from linli.core.scoping import is_signed_in, is_staff_member
from linli.core.session_memo import MEMO_SECONDS, forget, remembered

from . import selectors

GIVES_KEY = "care.gives"
GIVES_SECONDS = MEMO_SECONDS


def forget_gives_care(request: HttpRequest) -> None:
    """Ask again on the next menu (the person's day at /care/ does, as it reads their visits)."""
    forget(request, GIVES_KEY)


def gives_care(request: HttpRequest) -> bool:
    """`selectors.gives_care` for the request's person, remembered in their session for a few minutes; free for
    staff and visitors (no query), and for a resident between two checks. A visit newly assigned reaches them at
    once by notification; the menu entry follows within GIVES_SECONDS."""
    user = getattr(request, "user", None)
    if not is_signed_in(user) or is_staff_member(user):
        return False
    return remembered(request, GIVES_KEY, lambda: selectors.gives_care(user))
