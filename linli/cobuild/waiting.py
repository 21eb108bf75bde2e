"""Co-building's work for community staff, on their home (core.todo): service orders waiting to be taken (接单)
and needs no one has been matched to yet."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from linli.core.todo import Todo, counted, if_may

from .choices import NeedState, OrderState
from .permissions import TABLE
from .selectors import needs_visible_to, orders_visible_to

TODOS = [
    Todo(
        "cobuild.orders",
        _("Service orders to take"),
        "cobuild:staff_orders",
        if_may(TABLE, "order_dispatch", counted(orders_visible_to, state=OrderState.ORDERED)),
        rank=30,
    ),
    Todo(
        "cobuild.needs",
        _("Needs waiting for a match"),
        "cobuild:staff_needs",
        if_may(TABLE, "lists_manage", counted(needs_visible_to, state=NeedState.OPEN)),
        rank=60,
    ),
]
