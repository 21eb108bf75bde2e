"""Reads of appeals, always through the scoping helpers."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import (
    BooleanField,
    Case,
    ExpressionWrapper,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from linli.core.orgpath import path_ids
from linli.core.roles import UNIT_ROLES, Role
from linli.core.scoping import (
    get_or_404,
    is_admin,
    is_staff_member,
    scope_by_org,
    scope_in_or_above,
    tree_scope_path,
)
from linli.territory.models import Organisation, OrgNode
from linli.territory.selectors import grids_visible_to, org_nodes_visible_to

from .choices import (
    OPEN_STATE_VALUES,
    AppealState,
    CallbackStatus,
    ExtensionStatus,
    SuggestionStatus,
    Tier,
    WhistleRequestStatus,
)
from .models import (
    Appeal,
    AppealEvent,
    AppealPart,
    CallbackTask,
    Category,
    DuplicateSuggestion,
    ExtensionRequest,
    WhistleRequest,
)
from .permissions import (
    OWN_GRID_APPEAL_ROLES,
    OWN_GRID_VIEW_ROLES,
    Actor,
    is_appeal_resident,
    may_handle,
    may_supervise,
    returned_dispatchable,
    signed_in_user,
)

_RELATED = ("category__parent", "grid", "unit_node", "unit_org__org_node", "resident")


def appeals_visible_to(user: Actor) -> QuerySet[Appeal]:
    """Tree staff: appeals in their subtree; department handlers: assigned to or summoned their organisation;
    residents: their own, and the appeals theirs were merged into."""
    qs = Appeal.objects.select_related(*_RELATED)
    person = signed_in_user(user)
    if person is None:
        return qs.none()
    if is_admin(person):
        return qs
    if person.role in UNIT_ROLES:
        if not person.organisation_id:
            return qs.none()
        assigned = qs.filter(
            Q(unit_org_id=person.organisation_id) | Q(parts__organisation_id=person.organisation_id)
        )
        if person.role == Role.PROPERTY_STAFF:
            # 物业: only in the compound(s) their company serves, whatever else is assigned to it.
            served = person.organisation.org_node if person.organisation is not None else None
            if served is None:
                return qs.none()
            assigned = assigned.filter(org_path__startswith=served.path)
        return assigned.distinct()
    if person.role == Role.RESIDENT:
        own = Q(resident=person)
        if person.phone:
            own |= Q(contact_phone=person.phone, resident__isnull=True)
        return qs.filter(own | Q(duplicates__resident=person)).distinct()
    prefix = tree_scope_path(person)
    if not prefix:
        return qs.none()
    if person.role in OWN_GRID_VIEW_ROLES:
        # Their grids as territory decides them (a building captain: their building's grid), and what they
        # reported themselves, wherever routing placed it. What is assigned to a grid worker (the grid tier of
        # their grids, and the compound tier it was escalated to) lies in their grids.
        grids = grids_visible_to(person).values("pk")
        return qs.filter(Q(org_path__startswith=prefix, grid__in=grids) | Q(submitted_by=person))
    return qs.filter(org_path__startswith=prefix)


def appeal_get_for(user: Actor, pk: int | str, *, write: bool = False) -> Appeal:
    """One appeal the user may see (404 otherwise); `write=True` also requires that they may act on it."""
    appeal = get_or_404(appeals_visible_to(user), pk=pk)
    allowed = may_handle(user, appeal) or may_supervise(user, appeal) or is_appeal_resident(user, appeal)
    person = signed_in_user(user)
    org_id = (person.organisation_id if person is not None else None) or 0
    summoned = AppealPart.objects.filter(appeal=appeal, organisation_id=org_id)
    if write and not allowed and not summoned.exists():
        from linli.core.errors import PermissionDenied

        raise PermissionDenied()
    return appeal


def appeal_by_tracking(tracking_number: str, phone: str) -> Appeal:
    """A guest follows an appeal with its tracking number and the phone number given with it."""
    appeal = Appeal.objects.select_related(*_RELATED).filter(tracking_number=tracking_number.strip()).first()
    if appeal is None or not phone or appeal.contact_phone != phone.strip():
        from linli.core.errors import NotFound

        raise NotFound()
    return appeal


def appeal_trace(appeal: Appeal) -> QuerySet[AppealEvent]:
    return appeal.events.select_related("actor").order_by("at", "id")


def appeal_detail(user: Actor, pk: int | str) -> Appeal:
    """An appeal with its callback, photos, parts, events, ratings and extension requests fetched with it."""
    appeal = appeal_get_for(user, pk)
    return (
        appeals_visible_to(user)
        .select_related("callback__community", "callback__done_by")
        .prefetch_related(
            "photos",
            Prefetch("parts", queryset=AppealPart.objects.select_related("organisation")),
            Prefetch("events", queryset=AppealEvent.objects.order_by("at", "id")),
            "ratings",
            "extensions",
        )
        .get(pk=appeal.pk)
    )


def queue_for(user: Actor) -> QuerySet[Appeal]:
    """Work the user's unit owes, soonest deadline first (the workbench queue)."""
    open_ = appeals_visible_to(user).filter(state__in=OPEN_STATE_VALUES)
    person = signed_in_user(user)
    if person is None:
        return open_.none()
    if is_admin(person):
        return open_.order_by("resolve_due_at", "id")
    if person.role in UNIT_ROLES:
        # What the unit handles, and the parts it was summoned to and still owes (one done or withdrawn leaves
        # nothing for it to do while the organising unit keeps the appeal open).
        owed = Q(
            parts__organisation_id=person.organisation_id,
            parts__done_at__isnull=True,
            parts__withdrawn_at__isnull=True,
        )
        # One it returned is the tier above's to send on (returned_dispatchable), not the unit's.
        handled = Q(unit_org_id=person.organisation_id) & ~Q(state=AppealState.RETURNED)
        # A part's next clock (its report-in until it reports in, then its finish date) is the unit's deadline there.
        next_clock = Case(When(reported_in_at__isnull=True, then=F("report_due_at")), default=F("due_at"))
        part_due = (
            AppealPart.objects.filter(
                appeal_id=OuterRef("pk"),
                organisation_id=person.organisation_id or 0,  # a unit's handler of none sees no appeal
                done_at__isnull=True,
                withdrawn_at__isnull=True,
            )
            .annotate(next_due=next_clock)
            .order_by("next_due")
            .values("next_due")[:1]
        )
        return (
            open_.filter(handled | owed)
            .distinct()
            .annotate(queue_due=Coalesce(Subquery(part_due), F("resolve_due_at")))
            .order_by("queue_due", "id")
        )
    if person.role in OWN_GRID_APPEAL_ROLES:
        # They handle nothing themselves: their queue follows the grid-tier work of their own grids.
        return open_.filter(tier=Tier.GRID).order_by("resolve_due_at", "id")
    if person.role == Role.GRID_WORKER:
        # A grid worker handles the grid tier only; an appeal escalated to the compound is the community's.
        return (
            open_.filter(Q(grid__workers=person) | Q(unit_node_id=person.org_node_id), tier=Tier.GRID)
            .exclude(state=AppealState.RETURNED)  # returned: the community's to send on
            .distinct()
            .order_by("resolve_due_at", "id")
        )
    if person.org_node is not None:
        mine = Q(unit_node_id=person.org_node_id)
        if person.org_node.kind == "community":
            # Compounds have no staff of their own: the community handles the compound tier inside it.
            mine |= Q(tier=Tier.COMPOUND, unit_node__path__startswith=person.org_path)
        # Waiting to be sent on, where the user may send it: a returned one is the tier above's, not the unit's.
        awaiting = Q(state=AppealState.ACCEPTED) | (
            Q(state=AppealState.RETURNED) & returned_dispatchable(user)
        )
        return open_.filter((mine & ~Q(state=AppealState.RETURNED)) | awaiting).order_by(
            "resolve_due_at", "id"
        )
    return open_.none()


