"""The one table of allowed transitions of a mediation case: action → {from state: to state}."""

from __future__ import annotations

from django.utils.translation import gettext as _

from linli.core.errors import InvalidTransition

from .choices import CaseState

OPEN, M, A, C = CaseState.OPEN, CaseState.MEDIATING, CaseState.AGREED, CaseState.CLOSED

TRANSITIONS: dict[str, dict[str, str]] = {
    "party": {OPEN: OPEN, M: M},
    "assign": {OPEN: OPEN, M: M, A: A},
    "professional": {OPEN: OPEN, M: M},
    "session": {OPEN: M, M: M},
    "sign": {M: A},
    "follow_up_holds": {A: C},
    "follow_up_broken": {A: M},
    "close": {OPEN: C, M: C},
}


def allowed(state: str, action: str) -> bool:
    return state in TRANSITIONS[action]


def check(state: str, action: str) -> str:
    """The state after `action`, or InvalidTransition with a Chinese message."""
    if state not in TRANSITIONS[action]:
        raise InvalidTransition(
            _("This cannot be done to a case that is %(state)s.") % {"state": CaseState(state).label}
        )
    return TRANSITIONS[action][state]
