"""Who may act on an appeal: its handler (the unit it sits with), the tier above (supervisor), its resident.

`ACTION_RULES` is the one table of who may take each action. The services enforce it (`require`), and the staff
pages and the API read it (`actions_for`) to decide what to offer, so an action is offered exactly when the
service would accept it. Which states an action may start from is the other table, in workflow.py.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from linli.core.errors import PermissionDenied
from linli.core.roles import Role
from linli.core.scoping import is_admin, is_staff_member

from .choices import TIER_LEVEL, CallbackStatus, Tier
from .models import Appeal
from .workflow import allowed_actions

NODE_LEVEL = {"compound": 1, "community": 2, "street": 3, "district": 4}
ADMIN_LEVEL = 9


def actor_level(user: Any) -> int | None:
    """How high in the tiers a staff member stands (None for residents and department handlers)."""
    if not getattr(user, "is_authenticated", False):
        return None
    if is_admin(user):
        return ADMIN_LEVEL
    role = getattr(user, "role", Role.RESIDENT)
    if role == Role.GRID_WORKER:
        return 0
    if role in (Role.COMMUNITY_WORKER, Role.STREET_OFFICER, Role.DISTRICT_LEADER) and user.org_node_id:
        return NODE_LEVEL.get(user.org_node.kind)
    return None


def _covers(user: Any, path: str) -> bool:
    prefix: str = (user.org_path or "") if user.org_node_id else ""
    return bool(prefix) and bool(path) and path.startswith(prefix)


def _unit_path(appeal: Appeal) -> str:
    if appeal.unit_node_id and appeal.unit_node is not None:
        return appeal.unit_node.path
    return appeal.org_path


def may_handle(user: Any, appeal: Appeal) -> bool:
    """The unit the appeal sits with (and staff of that unit's own tier or above inside it)."""
    if is_admin(user):
        return True
    if not getattr(user, "is_authenticated", False) or not appeal.tier:
        return False
    if appeal.tier == Tier.DEPARTMENT:
        return getattr(user, "role", None) == Role.DEPARTMENT_HANDLER and (
            user.organisation_id is not None and user.organisation_id == appeal.unit_org_id
        )
    level = actor_level(user)
    if level is None or level < TIER_LEVEL[Tier(appeal.tier)]:
        return False
    return _covers(user, _unit_path(appeal))


def may_supervise(user: Any, appeal: Appeal) -> bool:
    """The tier above the appeal's unit, in whose subtree the appeal lies (accepted appeals: community and up)."""
    if is_admin(user):
        return True
    level = actor_level(user)
    if level is None:
        return False
    if not appeal.tier:
        return level >= NODE_LEVEL["community"] and _covers(user, appeal.org_path or "")
    needed = TIER_LEVEL[Tier(appeal.tier)]
    if appeal.tier == Tier.DEPARTMENT:
        return level >= NODE_LEVEL["district"] and _covers(user, appeal.org_path or "")
    return level > needed and _covers(user, _unit_path(appeal))


def is_appeal_resident(user: Any, appeal: Appeal, phone: str = "") -> bool:
    if getattr(user, "is_authenticated", False) and appeal.resident_id == user.pk:
        return True
    return bool(phone) and bool(appeal.contact_phone) and phone == appeal.contact_phone


def may_see_contact(user: Any, appeal: Appeal) -> bool:
    """Full phone number and name: the handler, the tier above and the resident; lists always mask."""
    return may_handle(user, appeal) or may_supervise(user, appeal) or is_appeal_resident(user, appeal)


def may_whistle(user: Any, appeal: Appeal) -> bool:
    """Summoning departments: the handling unit from the community tier up, or the tier above."""
    return (
        may_handle(user, appeal) and (actor_level(user) or 0) >= NODE_LEVEL["community"]
    ) or may_supervise(user, appeal)


def _handler_or_supervisor(user: Any, appeal: Appeal) -> bool:
    return may_handle(user, appeal) or may_supervise(user, appeal)


def _callback_open(appeal: Appeal) -> bool:
    task = getattr(
        appeal, "callback", None
    )  # the reverse one-to-one raises AttributeError when there is none
    return task is not None and task.status == CallbackStatus.OPEN


def _may_rate(user: Any, appeal: Appeal, phone: str) -> bool:
    """The resident, or staff recording the rating the resident gave on an open callback."""
    if is_appeal_resident(user, appeal, phone):
        return True
    return _handler_or_supervisor(user, appeal) and _callback_open(appeal)


def _may_answer(user: Any, appeal: Appeal) -> bool:
    """The staff member who took the consultation (hotline), its handler or the tier above."""
    took_it = (
        is_staff_member(user) and appeal.submitted_by_id is not None and appeal.submitted_by_id == user.pk
    )
    return took_it or _handler_or_supervisor(user, appeal)


def _may_add_photos(user: Any, appeal: Appeal, phone: str) -> bool:
    return (is_appeal_resident(user, appeal, phone) and appeal.is_open) or _handler_or_supervisor(
        user, appeal
    )


Rule = Callable[[Any, Appeal, str], bool]


def _staff(test: Callable[[Any, Appeal], bool]) -> Rule:
    return lambda user, appeal, _phone: test(user, appeal)


# action → who may take it. `phone` is the contact number a guest resident proves (tracking without an account).
ACTION_RULES: dict[str, Rule] = {
    "dispatch": _staff(may_supervise),
    "acknowledge": _staff(may_handle),
    "contact": _staff(may_handle),
    "start": _staff(may_handle),
    "pause": _staff(may_handle),
    "resume": _staff(may_handle),
    "resolve": _staff(may_handle),
    "return": _staff(may_handle),
    "extension_request": _staff(may_handle),
    "extension_approve": _staff(may_supervise),
    "extension_reject": _staff(may_supervise),
    "escalate": _staff(_handler_or_supervisor),
    "urge": _staff(may_supervise),
    "whistle": _staff(may_whistle),
    "merge": _staff(_handler_or_supervisor),
    "close": _staff(may_supervise),
    "callback_unreachable": _staff(_handler_or_supervisor),
    "answer": _staff(_may_answer),
    "comment": _staff(_handler_or_supervisor),
    "rate": _may_rate,
    "withdraw": lambda user, appeal, phone: is_appeal_resident(user, appeal, phone),
    "add_photos": _may_add_photos,
}


def may(user: Any, action: str, appeal: Appeal, *, phone: str = "") -> bool:
    """Whether `user` may take `action` on `appeal` (whatever its state; see `actions_for` for both)."""
    return ACTION_RULES[action](user, appeal, phone)


def require(user: Any, action: str, appeal: Appeal, *, phone: str = "") -> None:
    """Raise PermissionDenied unless `user` may take `action`; `None` is the system (worker jobs) and may."""
    if user is not None and not may(user, action, appeal, phone=phone):
        raise PermissionDenied()


def actions_for(user: Any, appeal: Appeal) -> list[str]:
    """The actions to offer `user` on `appeal`: allowed from its state and by the table above."""
    return [
        name for name in allowed_actions(appeal.state) if name in ACTION_RULES and may(user, name, appeal)
    ]
