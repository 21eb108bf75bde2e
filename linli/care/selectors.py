"""Reads of care and mediation, always through the reader's scope.

Care plans and their contacts: the plans of residents the reader sees in the register (a grid worker: their
grids; a building captain: their building; a community worker: their community). Mediation cases are narrower
(confidential): supervisors read every case of their area, anyone else only the cases they mediate or opened.
Something outside the scope is a 404. The full read of one plan or case is audited (`*_read_for`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import Any

from django.db.models import Case, Count, Exists, F, Model, OuterRef, Q, QuerySet, Subquery, Sum, Value, When
from django.utils import timezone

from linli.core.audit import audit_record
from linli.core.errors import NotFound
from linli.core.orgpath import path_ids
from linli.core.roles import Role
from linli.core.scoping import (
    Viewer,
    get_or_404,
    is_admin,
    is_signed_in,
    is_staff_member,
    scope_by_org,
    tree_scope_path,
)
from linli.territory.models import Grid, OrgNode
from linli.territory.selectors import grids_visible_to, residents_visible_to

from .choices import (
    OPEN_CONTACT_STATES,
    CaseState,
    ContactOutcome,
    ContactState,
    EnrolmentState,
    LegalAidState,
    Professional,
    ServiceState,
)
from .models import (
    CareAlert,
    CareContact,
    CarePlan,
    CareService,
    ChildPlace,
    Enrolment,
    LegalAidApplication,
    LegalTalk,
    MediationCase,
    OnCallProfessional,
)
from .permissions import CASE_READERS_ALL


def level_rank(field: str = "level") -> Case:
    """Red before yellow before green, to order by (the stored values sort green, red, yellow)."""
    return Case(
        When(**{field: "red"}, then=Value(0)),
        When(**{field: "yellow"}, then=Value(1)),
        default=Value(2),
    )


PLAN_RELATED = ("resident", "resident__household", "grid", "grid__org_node", "caregiver")
CONTACT_RELATED = ("plan", "plan__resident", "plan__resident__household", "plan__grid", "assignee")
SERVICE_RELATED = ("plan__resident", "plan__grid", "volunteer")


def _assigned_only(user: Viewer) -> bool:
    """A volunteer or party member (signed in, not staff) sees only the care they have to give now."""
    return is_signed_in(user) and not is_staff_member(user)


def _sees_resident(user: Viewer, resident_id: int) -> bool:
    return residents_visible_to(user).filter(pk=resident_id).exists()


def _one[M: Model](qs: QuerySet[M], pk: int, user: Viewer, visible: Callable[[M], bool], lock: bool) -> M:
    """One row by its key, then the reader's scope checked on that row alone (outside it: 404), with `lock` under
    a row lock for a write. Filtering a one-row read by the whole scope as a subquery (the residents of a grid
    worker's grids) is planned badly by PostgreSQL, up to seconds a read. `user` None is the system (a job or
    command calling a service): it sees every row."""
    row = get_or_404(qs.select_for_update(of=("self",)) if lock else qs, pk=pk)
    if user is not None and not visible(row):
        raise NotFound()
    return row


def _assigned_plan_ids(user: Viewer) -> tuple[QuerySet[CareContact, Any], QuerySet[CareService, Any]]:
    """The plans a volunteer or member acts on now: an open visit or call of theirs (or one they did today), a
    service they are to give. Once it is done and past, or taken from them, the plan is closed to them again."""
    me = getattr(user, "pk", None)
    today = timezone.localdate()
    contacts = CareContact.objects.filter(assignee_id=me).filter(
        Q(state__in=OPEN_CONTACT_STATES) | Q(state=ContactState.DONE, due_on=today)
    )
    services = CareService.objects.filter(volunteer_id=me, state=ServiceState.ORDERED)
    return contacts.values("plan_id"), services.values("plan_id")


def plans_visible_to(user: Viewer) -> QuerySet[CarePlan]:
    """Staff: the plans of the residents they see in the register. A volunteer or party member (not staff): the
    plans of the people whose visits, calls or services they have to do now, nothing more."""
    if _assigned_only(user):
        contacts, services = _assigned_plan_ids(user)
        qs = CarePlan.objects.filter(Q(pk__in=contacts) | Q(pk__in=services))
    else:
        qs = CarePlan.objects.filter(resident__in=residents_visible_to(user).values("pk"))
    return qs.select_related(*PLAN_RELATED)


def plans_listed(
    user: Viewer, today: dt.date, *, level: str = "", grid: str = "", overdue: bool = False
) -> QuerySet[CarePlan]:
    """The plans page's list, red first then by name, each with `next_due` and `next_kind`: its earliest visit or
    call still to make (due, missed, or escalated and not reached since), None when none is scheduled. Filtered by
    colour, by grid (its id) and to those `overdue` (earlier than `today`), the filters a grid worker on patrol
    reaches for first. (A grid worker or grid leader sees only the grids they work: their list is "my grid".)"""
    open_ones = (
        CareContact.objects.filter(plan_id=OuterRef("pk"), state__in=OPEN_CONTACT_STATES)
        .exclude(Q(state=ContactState.ESCALATED) & Exists(_reached_later()))
        .order_by("due_on", "kind", "pk")
    )
    qs = plans_visible_to(user).annotate(
        next_due=Subquery(open_ones.values("due_on")[:1]), next_kind=Subquery(open_ones.values("kind")[:1])
    )
    if level:
        qs = qs.filter(level=level)
    if grid.isdigit():
        qs = qs.filter(grid_id=int(grid))
    if overdue:
        qs = qs.filter(next_due__lt=today)
    return qs.order_by(level_rank(), "resident__name", "pk")


def plan_grids(user: Viewer) -> QuerySet[Grid]:
    """The grids the reader has people in care in, for the list's grid filter."""
    return (
        grids_visible_to(user).filter(pk__in=plans_visible_to(user).values("grid_id")).order_by("code", "pk")
    )


