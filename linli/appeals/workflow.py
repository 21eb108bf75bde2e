"""The ONE table of allowed transitions. Every service checks its action here before it writes.

An action maps to the states it may start from and the state it leads to (None: the state does not change,
the action is still traced). Who may take an action is the other table, in permissions.py; transitions.py is
the one writer that applies both.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from linli.core.errors import InvalidTransition

from .choices import AWAITING_DISPATCH_STATES, OPEN_STATES, WITH_UNIT_STATES, WORKING_STATES
from .choices import AppealState as S


@dataclass(frozen=True)
class Transition:
    sources: frozenset[str]
    target: str | None
    label: object


def _t(sources: Sequence[S], target: S | None, label: object) -> Transition:
    return Transition(frozenset(str(s) for s in sources), str(target) if target else None, label)


# Where a summoned part's steps are taken: the appeal with a unit, not returned (the tier above sends it on first).
PART_STATES = [S.DISPATCHED, S.ACKNOWLEDGED, S.IN_PROGRESS, S.WAITING]

TRANSITIONS: dict[str, Transition] = {
    "submit": _t([], S.ACCEPTED, _("Submit")),
    "classify": _t([S.ACCEPTED], None, _("Classify")),
    "triage": _t([S.ACCEPTED], None, _("Place at the triage desk")),
    # From a unit's hands only at the top tier: the district passes it to a department (permissions.py).
    "dispatch": _t(
        [*AWAITING_DISPATCH_STATES, S.DISPATCHED, S.ACKNOWLEDGED, S.IN_PROGRESS], S.DISPATCHED, _("Dispatch")
    ),
    "acknowledge": _t([S.DISPATCHED], S.ACKNOWLEDGED, _("Acknowledge")),
    "contact": _t(WORKING_STATES, None, _("Contact the resident")),
    "start": _t([S.ACKNOWLEDGED], S.IN_PROGRESS, _("Start work")),
    "pause": _t([S.ACKNOWLEDGED, S.IN_PROGRESS], S.WAITING, _("Wait on the resident")),
    "resume": _t([S.WAITING], S.IN_PROGRESS, _("Resume")),
    "resolve": _t([S.DISPATCHED, S.ACKNOWLEDGED, S.IN_PROGRESS], S.RESOLVED, _("Resolve")),
    "return": _t([S.DISPATCHED, S.ACKNOWLEDGED], S.RETURNED, _("Return to the tier above")),
    "escalate": _t(WITH_UNIT_STATES, S.DISPATCHED, _("Escalate")),
    "extension_request": _t(WORKING_STATES, None, _("Request an extension")),
    "extension_approve": _t(WORKING_STATES, None, _("Approve the extension")),
    "extension_reject": _t(WORKING_STATES, None, _("Refuse the extension")),
    "urge": _t(WITH_UNIT_STATES, None, _("Urge")),
    "whistle": _t([S.ACKNOWLEDGED, S.IN_PROGRESS], S.IN_PROGRESS, _("Whistle: summon departments")),
    # A summoned unit's part is worked while the appeal is with a unit: a part outlives an escalation, and a
    # reopening owes it again (services/part_deadlines.parts_owe_again), each handing the appeal on as dispatched.
    "part_report_in": _t(PART_STATES, None, _("Report in")),
    # 不属于本单位职责: the unit says so instead of reporting in; the summoner insists (or withdraws the summons).
    "part_decline": _t(PART_STATES, None, _("Say it is not our duty")),
    "part_insist": _t(PART_STATES, None, _("Insist the unit does its part")),
    "part_complete": _t(PART_STATES, None, _("Complete a part")),
    "part_send_back": _t(PART_STATES, None, _("Send a part back")),
    "part_withdraw": _t(PART_STATES, None, _("Withdraw a summons")),
    "part_urge": _t(PART_STATES, None, _("Urge a summoned unit")),
    "part_warn": _t(OPEN_STATES, None, _("Warn a summoned unit of its deadline")),
    "part_breach": _t(OPEN_STATES, None, _("Mark a part overdue")),
    "whistle_request": _t([S.ACKNOWLEDGED, S.IN_PROGRESS], None, _("Ask the community to whistle")),
    "whistle_request_decline": _t(OPEN_STATES, None, _("Decline a whistle request")),
    "warn": _t(OPEN_STATES, None, _("Warn of the deadline")),
    "breach": _t(OPEN_STATES, None, _("Mark overdue")),
    "rate": _t([S.RESOLVED], S.RATED, _("Rate")),
    "rework": _t([S.RESOLVED, S.RATED], S.DISPATCHED, _("Rework")),
    "callback": _t([S.RESOLVED], None, _("Create a callback task")),
    "close": _t([S.RESOLVED, S.RATED], S.CLOSED, _("Close")),
    # A callback call that did not reach the resident (traced); after enough of them the appeal closes unrated.
    "callback_attempt": _t([S.RESOLVED], None, _("Callback: the resident did not answer")),
    # The resident could not be reached on the callback: it closes without a rating.
    "callback_unreachable": _t([S.RESOLVED], S.CLOSED, _("Close: the resident could not be reached")),
    "merge": _t(OPEN_STATES, S.CLOSED, _("Merge into another appeal")),
    # Several issues in one message become appeals of their own, before any unit has started work on it.
    "split": _t(
        [*AWAITING_DISPATCH_STATES, S.DISPATCHED, S.ACKNOWLEDGED], S.CLOSED, _("Split into separate appeals")
    ),
    "withdraw": _t(OPEN_STATES, S.CLOSED, _("Withdraw")),
    "answer": _t([S.ACCEPTED, S.DISPATCHED, S.ACKNOWLEDGED], S.CLOSED, _("Answer at first contact")),
    "comment": _t([*OPEN_STATES, S.RESOLVED, S.RATED, S.CLOSED], None, _("Add a note")),
    # 不予公开: kept off the public pages for good, whatever its state (a solved one is what they disclose).
    "withhold": _t([*OPEN_STATES, S.RESOLVED, S.RATED, S.CLOSED], None, _("Withhold from the public pages")),
    # The resident's side: more information (text, photos, a voice message) while it is open; reopening within
    # LINLI_APPEAL_REOPEN_DAYS of its resolution or closing, not only through an unsatisfied rating.
    "add_info": _t(OPEN_STATES, None, _("Add information")),
    "reopen": _t([S.RESOLVED, S.RATED, S.CLOSED], S.DISPATCHED, _("Reopen")),
}


def check(action: str, state: str) -> str:
    """The state after `action` from `state`, or InvalidTransition naming the action and the state."""
    transition = TRANSITIONS[action]
    if state not in transition.sources:
        raise InvalidTransition(
            _("'%(action)s' is not possible while the appeal is '%(state)s'.")
            % {"action": transition.label, "state": S(state).label},
            extra={"action": action, "state": state},
        )
    return transition.target or state


def allowed_actions(state: str) -> list[str]:
    return [name for name, t in TRANSITIONS.items() if state in t.sources]
