"""What the party services share: tidy text, objects re-read through the actor's scope, audit rows, and the one way
a state moves (a registration's, a star rating's)."""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from typing import Any

from django.db.models import Model, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from linli.core.audit import audit
from linli.core.errors import DomainError, InvalidTransition, invalid
from linli.core.scoping import ScopedUser, person
from linli.core.validators import clean_text
from linli.territory.services import Actor

__all__ = ["Actor", "ScopedUser", "audit", "in_scope", "person", "seen", "text", "transition"]


def text(field: str, value: str | None, *, limit: int, required: bool = False, message: str = "") -> str:
    """`value` stripped; refused when required and empty, or longer than `limit` (whole, never cut): with `message`
    if given (the service's words for the field, its limit said), else the shared refusal naming the field and its
    limit (core.validators.clean_text)."""
    value = (value or "").strip()
    if message and ((required and not value) or len(value) > limit):
        raise invalid(field, message)
    if required and not value:
        raise invalid(field, _("Fill this in (at most %(limit)d characters).") % {"limit": limit})
    return clean_text(field, value, most=limit)


def in_scope[M: Model](actor: Actor, qs: QuerySet[M], obj: M | None, field: str) -> M | None:
    """`obj` as the actor may name it: re-read through the scoped queryset `qs` (the system, None, is trusted)."""
    if obj is None or actor is None:
        return obj
    found = qs.filter(pk=obj.pk).first()
    if found is None:
        raise invalid(field, _("This is outside your area."))
    return found


def seen[M: Model](actor: Actor, qs: QuerySet[M], obj: M, field: str) -> M:
    """`in_scope` for an object the call must name."""
    found = in_scope(actor, qs, obj, field)
    assert found is not None
    return found


def transition[M: Model](
    obj: M,
    *,
    field: str,
    to: str,
    table: Mapping[str, Collection[str]],
    refused: Callable[[str, str], DomainError],
    **changes: Any,
) -> tuple[M, str]:
    """Move `obj`'s state (its `field`) to `to` the house way: the row locked and read again (a copy the caller
    read earlier may be stale), the move checked against `table` (state → the states it may go to; otherwise
    `refused(current, to)` is raised), written with `changes` by compare-and-swap on the state. Returns the row as
    written and the state it left; the caller appends its audit row. Call it inside the service's transaction."""
    model = type(obj)
    locked = model._default_manager.select_for_update().get(pk=obj.pk)
    current = getattr(locked, field)
    if to not in table.get(current, ()):
        raise refused(current, to)
    written = {field: to, "updated_at": timezone.now(), **changes}
    if model._default_manager.filter(pk=obj.pk, **{field: current}).update(**written) != 1:
        raise InvalidTransition()
    for name, value in written.items():
        setattr(locked, name, value)
    return locked, current