def grid_visitors(grid_ids: Iterable[int]) -> dict[int, Any]:
    """Who visits for a plan with no visitor of its own, by grid: the grid's first active grid worker."""
    links = (
        Grid.workers.through.objects.filter(
            grid_id__in=set(grid_ids), user__role=Role.GRID_WORKER, user__is_active=True
        )
        .select_related("user")
        .order_by("-user_id")
    )
    return {link.grid_id: link.user for link in links}  # the lowest id written last: it wins


def is_assigned_to(user: Viewer, plan: CarePlan) -> bool:
    """Whether the user has a visit, call or service of the plan to do now (and may act on their visit)."""
    if not is_signed_in(user):
        return False
    contacts, services = _assigned_plan_ids(user)
    return contacts.filter(plan_id=plan.pk).exists() or services.filter(plan_id=plan.pk).exists()


def gives_care(user: Viewer) -> bool:
    """Whether a resident's account (a volunteer or party member) has a visit, call or service of care to do now:
    the resident menu's entry to their day at `/care/` is shown for it (`care_tags.care_nav_item`)."""
    if not _assigned_only(user):
        return False
    contacts, services = _assigned_plan_ids(user)
    return CarePlan.objects.filter(Q(pk__in=contacts) | Q(pk__in=services)).exists()  # one query


def plan_visible(user: Viewer, plan: CarePlan) -> bool:
    """The rule of `plans_visible_to` for one plan."""
    if _assigned_only(user):
        return is_assigned_to(user, plan)
    return _sees_resident(user, plan.resident_id)


def plan_get_for(user: Viewer, pk: int, *, lock: bool = False) -> CarePlan:
    """One plan for a write (the service looks it up again, with `lock`); not a read of its content."""
    qs = CarePlan.objects.select_related(*PLAN_RELATED, "resident__household__building")
    return _one(qs, pk, user, lambda plan: plan_visible(user, plan), lock)


def plan_read_for(user: Viewer, pk: int) -> CarePlan:
    """One plan, read in full (health and family circumstances): the read is audited."""
    plan = plan_get_for(user, pk)
    audit_record(actor=user, action="care_plan_read", obj=plan)
    return plan


def contacts_visible_to(user: Viewer) -> QuerySet[CareContact]:
    """Staff: the contacts of the plans they see; a volunteer or party member: those assigned to them."""
    qs = CareContact.objects.select_related(*CONTACT_RELATED)
    if _assigned_only(user):
        return qs.filter(assignee_id=getattr(user, "pk", None))
    return qs.filter(plan__in=plans_visible_to(user).values("pk"))


