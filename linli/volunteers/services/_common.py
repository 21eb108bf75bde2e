"""What the volunteering services share: the actor's own volunteer record, audit rows, notifications after commit."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.db.models import Model, QuerySet
from django.utils.translation import gettext as _

from linli.core.audit import audit_record
from linli.core.errors import PermissionDenied
from linli.core.outbox import notification_create, sms_enqueue
from linli.core.scoping import is_signed_in
from linli.territory.services import Actor, invalid

from ..models import Volunteer

__all__ = ["Actor", "audit", "invalid", "notify", "own_or_managed", "person", "within_reach"]


def person(actor: Actor) -> Any:
    return actor if getattr(actor, "is_authenticated", False) else None


def audit(actor: Actor, action: str, obj: Model, **detail: Any) -> None:
    audit_record(actor=actor, action=action, obj=obj, detail=detail)


def within_reach(
    actor: Actor, field: str, obj: Model | None, visible: Callable[[Any], QuerySet[Any]]
) -> None:
    """A related object the call names (`field`) must be one the actor sees through its scoping selector `visible`;
    none named, or the system acting, passes."""
    if obj is not None and actor is not None and not visible(actor).filter(pk=obj.pk).exists():
        raise invalid(field, _("This is outside your area."))


def own_or_managed(actor: Actor, volunteer: Volunteer) -> bool:
    """True when the actor is the volunteer themselves (or the system); False for anyone else, whom the caller
    then checks against the table of who may."""
    if actor is None:
        return True
    if not is_signed_in(actor):
        raise PermissionDenied(_("Sign in first."))
    return volunteer.account_id is not None and volunteer.account_id == getattr(actor, "pk", None)


def notify(volunteer: Volunteer, title: str, body: str = "", url: str = "", *, sms: bool = False) -> None:
    """An inbox entry (and an SMS when asked) for the volunteer, queued for after the commit."""

    def send() -> None:
        if volunteer.account_id:
            notification_create(user=volunteer.account, title=title, body=body, url=url)
        if sms and volunteer.phone:
            sms_enqueue(phone=volunteer.phone, text=f"{title} {body}".strip())

    transaction.on_commit(send)
