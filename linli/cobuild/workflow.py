"""The one table of a service order's steps: action → (from states, to state, working days allowed for the next
step or None)."""

from __future__ import annotations

from .choices import OrderState

# 接单 within 1 working day of the order, 办单 within 3 working days of assignment, 评单 within 5 working days.
TRANSITIONS: dict[str, tuple[frozenset[str], str, float | None]] = {
    "assign": (frozenset({OrderState.ORDERED}), OrderState.ASSIGNED, 3),
    "refuse": (frozenset({OrderState.ORDERED}), OrderState.REFUSED, None),
    "cancel": (frozenset({OrderState.ORDERED}), OrderState.CANCELLED, None),
    "fulfil": (frozenset({OrderState.ASSIGNED}), OrderState.DONE, 5),
    "rate": (frozenset({OrderState.DONE}), OrderState.RATED, None),
}

ORDER_DAYS = 1  # working days the community has to take a new order
WARN_FRACTION = 0.75  # warn when three quarters of a step's time has passed
OPEN_STATES = frozenset({OrderState.ORDERED, OrderState.ASSIGNED, OrderState.DONE})


def allowed(action: str, state: str) -> bool:
    return action in TRANSITIONS and state in TRANSITIONS[action][0]
