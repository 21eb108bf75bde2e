"""Background work of co-building: warn of service orders nearly due and record those past their deadline; hand
the time providers spent on orders to the apps that credit service done (core.served)."""

from __future__ import annotations

from .services import order_deadlines, order_hours_hand_over


def order_deadline_watch() -> int:
    warned, breached = order_deadlines()
    return warned + breached


JOBS = {
    "cobuild.order_deadlines": order_deadline_watch,
    "cobuild.order_hours": order_hours_hand_over,
}
