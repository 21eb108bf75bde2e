"""Background work of co-building: warn of service orders nearly due and record those past their deadline."""

from __future__ import annotations

from .services import order_deadlines


def order_deadline_watch() -> int:
    warned, breached = order_deadlines()
    return warned + breached


JOBS = {"cobuild.order_deadlines": order_deadline_watch}