def awaiting_dispatch_for(user: Actor) -> QuerySet[Appeal]:
    """Appeals waiting to be sent on (new ones routing could not place, returned ones) that the user may see and
    decide: none for a resident (their own appeal waiting is not theirs to send on) nor for the grid roles that
    handle nothing (OWN_GRID_APPEAL_ROLES)."""
    person = signed_in_user(user)
    if not is_staff_member(user):
        return Appeal.objects.none()
    if person is not None and person.role in OWN_GRID_APPEAL_ROLES and not is_admin(person):
        return Appeal.objects.none()
    # A returned one only where the user may send it on (the tier above the unit that returned it).
    waiting = Q(state=AppealState.ACCEPTED) | (Q(state=AppealState.RETURNED) & returned_dispatchable(user))
    return appeals_visible_to(user).filter(waiting)


def overdue(qs: QuerySet[Appeal], now: dt.datetime | None = None) -> QuerySet[Appeal]:
    return qs.filter(resolve_due_at__lt=now or timezone.now())


def near_due(qs: QuerySet[Appeal], now: dt.datetime | None = None) -> QuerySet[Appeal]:
    now = now or timezone.now()
    return qs.filter(warn_at__lte=now, resolve_due_at__gte=now)


def extension_requests_for(user: Actor) -> QuerySet[ExtensionRequest]:
    """Pending extension requests the user may decide: the tier above the unit that asked (`may_supervise`, a rule
    of the org tree read row by row over the few pending ones), not every one in view (the unit's own request was
    listed to it with buttons that were refused)."""
    pending = ExtensionRequest.objects.filter(
        status=ExtensionStatus.PENDING, appeal__in=appeals_visible_to(user)
    ).select_related(
        "appeal", "requested_by", "appeal__unit_node", "appeal__unit_org__org_node", "appeal__grid"
    )
    decides = [x.pk for x in pending if may_supervise(user, x.appeal)]
    return pending.filter(pk__in=decides)


