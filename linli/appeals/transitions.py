"""The one writer of an appeal's state and of its trace (AppealEvent rows). Every service writes through here,
inside its transaction, most in one call:

    row = transitions.step(actor, appeal, "start", reason=note)  # lock the row, check the transition table
                                                                 # (workflow.py) and who may (permissions.py),
                                                                 # take the time and apply
or in two, when the service reads the locked row before it decides what to write:

    row, target = transitions.lock_for(actor, appeal, "resolve")
    transitions.apply(row, actor=actor, action="resolve", target=target, changes={...})

`apply` compare-and-swaps the new state and columns (`filter(pk, state=old).update(...) == 1`) and appends the
event row; `record_created` traces a new appeal and `record_note` a note on a row the caller has locked.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any, cast

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _

from linli.core.errors import Conflict, NotFound

from .choices import AppealState
from .models import Appeal, AppealEvent
from .permissions import Actor, require, signed_in_user
from .validation import NOTE_MAX
from .workflow import TRANSITIONS, check

# The rows an appeal points at that its services read (place, unit, category, deadline rule).
_RELATED: dict[str, models.ForeignKey[Any, Any]] = {
    name: cast("models.ForeignKey[Any, Any]", Appeal._meta.get_field(name))
    for name in ("grid", "unit_node", "unit_org", "category", "sla_rule")
}


def actor_name(actor: Actor) -> str:
    user = signed_in_user(actor)
    return (user.display_name or user.get_username()) if user is not None else ""


def lock(appeal: Appeal | int, action: str) -> tuple[Appeal, str]:
    """Lock the row and check `action` against the transition table; returns the row and the target state.

    A caller holding a stale copy whose state changed meanwhile gets a Conflict that says who changed it."""
    pk = appeal.pk if isinstance(appeal, Appeal) else appeal
    # The place, unit, category and rule the caller's copy already holds are reused while the locked row still
    # points at them (every service runs through here, several times per appeal: joining five tables each
    # time cost more than the rest of the write); the others are read with the row.
    known: dict[str, Any] = {}
    if isinstance(appeal, Appeal):
        known = {
            name: field.get_cached_value(appeal)
            for name, field in _RELATED.items()
            if field.is_cached(appeal)
        }
    query = Appeal.objects.select_for_update(of=("self",))
    if missing := [name for name in _RELATED if name not in known]:
        query = query.select_related(*missing)
    try:
        row = query.get(pk=pk)
    except Appeal.DoesNotExist:
        raise NotFound() from None
    for name, related in known.items():
        if getattr(row, _RELATED[name].attname) == (related.pk if related is not None else None):
            _RELATED[name].set_cached_value(row, related)
    seen_state = appeal.state if isinstance(appeal, Appeal) else row.state
    if row.state not in TRANSITIONS[action].sources and seen_state != row.state:
        last = row.events.order_by("-at", "-id").first()
        raise Conflict(
            _("Someone else acted first: the appeal is now '%(state)s' (%(by)s, %(at)s). Reload to see it.")
            % {
                "state": AppealState(row.state).label,
                "by": (last.actor_name if last and last.actor_name else _("the system")),
                "at": timezone.localtime(last.at).strftime("%Y-%m-%d %H:%M") if last else "",
            },
            extra={"state": row.state},
        )
    return row, check(action, row.state)


def lock_for(actor: Actor, appeal: Appeal | int, action: str, *, phone: str = "") -> tuple[Appeal, str]:
    """`lock`, then check that `actor` may take `action` on the locked row (permissions.require)."""
    row, target = lock(appeal, action)
    require(actor, action, row, phone=phone)
    return row, target


# The columns a step sets: a dict, or a function of the locked row and the step's time that returns one.
Changes = dict[str, Any] | Callable[[Appeal, dt.datetime], dict[str, Any]]


def step(
    actor: Actor,
    appeal: Appeal | int,
    action: str,
    *,
    changes: Changes | None = None,
    reason: str = "",
    channel: str = "",
    data: dict[str, Any] | None = None,
    phone: str = "",
) -> Appeal:
    """One step of the workflow, inside the caller's transaction: `lock_for`, take the time, `apply`."""
    row, target = lock_for(actor, appeal, action, phone=phone)
    now = timezone.now()
    columns = changes(row, now) if callable(changes) else changes
    return apply(
        row,
        actor=actor,
        action=action,
        target=target,
        changes=columns,
        reason=reason,
        channel=channel,
        data=data,
        now=now,
    )


def target_of(row: Appeal, action: str) -> str:
    """The state `action` leads to from the row's current state (a second step under the same lock)."""
    return check(action, row.state)


def _event(
    appeal: Appeal,
    *,
    actor: Actor,
    action: str,
    from_state: str,
    to_state: str,
    now: dt.datetime,
    reason: str = "",
    channel: str = "",
    data: dict[str, Any] | None = None,
) -> AppealEvent:
    return AppealEvent.objects.create(
        appeal=appeal,
        at=now,
        actor=signed_in_user(actor),
        actor_name=actor_name(actor),
        action=action,
        from_state=from_state,
        to_state=to_state,
        reason=reason[:NOTE_MAX],
        channel=channel,
        tier=appeal.tier,
        unit_name=appeal.unit_name[:120],
        data=data or {},
    )


def apply(
    row: Appeal,
    *,
    actor: Actor,
    action: str,
    target: str,
    changes: dict[str, Any] | None = None,
    reason: str = "",
    channel: str = "",
    data: dict[str, Any] | None = None,
    now: dt.datetime | None = None,
) -> Appeal:
    """Compare-and-swap the new state and columns, then append the trace row."""
    now = now or timezone.now()
    old_state = row.state
    columns: dict[str, Any] = {"state": target, "updated_at": now, **(changes or {})}
    if Appeal.objects.filter(pk=row.pk, state=old_state).update(**columns) != 1:
        raise Conflict()
    for name, value in columns.items():
        setattr(row, name, value)
    _event(
        row,
        actor=actor,
        action=action,
        from_state=old_state,
        to_state=target,
        now=now,
        reason=reason,
        channel=channel,
        data=data,
    )
    return row


def record_created(appeal: Appeal, *, actor: Actor, channel: str, now: dt.datetime) -> AppealEvent:
    """The first trace row of a newly created appeal (accepted)."""
    return _event(
        appeal,
        actor=actor,
        action="submit",
        from_state="",
        to_state=AppealState.ACCEPTED,
        now=now,
        channel=channel,
    )


def record_note(
    appeal: Appeal, *, actor: Actor, reason: str, data: dict[str, Any], now: dt.datetime
) -> AppealEvent:
    """A note in the trace of an appeal the caller has locked, its state unchanged (e.g. "X merged into this")."""
    check("comment", appeal.state)
    return _event(
        appeal,
        actor=actor,
        action="comment",
        from_state=appeal.state,
        to_state=appeal.state,
        now=now,
        reason=reason,
        data=data,
    )
