"""What the volunteering services share: the community a write names, the actor's own volunteer record, audit rows,
notifications after commit (who the actor is, and audit
rows: core.scoping.person, signed_in_account, core.audit.audit)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.db import transaction
from django.db.models import Model, QuerySet
from django.utils.translation import gettext as _

from linli.core.errors import Conflict
from linli.core.outbox import notification_create, sms_enqueue
from linli.core.scoping import signed_in_account
from linli.territory.models import OrgNode
from linli.territory.selectors import org_nodes_visible_to
from linli.territory.services import Actor, invalid

from ..choices import Certificate
from ..models import Volunteer

__all__ = [
    "Actor",
    "account_free",
    "certificates_checked",
    "confirmed_unchanged",
    "invalid",
    "notify",
    "own_or_managed",
    "served_community",
    "within_reach",
]


def account_free(account_id: int | None) -> None:
    """One person, one volunteer record: refused when the account already has one."""
    if account_id and Volunteer.objects.filter(account_id=account_id).exists():
        raise Conflict(_("This account is already registered as a volunteer."))


def certificates_checked(values: Iterable[str]) -> list[str]:
    """The certificates named, each once; an unknown one is refused on the field."""
    chosen = list(dict.fromkeys(values))
    unknown = [c for c in chosen if c not in Certificate.values]
    if unknown:
        raise invalid("certificates", _("Unknown certificate: %(c)s") % {"c": "、".join(unknown)})
    return chosen


def within_reach(
    actor: Actor, field: str, obj: Model | None, visible: Callable[[Any], QuerySet[Any]]
) -> None:
    """A related object the call names (`field`) must be one the actor sees through its scoping selector `visible`;
    none named, or the system acting, passes."""
    if obj is not None and actor is not None and not visible(actor).filter(pk=obj.pk).exists():
        raise invalid(field, _("This is outside your area."))


def served_community(actor: Actor, community: OrgNode) -> OrgNode:
    """The community a write names (a volunteer enrolled, a team set up): a community, within the actor's area."""
    if community.kind != "community":
        raise invalid("community", _("Volunteers serve a community."))
    within_reach(actor, "community", community, org_nodes_visible_to)
    return community


def own_or_managed(actor: Actor, volunteer: Volunteer) -> bool:
    """True when the actor is the volunteer themselves (or the system); False for anyone else, whom the caller
    then checks against the table of who may."""
    if actor is None:
        return True
    account = signed_in_account(actor)
    return volunteer.account_id is not None and volunteer.account_id == account.pk


def confirmed_unchanged(confirmed: object, now: object) -> bool:
    """Whether a spending may go ahead against what the person confirmed: a form carries the balance its question
    was about (the points store's `balance`, the time bank's), and the service compares it, under the lock it
    already holds, with the balance now. Different means the same confirmation was sent twice (a double tap, a
    page sent again, a retried request) or the balance moved in between: the caller refuses with its reason and
    writes nothing. None compares nothing (the system's and the demo's own writes)."""
    return confirmed is None or confirmed == now


def notify(
    volunteer: Volunteer, title: str, body: str = "", url: str = "", *, sms: bool = False, to: Any = None
) -> None:
    """An inbox entry (and an SMS when asked) for the volunteer, queued for after the commit; `to` names the
    account instead of the record's own (the one a record was just unlinked from)."""

    def send() -> None:
        if to is not None:
            notification_create(user=to, title=title, body=body, url=url)
        elif volunteer.account_id:
            notification_create(user=volunteer.account, title=title, body=body, url=url)
        if sms and volunteer.phone:
            sms_enqueue(phone=volunteer.phone, text=f"{title} {body}".strip())

    transaction.on_commit(send)