# A late callback (回访超期): still open past its due time (sla.callback_due). The one rule, as a filter for lists and
# counts and as a test of one task for its page and the API; test_callbacks holds them to the same answer.
def _late_callback(now: dt.datetime) -> Q:
    return Q(status=CallbackStatus.OPEN, due_at__lt=now)


def callback_is_late(task: CallbackTask, now: dt.datetime) -> bool:
    return task.status == CallbackStatus.OPEN and task.due_at is not None and task.due_at < now


def callbacks_for(user: Actor, now: dt.datetime | None = None) -> QuerySet[CallbackTask]:
    """Open callbacks in the user's scope, each with `late` (past its due time)."""
    return (
        CallbackTask.objects.filter(status=CallbackStatus.OPEN, appeal__in=appeals_visible_to(user))
        .annotate(late=ExpressionWrapper(_late_callback(now or timezone.now()), output_field=BooleanField()))
        .select_related("appeal", "community")
    )


def callbacks_late_for(user: Actor) -> QuerySet[CallbackTask]:
    return callbacks_for(user).filter(_late_callback(timezone.now()))


def parts_for(user: Actor) -> QuerySet[AppealPart]:
    """Whistle parts a department handler owes: not done, not withdrawn, of an appeal still open (a withdrawn or
    merged appeal owes nothing more)."""
    person = signed_in_user(user)
    org = person.organisation_id if person is not None else None
    if not org:
        return AppealPart.objects.none()
    return AppealPart.objects.filter(
        organisation_id=org,
        done_at__isnull=True,
        withdrawn_at__isnull=True,
        appeal__state__in=OPEN_STATE_VALUES,
    ).select_related("appeal", "organisation")


def whistle_requests_for(user: Actor) -> QuerySet[WhistleRequest]:
    """Open whistle requests (网格吹哨) waiting for a community within the user's subtree."""
    person = signed_in_user(user)
    if person is None:
        return WhistleRequest.objects.none()
    qs = WhistleRequest.objects.filter(status=WhistleRequestStatus.OPEN).select_related(
        "appeal", "community", "raised_by"
    )
    if is_admin(person):
        return qs
    if person.role not in (Role.COMMUNITY_WORKER, Role.STREET_OFFICER, Role.DISTRICT_LEADER):
        return qs.none()
    return scope_by_org(qs, person, "community__path")