def contact_visible(user: Viewer, contact: CareContact) -> bool:
    """The rule of `contacts_visible_to` for one contact."""
    if _assigned_only(user):
        return contact.assignee_id == getattr(user, "pk", None)
    return _sees_resident(user, contact.plan.resident_id)


def contacts_before(contact: CareContact, *states: str) -> QuerySet[CareContact]:
    """The same person's contacts of `contact`'s kind due before it, in `states` (read beside `contact`, already
    fetched in the reader's scope)."""
    return CareContact.objects.filter(
        plan_id=contact.plan_id, kind=contact.kind, due_on__lt=contact.due_on, state__in=states
    )


def contact_get_for(user: Viewer, pk: int, *, lock: bool = False) -> CareContact:
    """One visit or call (for a write, the service looks it up again with `lock`)."""
    qs = CareContact.objects.select_related(
        *CONTACT_RELATED, "plan__grid__org_node", "plan__resident__household__building"
    )
    return _one(qs, pk, user, lambda contact: contact_visible(user, contact), lock)


def contact_read_for(user: Viewer, pk: int) -> CareContact:
    """A visit or call with its plan's needs and emergency contact, opened to record it: the read is audited."""
    contact = contact_get_for(user, pk)
    audit_record(actor=user, action="care_contact_read", obj=contact)
    return contact


def contacts_for_today(user: Viewer, today: dt.date) -> QuerySet[CareContact]:
    """A visitor's day: the open contacts due today or earlier that are assigned to them (or to no one in their
    grids), and what they did today; not an escalated one the person was since reached on by a later contact of
    its kind (the community closes it, `care_contact_cover`). The most in need first, as the page says: red, then yellow, then green, a red
    person due today above a yellow one days late; within a colour the late ones first (escalated, then missed,
    then due), the oldest day first."""
    mine = Q(assignee=user) | Q(assignee__isnull=True) if is_signed_in(user) else Q(pk__in=[])
    open_due = Q(state__in=OPEN_CONTACT_STATES, due_on__lte=today)
    done_today = Q(state=ContactState.DONE, due_on=today)
    # An escalated one the person was since reached on is the community's to close, no longer the visitor's.
    settled = Q(state=ContactState.ESCALATED) & Exists(_reached_later())
    return (
        contacts_visible_to(user)
        .filter(mine)
        .filter(open_due | done_today)
        .exclude(settled)
        .prefetch_related("attempts")
        .annotate(
            urgency=Case(
                When(state=ContactState.ESCALATED, then=Value(0)),
                When(state=ContactState.MISSED, then=Value(1)),
                When(state=ContactState.DUE, then=Value(2)),
                default=Value(3),
            ),
            level_rank=level_rank("plan__level"),
        )
        .order_by("level_rank", "urgency", "due_on", "id")
    )


def _reached_later() -> QuerySet[CareContact]:
    """The later contacts of the outer contact's person and kind that reached them."""
    return CareContact.objects.filter(
        plan_id=OuterRef("plan_id"),
        kind=OuterRef("kind"),
        due_on__gt=OuterRef("due_on"),
        state=ContactState.DONE,
        outcome=ContactOutcome.REACHED,
    )


def reached_since() -> Subquery:
    """For a contact left open (an escalated one stays with the community when a later contact reaches the
    person): when a later contact of the person and kind last reached them, or None."""
    return Subquery(_reached_later().order_by("-done_at").values("done_at")[:1])


def contacts_upcoming(user: Viewer, today: dt.date) -> QuerySet[CareContact]:
    """The open visits and calls assigned to the visitor that fall due after today, the soonest first: what their
    day page shows coming up, so an empty day does not read as nothing assigned."""
    if not is_signed_in(user):
        return CareContact.objects.none()
    return (
        contacts_visible_to(user)
        .filter(assignee_id=getattr(user, "pk", None), state__in=OPEN_CONTACT_STATES, due_on__gt=today)
        .order_by("due_on", "id")
    )


def _confidential[M: Model](qs: QuerySet[M], user: Viewer, own: Callable[[Any], Q]) -> QuerySet[M]:
    """Rows read like mediation cases: supervisors (CASE_READERS_ALL) all those of their area, anyone else those of
    their grids that are their own (`own(user)`), nobody signed out anything."""
    qs = scope_by_org(qs, user, "grid__org_node__path")
    if is_admin(user):
        return qs
    if not is_signed_in(user):
        return qs.none()
    if user.role in CASE_READERS_ALL:
        return qs
    return qs.filter(grid__in=grids_visible_to(user).values("pk")).filter(own(user))


