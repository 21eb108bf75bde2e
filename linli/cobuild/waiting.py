"""Co-building's work on a person's home (core.todo): for community staff, service orders waiting to be taken (接单)
and needs no one has been matched to yet; for a provider (a unit's staff, such as a property company's, or a
skilled resident), the orders assigned to them or their unit and not yet done (办单)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from linli.core.todo import Todo, counted, if_may

from .choices import NeedState, OrderState
from .permissions import TABLE
from .selectors import needs_visible_to, orders_visible_to, provider_orders


def _to_do_late(user: Any) -> int:
    """The orders assigned to `user` (or their unit) past the deadline to do them."""
    return provider_orders(user).filter(state=OrderState.ASSIGNED, due_at__lt=timezone.now()).count()


TODOS = [
    Todo(
        "cobuild.orders",
        _("Service orders to take"),
        "cobuild:staff_orders",
        if_may(TABLE, "order_dispatch", counted(orders_visible_to, state=OrderState.ORDERED)),
        rank=30,
    ),
    Todo(
        "cobuild.tasks",
        _("Service orders to do"),
        "cobuild:my_orders",
        counted(provider_orders, state=OrderState.ASSIGNED),
        late=_to_do_late,
        rank=31,
    ),
    Todo(
        "cobuild.needs",
        _("Needs waiting for a match"),
        "cobuild:staff_needs",
        if_may(TABLE, "lists_manage", counted(needs_visible_to, state=NeedState.OPEN)),
        rank=60,
    ),
]