def categories_tree() -> list[dict[str, Any]]:
    """Active categories as [{code, name, name_en, children: [...]}]."""
    tops: dict[int, dict[str, Any]] = {}
    rows = list(Category.objects.filter(active=True).order_by("position", "code"))
    for c in rows:
        if c.parent_id is None:
            tops[c.pk] = {"code": c.code, "name": c.name, "name_en": c.name_en, "children": []}
    for c in rows:
        if c.parent_id in tops:
            tops[c.parent_id]["children"].append({"code": c.code, "name": c.name, "name_en": c.name_en})
    return list(tops.values())


def duplicate_suggestions_of(appeal: Appeal) -> dict[str, list[DuplicateSuggestion]]:
    """Pending suggested merges around one appeal: `into` (this one may duplicate an older open appeal) and
    `here` (newer appeals that may duplicate this one)."""
    base = DuplicateSuggestion.objects.filter(status=SuggestionStatus.PENDING).select_related(
        "appeal__grid", "appeal__category", "candidate__grid", "candidate__category"
    )
    return {
        "into": list(base.filter(appeal=appeal, candidate__state__in=OPEN_STATE_VALUES)),
        "here": list(base.filter(candidate=appeal, appeal__state__in=OPEN_STATE_VALUES)),
    }


def duplicate_suggestions_for(user: Actor) -> QuerySet[DuplicateSuggestion]:
    """Pending suggested merges of open appeals the user may see (the workbench count)."""
    return DuplicateSuggestion.objects.filter(
        status=SuggestionStatus.PENDING,
        appeal__state__in=OPEN_STATE_VALUES,
        candidate__state__in=OPEN_STATE_VALUES,
        appeal__in=appeals_visible_to(user),
    ).select_related("appeal", "candidate")


def duplicate_suggestion_get_for(user: Actor, pk: int | str, *, appeal_pk: int | str) -> DuplicateSuggestion:
    """One suggestion involving an appeal the user may see (404 otherwise)."""
    appeal = appeal_get_for(user, appeal_pk)
    qs = DuplicateSuggestion.objects.select_related("appeal", "candidate").filter(
        Q(appeal=appeal) | Q(candidate=appeal)
    )
    return get_or_404(qs, pk=pk)


def resident_duplicate_suggestions(appeal: Appeal) -> list[DuplicateSuggestion]:
    """What the resident is offered after submitting: similar open appeals, while theirs is still open."""
    if appeal.state not in OPEN_STATE_VALUES or appeal.primary_id:
        return []
    return list(
        DuplicateSuggestion.objects.filter(
            appeal=appeal, status=SuggestionStatus.PENDING, candidate__state__in=OPEN_STATE_VALUES
        ).select_related("candidate__grid", "candidate__category")
    )


# --- what a write may name: departments and units within the user's reach ------------------------------------


def organisations_for(user: Actor) -> QuerySet[Organisation]:
    """Departments and partner units a staff member may summon or dispatch to: those serving their node, a node
    above it (district departments) or a node below it (a community's partner units): core's rows in the subtree or
    on the nodes above it. Only tree staff sit on a node (a unit's handler or a resident has none), so the others
    reach none; an administrator reaches every one."""
    qs = Organisation.objects.select_related("org_node").order_by("kind", "name")
    return scope_in_or_above(qs, user, "org_node__path", "org_node")


def unit_nodes_for(user: Actor, appeal: Appeal) -> QuerySet[OrgNode]:
    """Org nodes a staff member may send `appeal` to: inside their own subtree, or a tier of the appeal's place."""
    return OrgNode.objects.filter(
        Q(pk__in=org_nodes_visible_to(user).values("pk")) | Q(pk__in=path_ids(appeal.org_path))
    )