def cases_visible_to(user: Viewer) -> QuerySet[MediationCase]:
    """Supervisors: every case of their area; anyone else: the cases they mediate or opened."""
    qs = MediationCase.objects.select_related("grid", "grid__org_node", "mediator")
    return _confidential(qs, user, lambda me: Q(mediator=me) | Q(opened_by=me))


def cases_follow_up_due(user: Viewer, today: dt.date) -> QuerySet[MediationCase]:
    """The cases `user` reads whose agreement's follow-up visit falls today or earlier and is not yet made."""
    return cases_visible_to(user).filter(
        state=CaseState.AGREED, followed_up_at__isnull=True, follow_up_on__lte=today
    )


def case_read_for(user: Viewer, pk: int) -> MediationCase:
    """One case, read in full (parties, sessions, agreement): the read is audited."""
    case = get_or_404(
        cases_visible_to(user).prefetch_related("parties", "sessions", "events").select_related("agreement"),
        pk=pk,
    )
    audit_record(actor=user, action="mediation_case_read", obj=case)
    return case


def case_get_for(user: Viewer, pk: int) -> MediationCase:
    """One case for a write (the service looks it up again and locks it); not a read of its content."""
    return get_or_404(cases_visible_to(user), pk=pk)


def _on_time_by_level(contacts: QuerySet[CareContact]) -> list[tuple[str, int, int, int | None]]:
    """Visits and calls done on their day, by colour, red first: (level, done on time, due, percent or None)."""
    rows = {
        level: (done, total)
        for level, done, total in contacts.values("plan__level")
        .annotate(
            done=Count("pk", filter=Q(state=ContactState.DONE, done_at__date__lte=F("due_on"))),
            total=Count("pk"),
        )
        .values_list("plan__level", "done", "total")
    }
    by_level: list[tuple[str, int, int, int | None]] = []
    for level in ("red", "yellow", "green"):
        done, total = rows.get(level, (0, 0))
        by_level.append((level, done, total, round(100 * done / total) if total else None))
    return by_level


def care_summary(user: Viewer, today: dt.date) -> dict[str, Any]:
    """The figures of the care page: plans by level, contacts due today, missed and escalated, and the visits
    of the last 30 days done on time, by level."""
    plans = plans_visible_to(user)
    by_level = dict(plans.values_list("level").annotate(n=Count("pk")).values_list("level", "n"))
    contacts = CareContact.objects.filter(plan__in=plans.values("pk"))
    since = today - dt.timedelta(days=30)
    open_counts = contacts.aggregate(
        due_today=Count("pk", filter=Q(state=ContactState.DUE, due_on=today)),
        missed=Count("pk", filter=Q(state=ContactState.MISSED)),
        escalated=Count("pk", filter=Q(state=ContactState.ESCALATED)),
        reassess=Count("plan", filter=Q(plan__reassess_on__lte=today), distinct=True),
        # Refusals of the same 30 days count as done (the person was asked) but are shown apart: no visit made.
        refused=Count(
            "pk",
            filter=Q(
                state=ContactState.DONE, outcome=ContactOutcome.REFUSED, due_on__gte=since, due_on__lt=today
            ),
        ),
        # Missed ones of the same 30 days settled by a later contact that reached the person: not done.
        covered=Count("pk", filter=Q(state=ContactState.COVERED, due_on__gte=since, due_on__lt=today)),
    )
    # Visits and calls of the last 30 days done on their day, by colour.
    on_time = _on_time_by_level(contacts.filter(due_on__gte=since, due_on__lt=today))
    return {"by_level": by_level, "on_time": on_time, **open_counts}


def case_summary(user: Viewer) -> dict[str, Any]:
    cases = cases_visible_to(user)
    by_state = dict(cases.values_list("state").annotate(n=Count("pk")).values_list("state", "n"))
    by_outcome = dict(
        cases.filter(state=CaseState.CLOSED)
        .values_list("outcome")
        .annotate(n=Count("pk"))
        .values_list("outcome", "n")
    )
    recovered = cases.aggregate(total=Sum("amount_recovered"))["total"] or 0
    return {"by_state": by_state, "by_outcome": by_outcome, "recovered": recovered}


