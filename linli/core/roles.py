"""Staff roles and what each may see. Kept in core so that scoping needs no domain app."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    RESIDENT = "resident", _("Resident")
    GRID_WORKER = "grid_worker", _("Grid worker")
    PART_TIME_GRID_WORKER = "part_time_grid_worker", _("Part-time grid worker")
    GRID_LEADER = "grid_leader", _("Grid leader")
    BUILDING_CAPTAIN = "building_captain", _("Building captain")
    COMMUNITY_WORKER = "community_worker", _("Community worker")
    STREET_OFFICER = "street_officer", _("Street officer")
    DEPARTMENT_HANDLER = "department_handler", _("Department handler")
    PROPERTY_STAFF = "property_staff", _("Property company staff")
    DISTRICT_LEADER = "district_leader", _("District leader")
    ADMIN = "admin", _("Administrator")


TREE_ROLES = frozenset(
    {
        Role.GRID_WORKER,
        Role.PART_TIME_GRID_WORKER,
        Role.GRID_LEADER,
        Role.BUILDING_CAPTAIN,
        Role.COMMUNITY_WORKER,
        Role.STREET_OFFICER,
        Role.DISTRICT_LEADER,
        Role.ADMIN,
    }
)
# Roles that work in grids rather than over a whole part of the tree: each sees only the grids they are a worker
# of (Grid.workers), a building captain only the building their account names. A grid leader (网格长) leads
# several grids; a part-time grid worker (兼职网格员, often a delivery rider) and a building captain (楼栋长) report
# and visit but see no ID numbers and do not keep the register.
GRID_ROLES = frozenset(
    {Role.GRID_WORKER, Role.PART_TIME_GRID_WORKER, Role.GRID_LEADER, Role.BUILDING_CAPTAIN}
)
# Roles that may see unmasked personal data of residents in their scope (each read is audited).
PERSONAL_DATA_ROLES = frozenset({Role.GRID_WORKER, Role.GRID_LEADER, Role.COMMUNITY_WORKER, Role.ADMIN})
# Roles whose account belongs to a unit outside the tree (an Organisation) rather than to an org node: a department
# handler (职能部门) and a property company's staff (物业). They see and handle only the work assigned to their unit
# (an appeal dispatched to it, a part it was summoned for), none of the territory; a property company's staff
# moreover only inside the compound(s) their company serves.
UNIT_ROLES = frozenset({Role.DEPARTMENT_HANDLER, Role.PROPERTY_STAFF})
