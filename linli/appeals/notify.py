"""Who hears of what: residents of every state change that concerns them (inbox + SMS), staff via the inbox.

Called by services inside their transaction: inbox rows are written with the change; SMS go to the outbox and
leave after the commit (tried at once by the process that committed, LINLI_OUTBOX_SEND_ON_COMMIT), except those
written under `at_intake()` (intake: the request answers without waiting for a gateway), which the
worker's outbox job sends on its next round. A title is given untranslated (gettext_lazy) with its parameters, and is written in the
deployment's language whoever's request caused it; `%(number)s` is the appeal's tracking number.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.conf import settings
from django.db.models import IntegerField, QuerySet, Value
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from linli.accounts.models import User
from linli.core.models import OutboxChannel
from linli.core.outbox import notifications_create, outbox_enqueue_many
from linli.core.roles import TREE_ROLES, UNIT_ROLES, Role
from linli.territory.models import OrgNode

from .choices import Tier
from .models import Appeal, AppealFollower
from .public import public_only

# Inside `at_intake()`: the numbers proven so far ({phone: proven?}); None elsewhere.
_INTAKE: ContextVar[dict[str, bool] | None] = ContextVar("appeals_notify_intake", default=None)


@contextmanager
def at_intake() -> Iterator[None]:
    """The notifications of an appeal being created in this transaction: nobody follows it or was merged into it
    yet (no query for them), each number is checked once, and its text messages are left to the worker's outbox
    job rather than tried right after the commit, so the request does not wait for the gateway."""
    token = _INTAKE.set({})
    try:
        yield
    finally:
        _INTAKE.reset(token)


@contextmanager
def in_deployment_language() -> Iterator[None]:
    """Notifications are written in the deployment's language, whoever's request caused them."""
    with translation.override(settings.LANGUAGE_CODE):
        yield


def _title(appeal: Appeal, title: str | Promise, params: dict[str, Any]) -> str:
    """The title in the active language, filled with `params` and the appeal's tracking number; every message
    says which appeal it is about, so a title that does not name the number starts with it."""
    text = _filled(appeal, title, params)
    return text if appeal.tracking_number in text else f"{appeal.tracking_number} {text}"


def _filled(appeal: Appeal, title: str | Promise, params: dict[str, Any]) -> str:
    return str(title) % {"number": appeal.tracking_number, **params}


def proven_phones(phones: list[str]) -> set[str]:
    """The numbers among `phones` that proved themselves with a one-time code: a resident signed in with each
    (the account is made by the code's check, accounts.services.otp_verify). Text messages go only to these, so
    nobody can have messages sent to a stranger's phone by typing it into a form."""
    wanted = [p for p in phones if p]
    known = _INTAKE.get()
    if known is not None and all(p in known for p in wanted):
        return {p for p in wanted if known[p]}
    if not wanted:
        return set()
    found = set(
        User.objects.filter(role=Role.RESIDENT, is_active=True, phone__in=wanted).values_list(
            "phone", flat=True
        )
    )
    if known is not None:
        known.update((p, p in found) for p in wanted)
    return found


def staff_url(appeal: Appeal) -> str:
    return f"/appeals/{appeal.pk}/"


def resident_url(appeal: Appeal) -> str:
    return f"/appeals/track/{appeal.tracking_number}/"


def public_url(appeal: Appeal) -> str:
    return f"/appeals/public/{appeal.tracking_number}/"


def _followers(appeal: Appeal) -> list[tuple[User | None, str, str]]:
    """(account, phone, link) of the resident, of every resident whose duplicate was merged into this appeal,
    and of every resident who follows it ("this is my problem too"; they read its public page)."""
    own, public = resident_url(appeal), public_url(appeal)
    rows = [(appeal.resident if appeal.resident_id else None, appeal.contact_phone, own)]
    if _INTAKE.get() is None:
        rows += _merged_and_following(appeal, own, public)
    people: list[tuple[User | None, str, str]] = []
    seen: set[str] = set()
    for resident, contact_phone, url in rows:
        key = f"u{resident.pk}" if resident is not None else f"p{contact_phone}"
        if key in seen or (resident is None and not contact_phone):
            continue
        seen.add(key)
        people.append((resident, contact_phone or (resident.phone if resident is not None else ""), url))
    return people


def _merged_and_following(appeal: Appeal, own: str, public: str) -> list[tuple[User | None, str, str]]:
    # Read on every notification, so in one query: (account, phone, follower?) of the merged rows, newest first,
    # then of the followers by account; the accounts themselves only when there are any.
    merged = (
        Appeal.objects.filter(primary=appeal)
        .order_by()
        .values_list(
            "resident_id", "contact_phone", Value(0, output_field=IntegerField()), "created_at", "pk"
        )
    )
    # Followers read its public page: none while it is not public (a personal category, withheld: public.py).
    following = (
        AppealFollower.objects.filter(
            appeal__in=public_only(Appeal.objects.filter(pk=appeal.pk)), user__is_active=True
        )
        .order_by()
        .values_list("user_id", "user__phone", Value(1, output_field=IntegerField()), "created_at", "user_id")
    )
    found = sorted(merged.union(following, all=True), key=_merged_first)
    ids = {pk for pk, _phone, _follower, _at, _key in found if pk}
    accounts = User.objects.in_bulk(ids) if ids else {}
    return [
        (accounts.get(pk) if pk else None, phone, public if follower else own)
        for pk, phone, follower, _at, _key in found
    ]


def _merged_first(row: tuple[int | None, str, int, dt.datetime, int]) -> tuple[int, float, int]:
    """The merged rows newest first (the appeals' own order), then the followers by account."""
    _pk, _phone, follower, at, key = row
    return (1, 0.0, key) if follower else (0, -at.timestamp(), -key)


def notify_residents(
    appeal: Appeal, title: str | Promise, body: str = "", /, *, sms: bool = True, **params: Any
) -> int:
    """Tell the resident (merged and following residents too) about a change: an inbox entry, and a text
    message to each number that proved itself with a one-time code (proven_phones)."""
    with in_deployment_language():
        text = _filled(appeal, title, params)
        title = _title(appeal, title, params)
        people = _followers(appeal)
        proven = proven_phones([phone for _user, phone, _url in people]) if sms else set()
        message = _("[Linli] Appeal %(number)s: %(title)s") % {
            "number": appeal.tracking_number,
            "title": text,
        }
    notifications_create([(user, url) for user, _phone, url in people], title=title, body=body)
    outbox_enqueue_many(
        channel=OutboxChannel.SMS,
        recipients=[phone for _user, phone, _url in people if phone in proven],
        payload={"text": message},
        at_once=False if _INTAKE.get() is not None else None,
    )
    return len(people)


def unit_staff(appeal: Appeal) -> QuerySet[User]:
    """The people who handle the appeal where it sits now."""
    if appeal.tier == Tier.DEPARTMENT and appeal.unit_org_id:
        return User.objects.filter(
            organisation_id=appeal.unit_org_id, role__in=list(UNIT_ROLES), is_active=True
        )
    if appeal.tier == Tier.GRID and appeal.grid_id:
        return User.objects.filter(grids=appeal.grid_id, is_active=True)
    if appeal.unit_node_id:
        return User.objects.filter(
            org_node_id=appeal.unit_node_id, role__in=list(TREE_ROLES), is_active=True
        ).exclude(role=Role.GRID_WORKER)
    return User.objects.none()


def _staff_at_or_above(node: OrgNode | None) -> QuerySet[User]:
    """Tree staff (not grid workers) at `node`, or at the nearest ancestor that has any."""
    while node is not None:
        found = User.objects.filter(org_node=node, role__in=list(TREE_ROLES), is_active=True).exclude(
            role=Role.GRID_WORKER
        )
        if found.exists():
            return found
        node = node.parent
    return User.objects.none()


def supervisors(appeal: Appeal) -> QuerySet[User]:
    """Staff of the tier above the unit (for a department, the district; nobody there: the next tier up)."""
    from .routing import tier_above

    if not appeal.tier:
        return _staff_at_or_above(
            appeal.unit_node or (appeal.grid.org_node if appeal.grid_id and appeal.grid else None)
        )
    _, node = tier_above(appeal.tier, grid=appeal.grid, node=appeal.unit_node)
    return _staff_at_or_above(node)


def notify_staff(
    users: QuerySet[User] | list[User], appeal: Appeal, title: str | Promise, body: str = "", /, **params: Any
) -> int:
    with in_deployment_language():
        title = _title(appeal, title, params)
    people = list(users)
    notifications_create([(user, staff_url(appeal)) for user in people], title=title, body=body)
    return len(people)
