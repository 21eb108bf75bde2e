"""Who may act in care and mediation: the one table of actions and the roles that may take them, in the area
(org path) of the resident's or the case's grid. Services enforce it (`require`); pages and the API read it
(`actions_for`) to decide what to offer.

Who may read is narrower than who may act: care plans are read by the workers of the resident's grid and their
supervisors; a mediation case by its mediator and whoever opened it, and by the supervisors of its area
(selectors.py). Every full read is audited."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from linli.core.actions import ActionTable
from linli.core.roles import Role

SUPERVISORS = frozenset({Role.COMMUNITY_WORKER, Role.STREET_OFFICER, Role.ADMIN})
FRONT_LINE = frozenset(
    {Role.GRID_WORKER, Role.GRID_LEADER, Role.PART_TIME_GRID_WORKER, Role.BUILDING_CAPTAIN}
)
# Supervisors read every case of their area; the front line reads the cases it mediates or opened.
CASE_READERS_ALL = SUPERVISORS | {Role.DISTRICT_LEADER}

ACTION_RULES: dict[str, frozenset[str]] = {
    "care_assess": SUPERVISORS | {Role.GRID_WORKER, Role.GRID_LEADER},  # confirm a level, edit the plan
    "care_record": SUPERVISORS | FRONT_LINE,  # record a visit or call of the schedule
    "case_open": SUPERVISORS | FRONT_LINE,  # open a mediation case
    "case_mediate": SUPERVISORS
    | {Role.GRID_WORKER, Role.GRID_LEADER, Role.BUILDING_CAPTAIN},  # parties, sessions
    "case_supervise": SUPERVISORS,  # assign the mediator, call a professional, close
    "children_enrol": SUPERVISORS | {Role.GRID_WORKER, Role.GRID_LEADER},  # sign a child up, record leaving
    "children_manage": SUPERVISORS,  # open a children's place, change its places
    "rota_manage": SUPERVISORS,  # keep the rota of professionals on call
    "legal_aid_apply": SUPERVISORS | {Role.GRID_WORKER, Role.GRID_LEADER},  # take an application
    "legal_aid_decide": SUPERVISORS,  # eligibility, assign a lawyer, conclude; record talks
}

DENIED = {
    "care_assess": _("Only a grid or community worker of this area may set a care level."),
    "care_record": _("Only a worker of this area may record care visits."),
    "case_open": _("Only a worker of this area may open a mediation case."),
    "case_mediate": _("Only the mediator or a community worker of this area may work on this case."),
    "case_supervise": _("Only a community or street worker of this area may do this."),
    "children_enrol": _("Only a grid or community worker of this area may sign children up."),
    "children_manage": _("Only a community or street worker of this area may run children's places."),
    "rota_manage": _("Only a community or street worker of this area may keep the rota."),
    "legal_aid_apply": _("Only a grid or community worker of this area may take a legal-aid application."),
    "legal_aid_decide": _("Only a community or street worker of this area may decide on legal aid."),
}

TABLE = ActionTable(ACTION_RULES, DENIED)
may = TABLE.may
require = TABLE.require
actions_for = TABLE.actions_for
may_anywhere = TABLE.may_manage_anywhere


def community_path(actor: object, community_path: str) -> str:
    """Where to check an action on something a whole community shares (a children's place, the rota): the actor's
    own node when it lies inside the community (a grid worker's compound), else the community's path."""
    own = getattr(actor, "org_path", "") or ""
    return own if own.startswith(community_path) else community_path