# ---- services, alerts ---------------------------------------------------------------------------------------


def services_visible_to(user: Viewer) -> QuerySet[CareService]:
    """Staff: the services of the plans they see; a volunteer or party member: those they give."""
    qs = CareService.objects.select_related(*SERVICE_RELATED)
    if _assigned_only(user):
        return qs.filter(volunteer_id=getattr(user, "pk", None))
    return qs.filter(plan__in=plans_visible_to(user).values("pk"))


def reassessments_due(user: Viewer, today: dt.date, *, within_days: int = 14) -> QuerySet[CarePlan]:
    """The plans the reader sees whose level falls due for reassessment within `within_days` (or is overdue),
    the most overdue first."""
    return (
        plans_visible_to(user)
        .filter(reassess_on__lte=today + dt.timedelta(days=within_days))
        .order_by("reassess_on", "id")
    )


def service_visible(user: Viewer, service: CareService) -> bool:
    """The rule of `services_visible_to` for one service."""
    if _assigned_only(user):
        return service.volunteer_id == getattr(user, "pk", None)
    return _sees_resident(user, service.plan.resident_id)


def service_get_for(user: Viewer, pk: int, *, lock: bool = False) -> CareService:
    """One service (for a write, the service looks it up again with `lock`)."""
    qs = CareService.objects.select_related(*SERVICE_RELATED, "plan__grid__org_node")
    return _one(qs, pk, user, lambda service: service_visible(user, service), lock)


def services_for_today(user: Viewer, day: dt.date) -> QuerySet[CareService]:
    """The services booked for a day (or earlier, still booked) that the reader gives as a volunteer."""
    if not is_signed_in(user):
        return CareService.objects.none()
    return (
        services_visible_to(user)
        .filter(volunteer_id=getattr(user, "pk", None), state=ServiceState.ORDERED, scheduled_on__lte=day)
        .order_by("scheduled_on", "id")
    )


# ---- community-wide things: the rota, children's places, legal aid ------------------------------------------


def communities_for(user: Viewer) -> QuerySet[OrgNode]:
    """The communities a staff member works in or above: those in their subtree, and the one their own node lies
    in (a grid worker's account sits on a compound or a community)."""
    prefix = tree_scope_path(user)
    qs = OrgNode.objects.filter(kind="community")
    if prefix is None:
        return qs.none()
    if prefix == "":
        return qs
    return qs.filter(Q(path__startswith=prefix) | Q(pk__in=path_ids(prefix)))


def rota_visible_to(user: Viewer) -> QuerySet[OnCallProfessional]:
    return OnCallProfessional.objects.filter(community__in=communities_for(user)).select_related("community")


def rota_get_for(user: Viewer, pk: int) -> OnCallProfessional:
    return get_or_404(rota_visible_to(user), pk=pk)


def on_duty(user: Viewer, day: dt.date, *, kind: str = "") -> list[OnCallProfessional]:
    """Who of the rota is on duty on a day (the professionals the reader may call)."""
    qs = rota_visible_to(user).filter(active=True, weekdays__contains=str(day.isoweekday()))
    if kind:
        qs = qs.filter(kind=kind)
    return list(qs)


def lawyers_for(user: Viewer) -> QuerySet[OnCallProfessional]:
    return rota_visible_to(user).filter(active=True, kind=Professional.LAWYER)


def child_places_visible_to(user: Viewer) -> QuerySet[ChildPlace]:
    return (
        ChildPlace.objects.filter(community__in=communities_for(user))
        .select_related("community")
        .annotate(
            taken=Count("enrolments", filter=Q(enrolments__state=EnrolmentState.ENROLLED)),
            waiting=Count("enrolments", filter=Q(enrolments__state=EnrolmentState.WAITING)),
        )
    )


def enrolments_visible_to(user: Viewer) -> QuerySet[Enrolment]:
    return Enrolment.objects.filter(place__community__in=communities_for(user)).select_related("place")


def enrolment_get_for(user: Viewer, pk: int) -> Enrolment:
    return get_or_404(enrolments_visible_to(user), pk=pk)


