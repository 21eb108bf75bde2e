"""Service orders in a closed loop: the resident orders (点单), the community takes the order and assigns a
provider or refuses with a reason (接单), the provider fulfils it wholly or partly (办单), the resident rates it
(评单). Each step has a working-day deadline (workflow.py); the worker's job warns and records breaches.

The resident's address and phone are shown to the provider only once the order is assigned to them, and every
such reveal is written to the audit log.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from linli.accounts.models import User
from linli.core import served
from linli.core.audit import audit
from linli.core.errors import DomainError, InvalidTransition, PermissionDenied
from linli.core.outbox import notifications_create
from linli.core.photos import photo_to_store
from linli.core.roles import UNIT_ROLES
from linli.core.scoping import person, signed_in_account
from linli.core.workdays import add_working_time
from linli.territory.models import OrgNode
from linli.territory.selectors import community_of

from .. import permissions, selectors, workflow
from ..choices import Category, Fulfilment, OrderState
from ..models import Order, OrderEvent, Resource, ServiceItem
from ._common import Actor, community_in_area, invalid, notify, text

logger = logging.getLogger(__name__)


def _number(now: dt.datetime) -> str:
    day = timezone.localtime(now).strftime("%Y%m%d")
    n = Order.objects.filter(number__startswith=f"FW{day}").count() + 1
    return f"FW{day}{n:04d}"


def _due(action: str | None, now: dt.datetime) -> dt.datetime | None:
    days = workflow.ORDER_DAYS if action is None else workflow.TRANSITIONS[action][2]
    return add_working_time(now, days=days) if days else None


@transaction.atomic
def service_item_create(
    *, actor: Actor, community: OrgNode, name: str, category: str, description: str = ""
) -> ServiceItem:
    """A service on the community's menu (小修小补, 义诊, 理发 …); providers are the resources of its category."""
    community = community_in_area(actor, community, "order_dispatch")
    if category not in Category.values:
        raise invalid("category", _("Choose a category."))
    name = text(name, "name", 40)
    if ServiceItem.objects.filter(community=community, name=name, active=True).exists():
        raise invalid("name", _("This service is on the menu already."))
    item = ServiceItem.objects.create(
        community=community,
        name=name,
        category=category,
        description=text(description, "description", 200, required=False),
    )
    audit(actor, "cobuild.service_item_create", item)
    return item


@transaction.atomic
def service_item_withdraw(*, actor: Actor, item: ServiceItem) -> ServiceItem:
    """Take a service off the menu; its orders keep it."""
    item = ServiceItem.objects.select_for_update().select_related("community").get(pk=item.pk)
    permissions.require(actor, "order_dispatch", item.community.path)
    item.active = False
    item.save(update_fields=["active", "updated_at"])
    audit(actor, "cobuild.service_item_withdraw", item)
    return item


@transaction.atomic
def order_place(*, actor: Actor, item: ServiceItem, note: str) -> Order:
    """点单: a verified resident orders a service of their community's menu."""
    user = signed_in_account(actor)
    household = selectors.verified_household(user)
    if household is None:
        raise PermissionDenied(
            _("Have your household verified first: the provider needs to know where to come.")
        )
    node = household.building.grid.org_node
    community = community_of(node) or node
    item = selectors.menu_of(community).filter(pk=item.pk).first()  # type: ignore[assignment]
    if item is None:
        raise invalid("item", _("Choose a service of your community's menu."))
    phone = getattr(user, "phone", "")
    if not phone:
        raise invalid(
            "note", _("Add your mobile number to your account first, so the provider can call you.")
        )
    now = timezone.now()
    order = Order.objects.create(
        number=_number(now),
        community=community,
        item=item,
        resident=user,
        household=household,
        address=household.address or household.building.address,
        phone=phone,
        note=text(note, "note", 300),
        due_at=_due(None, now),
    )
    OrderEvent.objects.create(
        order=order, actor=user, action="place", from_state="", to_state=OrderState.ORDERED, note=order.note
    )
    audit(actor, "cobuild.order_place", order)
    return order


def _step(
    actor: Actor,
    order: Order,
    action: str,
    *,
    check: Callable[[Order], None],
    changes: dict[str, Any] | None = None,
    note: str = "",
) -> Order:
    """Lock the order, check the step against the table and the person, write the state, the next deadline and
    an event."""
    order = (
        Order.objects.select_for_update(of=("self",))
        .select_related("item", "provider", "community")
        .get(pk=order.pk)
    )
    if not workflow.allowed(action, order.state):
        raise InvalidTransition(
            _("This order is %(state)s: it cannot be %(action)s now.")
            % {"state": order.get_state_display(), "action": ACTION_LABELS[action]}
        )
    check(order)
    now = timezone.now()
    before = order.state
    order.state = workflow.TRANSITIONS[action][1]
    order.due_at = _due(action, now)
    order.warned_at = None
    order.breached_at = None
    fields = ["state", "due_at", "warned_at", "breached_at", "updated_at"]
    for name, value in (changes or {}).items():
        setattr(order, name, value)
        fields.append(name)
    order.save(update_fields=fields)
    OrderEvent.objects.create(
        order=order, actor=person(actor), action=action, from_state=before, to_state=order.state, note=note
    )
    audit(actor, f"cobuild.order_{action}", order, before=before, after=order.state)
    return order


