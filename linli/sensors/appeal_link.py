"""An alarm's work order follows the alarm. The one who acknowledges the alarm ("I am on it") signs for its work
order (签收) in the same step, so the order's short signing clock is not missed while they go to the fire; the
one who clears it (处置完毕) or marks it false (误报) resolves the order in the same step — fixed, or no further
action with the false alarm's reason — and closes it too when they are the tier that closes it. A false alarm
whose order they cannot finish (it sits with another handler, or was finished before, as handled) gets a note on
the order saying it was false, when they may add one, so the order does not read like a fire put out.

Appeals sit below sensors, so sensors reads the order through appeals' own scoping (`appeals_visible_to`) and
rules (`actions_for`: the workflow's allowed actions and who may take them), and writes it through appeals' own
services. When the person may not (the order sits with another unit, or moved on already), the order is left to
its handler, and the alarm's history says so."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from django.db import transaction
from django.utils.translation import gettext as _

from linli.accounts.models import User
from linli.appeals.choices import AppealState, Outcome
from linli.appeals.models import Appeal
from linli.appeals.permissions import actions_for
from linli.appeals.selectors import appeals_visible_to
from linli.appeals.services import appeal_acknowledge, appeal_close, appeal_comment, appeal_resolve
from linli.core.errors import DomainError
from linli.territory.selectors import Viewer

from .models import Alarm

# What became of an alarm's work order as the alarm ended: resolved with it, resolved and closed with it, left
# with its handler, or over before (finished earlier; nothing to do).
type Fate = Literal["resolved", "closed", "waiting", "over"]


@dataclass(frozen=True)
class OrderEnd:
    """An alarm's work order as the alarm ended: its number, its fate, and the sentence for the alarm's history and
    the person's message ("" when it was over before)."""

    number: str
    fate: Fate
    message: str


def sentences(*parts: str) -> str:
    """Sentences one after another: none after a Chinese full stop (or other full-width mark), which takes no
    space; a Chinese text typed without one gets it; an English sentence is followed by a space."""
    text = ""
    for part in filter(None, (p.strip() for p in parts)):
        if not text or text[-1] in "。！？；：，）」』":
            text += part
        elif "\u4e00" <= text[-1] <= "\u9fff":
            text += "。" + part
        else:
            text += " " + part
    return text


def _order_for(actor: Viewer, alarm: Alarm) -> tuple[User, Appeal] | None:
    """The alarm's work order as `actor` sees it (a person; the system never acts on it here)."""
    person = actor if isinstance(actor, User) else None
    if person is None or not alarm.appeal_number:
        return None
    appeal = appeals_visible_to(person).filter(tracking_number=alarm.appeal_number).first()
    return None if appeal is None else (person, appeal)


def order_acknowledge(actor: Viewer, alarm: Alarm) -> str:
    """Sign the alarm's work order for `actor` when they may; returns what happened, for the alarm's history."""
    found = _order_for(actor, alarm)
    if found is None or "acknowledge" not in actions_for(*found):
        return ""
    person, appeal = found
    try:  # a savepoint: an order that moved on meanwhile leaves the alarm's step whole
        with transaction.atomic():
            appeal_acknowledge(actor=person, appeal=appeal)
    except DomainError:
        return ""
    return _("Work order %(n)s acknowledged.") % {"n": appeal.tracking_number}


def _note_false(person: User, appeal: Appeal, reason: str) -> bool:
    """A note on the order that its alarm was false (when the person may add one); whether it was added."""
    if "comment" not in actions_for(person, appeal):
        return False
    try:  # a savepoint: an order that moved on meanwhile leaves the alarm's step whole
        with transaction.atomic():
            appeal_comment(
                actor=person,
                appeal=appeal,
                note=_("The alarm was a false alarm: %(reason)s") % {"reason": reason},
            )
    except DomainError:
        return False
    return True


def order_finish(actor: Viewer, alarm: Alarm, *, false_alarm_reason: str = "") -> OrderEnd | None:
    """Resolve (and close, when theirs to close) the alarm's work order for `actor` as the alarm ends; returns
    what became of the order (None for an alarm without one). A false alarm's order left open or finished before
    gets a note saying so."""
    number = alarm.appeal_number
    if not number:
        return None
    waits = OrderEnd(number, "waiting", _("Work order %(n)s still waits for its handler.") % {"n": number})
    found = _order_for(actor, alarm)
    if found is None:  # the device itself, or someone who cannot see the order: its handler finishes it
        return waits
    person, appeal = found
    if not appeal.is_open:
        if false_alarm_reason and _note_false(person, appeal, false_alarm_reason):
            noted = _("Work order %(n)s was finished before: a note on it now says the alarm was false.")
            return OrderEnd(number, "over", noted % {"n": number})
        return OrderEnd(number, "over", "")
    if false_alarm_reason:
        outcome, note = (
            Outcome.NO_FURTHER_ACTION,
            _("False alarm: %(reason)s") % {"reason": false_alarm_reason},
        )
    else:
        outcome, note = Outcome.FIXED, _("The alarm was handled and cleared on site.")
    try:  # savepoints: an order that moved on meanwhile leaves the alarm's step whole
        if "resolve" in actions_for(person, appeal):
            with transaction.atomic():
                appeal = appeal_resolve(actor=person, appeal=appeal, note=note, outcome=outcome)
        if appeal.state == AppealState.RESOLVED and "close" in actions_for(person, appeal):
            with transaction.atomic():
                appeal = appeal_close(actor=person, appeal=appeal, reason=note)
    except DomainError:
        appeal.refresh_from_db()
    if appeal.is_open:
        if false_alarm_reason and _note_false(person, appeal, false_alarm_reason):
            return OrderEnd(
                number, "waiting", sentences(waits.message, _("A note on it says the alarm was false."))
            )
        return waits
    finished = _("Work order %(n)s was finished with the alarm.") % {"n": number}
    return OrderEnd(number, "closed" if appeal.state == AppealState.CLOSED else "resolved", finished)