def child_place_read_for(user: Viewer, pk: int) -> ChildPlace:
    """A place with its children and guardians' phones: the read is audited."""
    place = get_or_404(child_places_visible_to(user), pk=pk)
    audit_record(actor=user, action="child_place_read", obj=place)
    return place


def legal_aid_visible_to(user: Viewer) -> QuerySet[LegalAidApplication]:
    """Legal-aid applications are read like mediation cases: supervisors all of their area, the front line only
    those it took."""
    qs = LegalAidApplication.objects.select_related("grid", "grid__org_node", "lawyer")
    return _confidential(qs, user, lambda me: Q(opened_by=me))


def legal_aid_read_for(user: Viewer, pk: int) -> LegalAidApplication:
    row = get_or_404(legal_aid_visible_to(user), pk=pk)
    audit_record(actor=user, action="legal_aid_read", obj=row)
    return row


def talks_visible_to(user: Viewer) -> QuerySet[LegalTalk]:
    return LegalTalk.objects.filter(community__in=communities_for(user)).select_related("community")


def legal_summary(user: Viewer) -> dict[str, Any]:
    apps = legal_aid_visible_to(user)
    by_state = dict(apps.values_list("state").annotate(n=Count("pk")).values_list("state", "n"))
    recovered = apps.aggregate(total=Sum("amount_recovered"))["total"] or 0
    talks = talks_visible_to(user).aggregate(n=Count("pk"), people=Sum("audience"))
    return {
        "by_state": by_state,
        "recovered": recovered,
        "talks": talks["n"] or 0,
        "audience": talks["people"] or 0,
        "open": by_state.get(LegalAidState.APPLIED, 0) + by_state.get(LegalAidState.ASSIGNED, 0),
    }


# ---- the dashboard's panel ----------------------------------------------------------------------------------


def overview(path: str, start: dt.date, end: dt.date) -> dict[str, Any]:
    """Care and mediation in an area (org path prefix, "" for all) over a period, for the dashboard: visits and
    calls due in the period done on their day, by colour; missed and escalated (still open), and covered (missed,
    then settled by a later contact that reached the person: not done); services delivered; alerts;
    mediation cases opened by kind and closed by outcome; legal aid concluded; the amounts recovered."""
    today = timezone.localdate()
    # Today's contacts count once done; those not yet done still have the rest of the day.
    contacts = CareContact.objects.filter(
        plan__grid__org_node__path__startswith=path, due_on__range=(start, min(end, today))
    ).filter(Q(due_on__lt=today) | Q(state=ContactState.DONE))
    on_time = _on_time_by_level(contacts)
    late = contacts.aggregate(
        missed=Count("pk", filter=Q(state=ContactState.MISSED)),
        escalated=Count("pk", filter=Q(state=ContactState.ESCALATED)),
        refused=Count("pk", filter=Q(state=ContactState.DONE, outcome=ContactOutcome.REFUSED)),
        covered=Count("pk", filter=Q(state=ContactState.COVERED)),
    )
    cases = MediationCase.objects.filter(grid__org_node__path__startswith=path)
    opened = cases.filter(created_at__date__range=(start, end))
    closed = cases.filter(closed_at__date__range=(start, end))
    legal = LegalAidApplication.objects.filter(
        grid__org_node__path__startswith=path, closed_at__date__range=(start, end), state=LegalAidState.CLOSED
    )
    return {
        "on_time": on_time,
        "missed": late["missed"],
        "escalated": late["escalated"],
        "refused": late["refused"],
        "covered": late["covered"],
        "services": CareService.objects.filter(
            plan__grid__org_node__path__startswith=path,
            state=ServiceState.DELIVERED,
            delivered_at__date__range=(start, end),
        ).count(),
        "alerts": CareAlert.objects.filter(
            plan__grid__org_node__path__startswith=path, created_at__date__range=(start, end)
        ).count(),
        "cases_by_kind": list(opened.values_list("kind").annotate(n=Count("pk")).order_by("-n")),
        "cases_by_outcome": list(closed.values_list("outcome").annotate(n=Count("pk")).order_by("-n")),
        "cases_opened": opened.count(),
        "recovered": (closed.aggregate(t=Sum("amount_recovered"))["t"] or 0)
        + (legal.aggregate(t=Sum("amount_recovered"))["t"] or 0),
        "legal_aid": legal.count(),
    }