# Each step as the verb of a refusal ("cannot be fulfilled now"), read in the reader's language when it is said; its
# own context, as the same English words name other things (the order's field "fulfilled" is 完成情况).
ACTION_LABELS = {
    "assign": pgettext_lazy("order step", "assigned"),
    "refuse": pgettext_lazy("order step", "refused"),
    "cancel": pgettext_lazy("order step", "cancelled"),
    "fulfil": pgettext_lazy("order step", "fulfilled"),
    "rate": pgettext_lazy("order step", "rated"),
}


def _dispatcher(actor: Actor) -> Callable[[Order], None]:
    def check(order: Order) -> None:
        permissions.require(actor, "order_dispatch", order.community.path)

    return check


def _resident(actor: Actor) -> Callable[[Order], None]:
    def check(order: Order) -> None:
        if actor is not None and order.resident_id != getattr(actor, "pk", None):
            raise PermissionDenied(_("Only the resident who ordered may do this."))

    return check


def _link(order: Order) -> str:
    return reverse("cobuild:order", args=[order.pk])


def _tell_provider(provider: Resource, title: str, body: str = "", url: str = "") -> None:
    """An inbox entry, after the commit, for whoever answers `provider`'s orders: its account, or, for a unit's
    resource without one, the unit's staff accounts (`selectors.provides`)."""
    if provider.account_id is not None or provider.organisation_id is None:
        notify(provider.account, title, body, url)
        return
    staff = list(
        User.objects.filter(organisation_id=provider.organisation_id, role__in=UNIT_ROLES, is_active=True)
    )
    transaction.on_commit(lambda: notifications_create(((u, url) for u in staff), title=title, body=body))


@transaction.atomic
def order_assign(*, actor: Actor, order: Order, provider: Resource, note: str = "") -> Order:
    """接单: the community takes the order and assigns a provider of its category."""
    if actor is not None:
        order = selectors.order_get_for(actor, order.pk)
    chosen = selectors.providers_for(order).filter(pk=provider.pk).first()
    if chosen is None:
        raise invalid("provider", _("Choose a provider of this service in the community."))
    order = _step(
        actor,
        order,
        "assign",
        check=_dispatcher(actor),
        changes={"provider": chosen},
        note=text(note, "note", 300, required=False),
    )
    notify(
        order.resident,
        _("Your order %(n)s was taken: %(p)s will come") % {"n": order.number, "p": chosen.provider_name},
        order.item.name,
        _link(order),
    )
    _tell_provider(
        chosen, _("A new order for you: %(item)s") % {"item": order.item.name}, order.note, _link(order)
    )
    return order


@transaction.atomic
def order_refuse(*, actor: Actor, order: Order, reason: str) -> Order:
    """The community refuses an order, with the reason the resident reads."""
    if actor is not None:
        order = selectors.order_get_for(actor, order.pk)
    why = text(reason, "reason", 200)
    order = _step(actor, order, "refuse", check=_dispatcher(actor), changes={"refused_reason": why}, note=why)
    notify(order.resident, _("Your order %(n)s could not be taken") % {"n": order.number}, why, _link(order))
    return order


@transaction.atomic
def order_cancel(*, actor: Actor, order: Order, reason: str = "") -> Order:
    """The resident withdraws an order nobody has taken yet."""
    if actor is not None:
        order = selectors.order_get_for(actor, order.pk)
    return _step(
        actor, order, "cancel", check=_resident(actor), note=text(reason, "reason", 200, required=False)
    )


@transaction.atomic
def order_fulfil(
    *,
    actor: Actor,
    order: Order,
    fulfilment: str,
    minutes: object,
    report: str,
    photo: UploadedFile | None = None,
) -> Order:
    """办单: the provider (or the community on their behalf) reports the service done, wholly or partly, with the
    time spent and a photo."""
    if actor is not None:
        order = selectors.order_get_for(actor, order.pk)
    if fulfilment not in Fulfilment.values:
        raise invalid("fulfilment", _("Say whether it was done wholly or partly."))
    try:
        spent = int(minutes)  # type: ignore[call-overload]
    except (TypeError, ValueError):
        raise invalid("minutes", _("Give the time spent in minutes.")) from None
    if not 1 <= spent <= 24 * 60:
        raise invalid("minutes", _("Give the time spent in minutes (at most a day)."))
    said = text(report, "report", 300)
    if fulfilment == Fulfilment.PART and len(said) < 4:
        raise invalid("report", _("Say what is left undone."))
    stored = photo_to_store(photo) if photo else None

    def check(o: Order) -> None:
        if actor is None or selectors.provides(actor, o):
            return
        permissions.require(actor, "order_dispatch", o.community.path)

    changes: dict[str, Any] = {
        "fulfilment": fulfilment,
        "minutes_spent": spent,
        "report": said,
        "done_at": timezone.now(),
    }
    if stored is not None:
        changes["photo"] = stored
    order = _step(actor, order, "fulfil", check=check, changes=changes, note=said)
    notify(
        order.resident,
        _("Your order %(n)s is done: please rate it") % {"n": order.number},
        said,
        _link(order),
    )
    return order


