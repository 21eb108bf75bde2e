"""Staff roles and what each may see. Kept in core so that scoping needs no domain app."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    RESIDENT = "resident", _("Resident")
    GRID_WORKER = "grid_worker", _("Grid worker")
    COMMUNITY_WORKER = "community_worker", _("Community worker")
    STREET_OFFICER = "street_officer", _("Street officer")
    DEPARTMENT_HANDLER = "department_handler", _("Department handler")
    DISTRICT_LEADER = "district_leader", _("District leader")
    ADMIN = "admin", _("Administrator")


TREE_ROLES = frozenset(
    {Role.GRID_WORKER, Role.COMMUNITY_WORKER, Role.STREET_OFFICER, Role.DISTRICT_LEADER, Role.ADMIN}
)
# Roles that may see unmasked personal data of residents in their scope (each read is audited).
PERSONAL_DATA_ROLES = frozenset({Role.GRID_WORKER, Role.COMMUNITY_WORKER, Role.ADMIN})
