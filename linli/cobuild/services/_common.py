"""What the co-building services share: the row a write changes, the community it names, notifications after
commit, checks of short texts
(who the actor is, and audit rows: core.scoping.person, signed_in_account, core.audit.audit)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import Model
from django.utils.translation import gettext as _

from linli.core.outbox import notification_after_commit
from linli.core.scoping import Account
from linli.core.validators import clean_text
from linli.territory.models import OrgNode
from linli.territory.services import Actor, invalid

from .. import permissions, selectors

__all__ = [
    "Actor",
    "community_in_area",
    "invalid",
    "locked_for",
    "notify",
    "text",
]


def locked_for[M: Model](actor: Actor, obj: M, get_for: Callable[[Any, int], M], *related: str) -> M:
    """The row a write changes: looked up as the actor sees it through the selector `get_for` (outside their area
    it does not exist; the system sees all), then locked, with the `related` rows joined."""
    if actor is not None:
        obj = get_for(actor, obj.pk)
    rows = type(obj)._default_manager.select_for_update()
    return (rows.select_related(*related) if related else rows).get(pk=obj.pk)


def community_in_area(actor: Actor, community: OrgNode, action: str) -> OrgNode:
    """The community a write names, checked for `action` (the action table) and looked up again among the
    communities of the actor's area (`selectors.communities_for`, what the staff's forms offer); the system
    (None) acts anywhere."""
    permissions.require(actor, action, community.path)
    if actor is None:
        return community
    found = selectors.communities_for(actor).filter(pk=community.pk).first()
    if found is None:
        raise invalid("community", _("Choose a community of your area."))
    return found


def text(value: object, field: str, limit: int, *, required: bool = True, label: Any = None) -> str:
    """A stripped text of at most `limit` characters (required unless told); a longer one is refused whole, the
    message naming it by `label` (or by its usual name, core.validators.TEXT_LABELS)."""
    return clean_text(field, value, most=limit, required=required, label=label)


def notify(user: Account | None, title: str, body: str = "", url: str = "") -> None:
    """An inbox entry for `user` (if any), queued for after the commit."""
    notification_after_commit(user=user, title=title, body=body, url=url)