@transaction.atomic
def order_rate(*, actor: Actor, order: Order, rating: object, comment: str = "") -> Order:
    """评单: the resident rates the service from 1 to 5 stars."""
    if actor is not None:
        order = selectors.order_get_for(actor, order.pk)
    try:
        stars = int(rating)  # type: ignore[call-overload]
    except (TypeError, ValueError):
        raise invalid("rating", _("Choose 1 to 5 stars.")) from None
    if not 1 <= stars <= 5:
        raise invalid("rating", _("Choose 1 to 5 stars."))
    said = text(comment, "comment", 200, required=False)
    if stars <= 2 and not said:
        raise invalid("comment", _("Tell us what went wrong, so the community can follow up."))
    order = _step(
        actor,
        order,
        "rate",
        check=_resident(actor),
        changes={"rating": stars, "rating_comment": said},
        note=said,
    )
    if order.provider is not None:
        _tell_provider(
            order.provider, _("Order %(n)s was rated %(s)s stars") % {"n": order.number, "s": stars}, said
        )
    return order


REVEAL_STATES = frozenset({OrderState.ASSIGNED, OrderState.DONE, OrderState.RATED})


def order_contact(*, actor: Actor, order: Order) -> dict[str, str]:
    """The resident's address and phone in clear, for the provider the order is assigned to (or a worker who
    dispatches the community's orders). Every reveal is audited."""
    user = signed_in_account(actor)
    order = selectors.order_get_for(user, order.pk)
    is_provider = selectors.provides(user, order)
    if is_provider:
        if order.state not in REVEAL_STATES:
            raise PermissionDenied(_("The address is shown once the order is assigned to you."))
    elif not permissions.may(user, "order_dispatch", order.community.path):
        raise PermissionDenied(_("Only the provider assigned to this order sees the address."))
    audit(actor, "cobuild.order_contact", order, as_provider=is_provider)
    return {"address": order.address, "phone": order.phone, "name": order.resident.display_name}


def order_deadlines(*, now: dt.datetime | None = None, limit: int = 200) -> tuple[int, int]:
    """Warn of open orders whose step is nearly due and record the breach of those past due (the worker's job):
    (warned, breached)."""
    now = now or timezone.now()
    warned = breached = 0
    with transaction.atomic():
        due = list(
            Order.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(state__in=workflow.OPEN_STATES, due_at__isnull=False, breached_at__isnull=True)
            .filter(due_at__lte=now + dt.timedelta(hours=3))
            .select_related("provider", "item")
            .order_by("due_at")[:limit]
        )
        for order in due:
            # The provider is told while the order is theirs to do; a step due from the community or the
            # resident is shown on their pages.
            who = order.provider if order.provider and order.state == OrderState.ASSIGNED else None
            if order.due_at and order.due_at <= now:
                Order.objects.filter(pk=order.pk).update(breached_at=now)
                OrderEvent.objects.create(
                    order=order, action="breach", from_state=order.state, to_state=order.state
                )
                breached += 1
                if who is not None:
                    _tell_provider(
                        who, _("Order %(n)s is past its deadline") % {"n": order.number}, order.item.name
                    )
            elif order.warned_at is None:
                Order.objects.filter(pk=order.pk).update(warned_at=now)
                warned += 1
                if who is not None:
                    _tell_provider(who, _("Order %(n)s is due soon") % {"n": order.number}, order.item.name)
    return warned, breached


def order_hours_hand_over(*, now: dt.datetime | None = None, limit: int = 200) -> int:
    """Hand the time of each order fulfilled by a provider with an account to the apps that credit service done
    (`core.served`: the time bank credits a volunteer's hours), once per order (the worker's job): how many were
    credited somewhere."""
    now = now or timezone.now()
    credited = 0
    with transaction.atomic():
        due = list(
            Order.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(
                state__in=[OrderState.DONE, OrderState.RATED],
                served_at__isnull=True,
                minutes_spent__isnull=False,
                provider__account__isnull=False,
            )
            .select_related("provider", "item")
            .order_by("done_at")[:limit]
        )
        for order in due:
            assert order.provider is not None and order.provider.account_id is not None
            done = order.done_at or now
            record = served.Served(
                source=f"cobuild.order:{order.pk}",
                account_id=order.provider.account_id,
                community_id=order.community_id,
                title=f"{order.item.name} · {order.number}",
                minutes=order.minutes_spent or 0,
                on=timezone.localdate(done),
            )
            try:
                with transaction.atomic():
                    credited += bool(served.credit(record))
            except DomainError as exc:  # a sink refused (a full account): told once, not retried for ever
                logger.warning("service hours of %s not credited: %s", order.number, exc)
            Order.objects.filter(pk=order.pk).update(served_at=now)
    return credited
