"""Who may act on an appeal: its handler (the unit it sits with), the tier above (supervisor), its resident.

`ACTION_RULES` is the one table of who may take each action. The services enforce it (`require`), and the staff
pages and the API read it (`actions_for`) to decide what to offer, so an action is offered exactly when the
service would accept it. Which states an action may start from is the other table, in workflow.py.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from linli.accounts.models import User
from linli.core.errors import PermissionDenied
from linli.core.orgpath import path_covers
from linli.core.roles import UNIT_ROLES, Role
from linli.core.scoping import is_admin, is_staff_member

from .choices import (
    RESOLVE_OUTCOMES,
    TIER_LEVEL,
    AppealState,
    CallbackStatus,
    Channel,
    Tier,
    WhistleRequestStatus,
)
from .models import Appeal, AppealPart
from .public import category_public
from .workflow import allowed_actions

# Who makes a request (a guest resident tracking by phone is anonymous), and who acts in a service: a person, or
# None for the system (worker jobs, routing at intake).
Person = User | AnonymousUser
Actor = User | AnonymousUser | None

# Roles that work in grids and see the appeals of their own grids only (and those they reported), not their
# compound's: a part-time grid worker (兼职网格员) and a grid leader (网格长) their grids (Grid.workers, with the
# micro-grids inside them), a building captain (楼栋长) the grid of their building. None of them handles appeals
# (they have no tier level): they report, follow and visit.
OWN_GRID_APPEAL_ROLES = frozenset({Role.PART_TIME_GRID_WORKER, Role.GRID_LEADER, Role.BUILDING_CAPTAIN})
# Who sees the appeals of their own grids only: those roles and the full-time grid worker (网格员), who handles
# the grid tier of their grids (what is assigned to them) but not the neighbour grids' work in the same compound.
OWN_GRID_VIEW_ROLES = OWN_GRID_APPEAL_ROLES | {Role.GRID_WORKER}

NODE_LEVEL = {"compound": 1, "community": 2, "street": 3, "district": 4}
ADMIN_LEVEL = 9


def signed_in_user(user: Actor) -> User | None:
    """The account behind `user` when it is a signed-in person, else None."""
    return user if isinstance(user, User) and user.is_authenticated else None


def actor_level(user: Actor) -> int | None:
    """How high in the tiers a staff member stands (None for residents and department handlers)."""
    person = signed_in_user(user)
    if person is None:
        return None
    if is_admin(person):
        return ADMIN_LEVEL
    if person.role == Role.GRID_WORKER:
        return 0
    if person.role in (Role.COMMUNITY_WORKER, Role.STREET_OFFICER, Role.DISTRICT_LEADER) and person.org_node:
        return NODE_LEVEL.get(person.org_node.kind)
    return None


def _covers(user: User, path: str) -> bool:
    return path_covers(user.org_path, path)


def _unit_path(appeal: Appeal) -> str:
    if appeal.unit_node_id and appeal.unit_node is not None:
        return appeal.unit_node.path
    return appeal.org_path


def may_handle(user: Actor, appeal: Appeal) -> bool:
    """The unit the appeal sits with (and staff of that unit's own tier or above inside it)."""
    person = signed_in_user(user)
    if person is None or not appeal.tier:
        return is_admin(person)
    if is_admin(person):
        return True
    if appeal.tier == Tier.DEPARTMENT:
        return person.role in UNIT_ROLES and (
            person.organisation_id is not None and person.organisation_id == appeal.unit_org_id
        )
    level = actor_level(person)
    if level is None or level < TIER_LEVEL[Tier(appeal.tier)]:
        return False
    return _covers(person, _unit_path(appeal))


def _unit_supervisor_level(appeal: Appeal) -> int:
    """Who supervises an appeal held by a unit outside the tree: the district for a department; for a unit that
    serves a compound or a community (a property company, a partner unit), the community it works in."""
    org = appeal.unit_org if appeal.unit_org_id else None
    served = org.org_node if org is not None and org.org_node_id else None
    if served is not None and served.kind in ("compound", "community"):
        return NODE_LEVEL["community"]
    return NODE_LEVEL["district"]


def may_supervise(user: Actor, appeal: Appeal) -> bool:
    """The tier above the appeal's unit, in whose subtree the appeal lies (accepted appeals: community and up)."""
    person = signed_in_user(user)
    if person is None:
        return False
    if is_admin(person):
        return True
    level = actor_level(person)
    if level is None:
        return False
    if not appeal.tier:
        return level >= NODE_LEVEL["community"] and _covers(person, appeal.org_path or "")
    needed = TIER_LEVEL[Tier(appeal.tier)]
    if appeal.tier == Tier.DEPARTMENT:
        return level >= _unit_supervisor_level(appeal) and _covers(person, appeal.org_path or "")
    return level > needed and _covers(person, _unit_path(appeal))


def is_appeal_resident(user: Actor, appeal: Appeal, phone: str = "") -> bool:
    person = signed_in_user(user)
    if person is not None and appeal.resident_id == person.pk:
        return True
    return bool(phone) and bool(appeal.contact_phone) and phone == appeal.contact_phone


def gave_contact(user: Actor, appeal: Appeal) -> bool:
    """Whether `user` gave the appeal's contact: its resident, or the staff member who took it in (a grid worker's
    patrol report, a hotline call, a visit's appeal) and typed it. They read it in full, and no read is audited."""
    person = signed_in_user(user)
    took_it = (
        person is not None and appeal.submitted_by_id is not None and appeal.submitted_by_id == person.pk
    )
    return took_it or is_appeal_resident(user, appeal)


def _summoned_unit(user: Actor, appeal: Appeal) -> bool:
    """A unit summoned by a whistle (吹哨) whose part is still open: it works on the spot with the resident."""
    person = signed_in_user(user)
    if person is None or person.organisation_id is None or person.role not in UNIT_ROLES:
        return False
    return appeal.parts.filter(
        organisation_id=person.organisation_id, done_at__isnull=True, withdrawn_at__isnull=True
    ).exists()


def may_see_contact(user: Actor, appeal: Appeal) -> bool:
    """The one rule of who sees the resident's name and number in full (pages, the API): who gave them
    (`gave_contact`), and the staff whose work needs them — the handler, the tier above, a summoned unit while its
    part is open, and whoever is to call the resident back on an open callback. Lists always mask; a read by
    staff who did not give them is audited."""
    return (
        gave_contact(user, appeal)
        or may_handle(user, appeal)
        or may_supervise(user, appeal)
        or _summoned_unit(user, appeal)
        or (_calls_back(user, appeal) and _callback_open(appeal))
    )


def may_whistle(user: Actor, appeal: Appeal) -> bool:
    """Summoning departments: the handling unit from the community tier up, or the tier above."""
    return (
        may_handle(user, appeal) and (actor_level(user) or 0) >= NODE_LEVEL["community"]
    ) or may_supervise(user, appeal)


def _answerable_parts(user: Actor, appeal: Appeal) -> Q | None:
    """The filter of the parts of `appeal` that `user` answers for its unit (its own organisation's; any, for a
    superuser), or None for someone who answers for no unit."""
    person = signed_in_user(user)
    if person is None:
        return None
    if person.is_superuser:
        return Q()
    if person.organisation_id is None or person.role not in UNIT_ROLES:
        return None
    return Q(organisation_id=person.organisation_id)


# A summons not yet answered: not reported in, not said to be outside the unit's duty, not done, not withdrawn.
_UNANSWERED = Q(
    reported_in_at__isnull=True, declined_at__isnull=True, done_at__isnull=True, withdrawn_at__isnull=True
)
# Said to be outside the unit's duty, and the summoner has not decided yet.
_DECLINED_PENDING = Q(
    declined_at__isnull=False,
    insisted_at__isnull=True,
    reported_in_at__isnull=True,
    withdrawn_at__isnull=True,
)


def _may_decline_part(user: Actor, appeal: Appeal) -> bool:
    """不属于本单位职责: a summoned unit's own people, on a summons they have not answered yet (before reporting in)."""
    own = _answerable_parts(user, appeal)
    return own is not None and appeal.parts.filter(own & _UNANSWERED).exists()


def _may_insist(user: Actor, appeal: Appeal) -> bool:
    """The summoner's side (who may summon: the organising unit, the tier above) insists a unit that said the
    matter is not its duty does its part, while such a part waits for the decision."""
    return may_whistle(user, appeal) and appeal.parts.filter(_DECLINED_PENDING).exists()


def _may_decide_whistle_request(user: Actor, appeal: Appeal) -> bool:
    """The community a grid worker's whistle request went to (or above), while one is open on the appeal."""
    return (
        may_whistle(user, appeal)
        and appeal.whistle_requests.filter(status=WhistleRequestStatus.OPEN).exists()
    )


def _may_raise_whistle(user: Actor, appeal: Appeal) -> bool:
    """网格吹哨: the grid worker handling the appeal asks the community to summon departments."""
    person = signed_in_user(user)
    return (
        person is not None
        and person.role == Role.GRID_WORKER
        and appeal.tier == Tier.GRID
        and may_handle(person, appeal)
    )


def _may_dispatch(user: Actor, appeal: Appeal) -> bool:
    """Who sends an appeal on: the tier above; the triage desk holding a new appeal routing could not place; and
    the district (leader, command centre) with an appeal returned or escalated to it, the top tier, which it
    passes to a department — the administrator is never the only way out."""
    if appeal.state == AppealState.ACCEPTED:
        return may_supervise(user, appeal) or may_handle(user, appeal)
    at_top = appeal.tier == Tier.DISTRICT and may_handle(user, appeal)
    if appeal.state == AppealState.RETURNED:
        return may_supervise(user, appeal) or at_top
    return at_top


def returned_dispatchable(user: Actor) -> Q:
    """_may_dispatch for returned appeals as a filter over those `user` sees (the workbench queue's): the tier
    above the unit that returned it, or the district for an appeal at the top tier (its own or a department's),
    or the community for a unit that serves a compound or a community inside it."""
    level = actor_level(user) or 0
    if level >= ADMIN_LEVEL:
        return Q()
    below = [tier for tier, needed in TIER_LEVEL.items() if tier != Tier.DEPARTMENT and needed < level]
    allowed = Q(tier__in=below)
    if level >= NODE_LEVEL["community"]:
        allowed |= Q(tier="")
    if level >= NODE_LEVEL["district"]:
        allowed |= Q(tier__in=[Tier.DISTRICT, Tier.DEPARTMENT])
    elif level >= NODE_LEVEL["community"]:
        allowed |= Q(tier=Tier.DEPARTMENT, unit_org__org_node__kind__in=("compound", "community"))
    return allowed


def _handler_or_supervisor(user: Actor, appeal: Appeal) -> bool:
    """The appeal's unit or the tier above. A returned appeal (退回) was given back by its unit: those who send it
    on (the tier above, or the district with one at the top tier) act on it, not the unit that returned it."""
    if appeal.state == AppealState.RETURNED:
        return _may_dispatch(user, appeal)
    return may_handle(user, appeal) or may_supervise(user, appeal)


def _callback_open(appeal: Appeal) -> bool:
    task = getattr(
        appeal, "callback", None
    )  # the reverse one-to-one raises AttributeError when there is none
    return task is not None and task.status == CallbackStatus.OPEN


def _calls_back(user: Actor, appeal: Appeal) -> bool:
    """Who may record a callback's outcome: the appeal's handler or the tier above, or staff of the community the
    callback task was given to (callback_create gives it to the appeal's community, which is told to call; the
    appeal may have been resolved by a unit above it, a department or the district). Reads the task only for
    staff of a community or above."""
    if _handler_or_supervisor(user, appeal):
        return True
    person, level = signed_in_user(user), actor_level(user)
    if person is None or level is None or level < NODE_LEVEL["community"]:
        return False
    # The reverse one-to-one raises AttributeError when there is none.
    task = getattr(appeal, "callback", None)
    return task is not None and task.community is not None and _covers(person, task.community.path)


def _calls_back_now(user: Actor, appeal: Appeal) -> bool:
    """Who may record a failed call to the resident: as `_calls_back`, while the callback is still open."""
    return _calls_back(user, appeal) and _callback_open(appeal)


# 三次未接通: the rule of the 12345 hotlines' callbacks. A resident who did not rate in time is called back; an
# appeal closes without a rating only after this many calls that did not reach them, each recorded (when, who,
# why) — never on the first unanswered call.
CALLBACK_ATTEMPTS_BEFORE_UNRATED_CLOSE = 3


def callback_attempts_left(appeal: Appeal) -> int:
    """How many more failed calls the open callback of `appeal` needs before it may close without a rating."""
    task = getattr(
        appeal, "callback", None
    )  # the reverse one-to-one raises AttributeError when there is none
    done = task.attempts if task is not None else 0
    return max(CALLBACK_ATTEMPTS_BEFORE_UNRATED_CLOSE - done, 0)


def _may_close_unreachable(user: Actor, appeal: Appeal) -> bool:
    """不评价结案: who may record a failed call, once enough calls have failed."""
    return _calls_back_now(user, appeal) and callback_attempts_left(appeal) == 0


def _may_rate(user: Actor, appeal: Appeal, phone: str) -> bool:
    """The resident, or staff recording the rating the resident gave on an open callback."""
    return is_appeal_resident(user, appeal, phone) or (_calls_back(user, appeal) and _callback_open(appeal))


def _may_contact(user: Actor, appeal: Appeal) -> bool:
    """The handler records a contact with the resident, when there is anyone to contact (`Appeal.has_contact`)."""
    return appeal.has_contact and may_handle(user, appeal)


MACHINE_WRITTEN = (Channel.SENSOR, Channel.SYSTEM)  # the channels whose appeals the system writes itself


def _may_split(user: Actor, appeal: Appeal) -> bool:
    """Several issues in one message become one appeal each; an order the system wrote — a sensor's alarm, an
    elderly person's button at home — is one event in the machine's words, never several issues."""
    return appeal.channel not in MACHINE_WRITTEN and _handler_or_supervisor(user, appeal)


def _may_answer(user: Actor, appeal: Appeal) -> bool:
    """The staff member who took the consultation (hotline), its handler or the tier above."""
    person = signed_in_user(user)
    took_it = (
        person is not None
        and is_staff_member(person)
        and appeal.submitted_by_id is not None
        and appeal.submitted_by_id == person.pk
    )
    return took_it or _handler_or_supervisor(user, appeal)


def _may_add_photos(user: Actor, appeal: Appeal, phone: str) -> bool:
    return (is_appeal_resident(user, appeal, phone) and appeal.is_open) or _handler_or_supervisor(
        user, appeal
    )


def reopen_until(appeal: Appeal) -> dt.datetime | None:
    """Until when its resident may reopen `appeal`: LINLI_APPEAL_REOPEN_DAYS after it was closed (or resolved,
    while it awaits the rating); None when it cannot be reopened (merged, withdrawn, never handled by a unit)."""
    if appeal.primary_id or appeal.outcome not in RESOLVE_OUTCOMES or not appeal.tier:
        return None
    since = appeal.closed_at or appeal.resolved_at
    if since is None:
        return None
    return since + dt.timedelta(days=settings.LINLI_APPEAL_REOPEN_DAYS)


def _may_reopen(user: Actor, appeal: Appeal, phone: str) -> bool:
    until = reopen_until(appeal)
    return is_appeal_resident(user, appeal, phone) and until is not None and timezone.now() <= until


def _may_withhold(user: Actor, appeal: Appeal) -> bool:
    """不予公开: the staff handling the appeal (its unit, the tier above), while its category would show it on the
    public pages (`public.category_public`) and it is not withheld yet."""
    return (
        not appeal.disclosure_withheld
        and category_public(appeal.category)
        and _handler_or_supervisor(user, appeal)
    )


Rule = Callable[[Actor, Appeal, str], bool]


def _staff(test: Callable[[Actor, Appeal], bool]) -> Rule:
    return lambda user, appeal, _phone: test(user, appeal)


# action → who may take it. `phone` is the contact number a guest resident proves (tracking without an account).
ACTION_RULES: dict[str, Rule] = {
    "dispatch": _staff(_may_dispatch),
    "acknowledge": _staff(may_handle),
    "contact": _staff(_may_contact),
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
    "part_send_back": _staff(may_whistle),  # the organising unit (who may summon) checks a completed part
    "part_withdraw": _staff(may_whistle),
    "part_urge": _staff(may_whistle),
    "part_decline": _staff(_may_decline_part),
    "part_insist": _staff(_may_insist),
    "whistle_request": _staff(_may_raise_whistle),
    "whistle_request_decline": _staff(_may_decide_whistle_request),
    "merge": _staff(_handler_or_supervisor),
    "split": _staff(_may_split),
    "close": _staff(may_supervise),
    "callback_attempt": _staff(_calls_back_now),
    "callback_unreachable": _staff(_may_close_unreachable),
    "answer": _staff(_may_answer),
    "comment": _staff(_handler_or_supervisor),
    "withhold": _staff(_may_withhold),
    "rate": _may_rate,
    "withdraw": lambda user, appeal, phone: is_appeal_resident(user, appeal, phone),
    "add_photos": _may_add_photos,
    "add_info": lambda user, appeal, phone: is_appeal_resident(user, appeal, phone) and appeal.is_open,
    "reopen": _may_reopen,
    # Suggested duplicates (并单): the resident follows the other appeal; the resident or the staff keep it apart.
    "duplicate_follow": lambda user, appeal, phone: is_appeal_resident(user, appeal, phone),
    "duplicate_dismiss": lambda user, appeal, phone: (
        is_appeal_resident(user, appeal, phone) or _handler_or_supervisor(user, appeal)
    ),
}


def may_act_on_part(user: Actor, part: AppealPart) -> bool:
    """A summoned part (whistle) is reported in and completed by its organisation's people (or a superuser)."""
    person = signed_in_user(user)
    if person is None:
        return False
    return person.is_superuser or person.organisation_id == part.organisation_id


def is_tree_staff(user: Actor) -> bool:
    """Staff of the territory's tree (a worker, an officer, a leader, an admin), not of a unit outside it (a
    department's handler, a property company's staff): the tree's tools — hotline, patrol, grid QR codes, monthly
    topics, the dispatch catalogue — are theirs."""
    return is_staff_member(user) and (is_admin(user) or getattr(user, "role", None) not in UNIT_ROLES)


def may_edit_catalogue(user: Actor) -> bool:
    """The dispatch catalogue is the district's: its leaders (command centre) and the administrators draft,
    review and activate versions (a reviewer is never the person who submitted the draft)."""
    person = signed_in_user(user)
    if person is None:
        return False
    return is_admin(person) or (person.role == Role.DISTRICT_LEADER and person.organisation_id is None)


def unit_has_handlers(organisation_id: int) -> bool:
    """Whether the unit has anyone in Linli to act for it (a handler account)."""
    return User.objects.filter(
        organisation_id=organisation_id, role__in=list(UNIT_ROLES), is_active=True
    ).exists()


def may_record_for_part(user: Actor, appeal: Appeal, part: AppealPart) -> bool:
    """A unit with no account in Linli (a property company, a partner unit): the organising unit (who may
    summon) records its report-in and completion on its behalf."""
    return may_whistle(user, appeal) and not unit_has_handlers(part.organisation_id)


def may(user: Actor, action: str, appeal: Appeal, *, phone: str = "") -> bool:
    """Whether `user` may take `action` on `appeal` (whatever its state; see `actions_for` for both)."""
    return ACTION_RULES[action](user, appeal, phone)


# Actions a resident takes, signed in or as a guest proving the phone number given with the appeal: the system
# never takes them, so there `None` is a guest like any other, not the system.
RESIDENT_ACTIONS = frozenset(
    {"rate", "withdraw", "add_photos", "add_info", "reopen", "duplicate_follow", "duplicate_dismiss"}
)


def require(user: Actor, action: str, appeal: Appeal, *, phone: str = "") -> None:
    """Raise PermissionDenied unless `user` may take `action`; `None` is the system (worker jobs) and may, except
    in the resident's own actions (RESIDENT_ACTIONS), where it is a guest."""
    if user is None and action not in RESIDENT_ACTIONS:
        return
    if not may(user, action, appeal, phone=phone):
        raise PermissionDenied()


def actions_for(user: Actor, appeal: Appeal) -> list[str]:
    """The actions to offer `user` on `appeal`: allowed from its state and by the table above."""
    return [
        name for name in allowed_actions(appeal.state) if name in ACTION_RULES and may(user, name, appeal)
    ]


# --- monthly topics (每月一题): who may take each step, in the subtree of the topic's place -------------------


def _topic_rule(min_level: str) -> Callable[[Actor, str], bool]:
    def rule(user: Actor, path: str) -> bool:
        person = signed_in_user(user)
        level = actor_level(person)
        if person is None or level is None or level < NODE_LEVEL[min_level]:
            return False
        return is_admin(person) or _covers(person, path)

    return rule


# action → who may take it: a community worker (or above) proposes a candidate of their area; a street officer
# (or above) adopts, starts and completes the topic of their street (`path` is the topic's street). Reading is no
# step: the staff below the street read the topics about a problem in their own area (topics.topics_visible_to),
# and this table gives them no step of the street's.
TOPIC_RULES: dict[str, Callable[[Actor, str], bool]] = {
    "propose": _topic_rule("community"),
    "adopt": _topic_rule("street"),
    "start": _topic_rule("street"),
    "complete": _topic_rule("street"),
}

# Why a step is refused, said on the page (or the API's 403).
TOPIC_REFUSALS = {
    "propose": _("Only the staff of the problem's community or street may propose it as a monthly topic."),
    "adopt": _("Only the street's officers (or the district) adopt, start and complete a monthly topic."),
}


def may_topic(user: Actor, action: str, path: str) -> bool:
    """Whether `user` may take the topic `action` for a candidate or topic at `path`."""
    return TOPIC_RULES[action](user, path)


def require_topic(user: Actor, action: str, path: str) -> None:
    if not may_topic(user, action, path):
        raise PermissionDenied(TOPIC_REFUSALS.get(action, TOPIC_REFUSALS["adopt"]))
