"""An alarm's work order follows the alarm: the one who acknowledges the alarm ("I am on it") signs for its work
order (签收) in the same step, so the order's short signing clock is not missed while they go to the fire.

Appeals sit below sensors, so sensors reads the order through appeals' own rules (`may_handle`, the workflow's
allowed actions) and signs it through appeals' own service (`appeal_acknowledge`). When the person may not sign
it (the order sits with another unit, or was signed or moved on already), the order is left to its handler."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from linli.accounts.models import User
from linli.appeals.models import Appeal
from linli.appeals.permissions import may_handle
from linli.appeals.services import appeal_acknowledge
from linli.appeals.workflow import allowed_actions
from linli.core.errors import Conflict
from linli.territory.selectors import Viewer

from .models import Alarm


def order_acknowledge(actor: Viewer, alarm: Alarm) -> str:
    """Sign the alarm's work order for `actor` when they may; returns what happened, for the alarm's history."""
    person = actor if isinstance(actor, User) else None  # a person signs; the system never does
    if person is None or not alarm.appeal_number:
        return ""
    appeal = Appeal.objects.filter(tracking_number=alarm.appeal_number).first()
    if appeal is None or "acknowledge" not in allowed_actions(appeal.state) or not may_handle(person, appeal):
        return ""
    try:  # a savepoint: an order that moved on meanwhile leaves the alarm's step whole
        with transaction.atomic():
            appeal_acknowledge(actor=person, appeal=appeal)
    except Conflict:
        return ""
    return _("Work order %(n)s acknowledged.") % {"n": appeal.tracking_number}
