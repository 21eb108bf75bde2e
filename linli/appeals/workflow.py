"""The ONE table of allowed transitions. Every service checks its action here before it writes.

An action maps to the states it may start from and the state it leads to (None: the state does not change,
the action is still traced). Who may take an action is checked by the service (see permissions.py).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from linli.core.errors import InvalidTransition

from .choices import AppealState as S


@dataclass(frozen=True)
class Transition:
    sources: frozenset[str]
    target: str | None
    label: object


def _t(sources: list[S], target: S | None, label: object) -> Transition:
    return Transition(frozenset(str(s) for s in sources), str(target) if target else None, label)


_OPEN = [S.ACCEPTED, S.DISPATCHED, S.ACKNOWLEDGED, S.IN_PROGRESS, S.WAITING, S.RETURNED]
_WORKING = [S.ACKNOWLEDGED, S.IN_PROGRESS, S.WAITING]

TRANSITIONS: dict[str, Transition] = {
    "submit": _t([], S.ACCEPTED, _("Submitted")),
    "classify": _t([S.ACCEPTED], None, _("Classified")),
    "dispatch": _t([S.ACCEPTED, S.RETURNED], S.DISPATCHED, _("Dispatched")),
    "acknowledge": _t([S.DISPATCHED], S.ACKNOWLEDGED, _("Acknowledged")),
    "contact": _t(_WORKING, None, _("Contacted the resident")),
    "start": _t([S.ACKNOWLEDGED], S.IN_PROGRESS, _("Started work")),
    "pause": _t([S.ACKNOWLEDGED, S.IN_PROGRESS], S.WAITING, _("Waiting on the resident")),
    "resume": _t([S.WAITING], S.IN_PROGRESS, _("Resumed")),
    "resolve": _t([S.DISPATCHED, S.ACKNOWLEDGED, S.IN_PROGRESS], S.RESOLVED, _("Resolved")),
    "return": _t([S.DISPATCHED, S.ACKNOWLEDGED], S.RETURNED, _("Returned to the tier above")),
    "escalate": _t(
        [S.DISPATCHED, S.ACKNOWLEDGED, S.IN_PROGRESS, S.WAITING, S.RETURNED], S.DISPATCHED, _("Escalated")
    ),
    "extension_request": _t(_WORKING, None, _("Extension requested")),
    "extension_approve": _t(_WORKING, None, _("Extension approved")),
    "extension_reject": _t(_WORKING, None, _("Extension rejected")),
    "urge": _t([S.DISPATCHED, S.ACKNOWLEDGED, S.IN_PROGRESS, S.WAITING, S.RETURNED], None, _("Urged")),
    "whistle": _t([S.ACKNOWLEDGED, S.IN_PROGRESS], S.IN_PROGRESS, _("Whistle: departments summoned")),
    "part_report_in": _t([S.IN_PROGRESS, S.WAITING], None, _("Department reported in")),
    "part_complete": _t([S.IN_PROGRESS, S.WAITING], None, _("Department completed its part")),
    "warn": _t(_OPEN, None, _("Deadline near")),
    "breach": _t(_OPEN, None, _("Deadline missed")),
    "rate": _t([S.RESOLVED], S.RATED, _("Rated")),
    "rework": _t([S.RESOLVED, S.RATED], S.DISPATCHED, _("Reopened for rework")),
    "callback": _t([S.RESOLVED], None, _("Callback task created")),
    "close": _t([S.RESOLVED, S.RATED], S.CLOSED, _("Closed")),
    "merge": _t(_OPEN, S.CLOSED, _("Merged into another appeal")),
    "withdraw": _t(_OPEN, S.CLOSED, _("Withdrawn by the resident")),
    "answer": _t([S.ACCEPTED, S.DISPATCHED, S.ACKNOWLEDGED], S.CLOSED, _("Answered at first contact")),
    "comment": _t([*_OPEN, S.RESOLVED, S.RATED, S.CLOSED], None, _("Note added")),
}


def check(action: str, state: str) -> str:
    """The state after `action` from `state`, or InvalidTransition naming the action and the state."""
    transition = TRANSITIONS[action]
    if state not in transition.sources:
        raise InvalidTransition(
            _("“%(action)s” is not possible while the appeal is “%(state)s”.")
            % {"action": transition.label, "state": S(state).label},
            extra={"action": action, "state": state},
        )
    return transition.target or state


def allowed_actions(state: str) -> list[str]:
    return [name for name, t in TRANSITIONS.items() if state in t.sources]
