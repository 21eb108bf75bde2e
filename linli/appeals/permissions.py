"""Who may act on an appeal: its handler (the unit it sits with), the tier above (supervisor), its resident."""

from __future__ import annotations

from typing import Any

from linli.core.roles import Role
from linli.core.scoping import is_admin

from .choices import TIER_LEVEL, Tier
from .models import Appeal

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
