"""Every write of care and mediation. Each service looks up what it names through the actor's scope, checks the
who-may table (permissions.py) and the allowed transitions (workflow.py), changes the row by compare-and-swap or
under a lock, writes an event or audit row, and queues notifications for after the commit."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterable
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from linli.core import served
from linli.core.audit import audit_record
from linli.core.errors import Conflict, DomainError, NotFound, invalid
from linli.core.orgpath import path_ids
from linli.core.outbox import notification_after_commit
from linli.core.roles import Role
from linli.core.scoping import Account, Actor, get_or_404, is_staff_member
from linli.core.validators import checked_phone, clean_text
from linli.territory.geometry import distance_m
from linli.territory.models import Grid, OrgNode, Resident
from linli.territory.selectors import community_of, residents_visible_to
from linli.territory.services import resident_update, visit_log

from .. import permissions, rules
from ..choices import (
    ATTEMPT_OUTCOME,
    COVERABLE_CONTACT_STATES,
    OPEN_CONTACT_STATES,
    ContactKind,
    ContactOutcome,
    ContactState,
    VisitorKind,
)
from ..models import (
    CareAssessment,
    CareAttempt,
    CareContact,
    CarePlan,
)
from ..selectors import communities_for, contact_get_for, contacts_before, grid_visitors
from ..visitors import visitor_check

logger = logging.getLogger(__name__)

SCHEDULE_DAYS = 14  # how far ahead the schedule is generated
ESCALATE_AFTER_DAYS = 2  # a missed contact still undone this many days after its day goes to the community
FAR_FROM_HOME_M = 300  # a visit recorded farther than this from the home is marked
MAX_CONTACT_MINUTES = 480
EXTEND_BATCH = 500  # plans whose new contacts the nightly job inserts at once


def _path(grid: Grid) -> str:
    return grid.org_node.path


def _notify_later(user: Account | None, title: str, body: str = "", url: str = "") -> None:
    notification_after_commit(user=user, title=title, body=body, url=url)


def community_require(actor: Actor, community: OrgNode, action: str) -> OrgNode:
    """A community named in a write on what the whole community shares (children's places, the rota, talks),
    looked up in the actor's scope (outside it: 404), and the action required where the actor stands in it."""
    if actor is not None:
        community = get_or_404(communities_for(actor), pk=community.pk)
    permissions.require(actor, action, permissions.community_path(actor, community.path))
    return community


def hand_over(record: served.Served, what: str) -> bool:
    """Hand one piece of service done to the apps that credit it (`core.served`); whether one credited it. A sink
    that refuses (a full account) is logged, not retried for ever: the caller marks the row handed over anyway."""
    try:
        with transaction.atomic():
            return bool(served.credit(record))
    except DomainError as exc:
        logger.warning("%s not credited: %s", what, exc)
        return False


def hand_over_due(
    due: QuerySet[Any],
    record: Callable[[Any, int], served.Served],
    what: str,
    *,
    now: dt.datetime,
    limit: int,
) -> int:
    """The worker's job for service done in care (visits, calls, services given by volunteers and members): claim
    the rows due (SKIP LOCKED, in `due`'s order), hand each to `core.served` once as `record(row, community id)`
    and mark it `served_at`: how many were credited somewhere."""
    credited = 0
    with transaction.atomic():
        for row in list(due.select_for_update(skip_locked=True, of=("self",))[:limit]):
            community = community_of(row.plan.grid.org_node)
            made = record(row, community.pk if community else row.plan.grid.org_node_id)
            credited += hand_over(made, f"{what} {row.pk}")
            type(row).objects.filter(pk=row.pk).update(served_at=now)
    return credited


def community_workers_of(grid: Grid) -> list[Any]:
    """The community workers whose part of the tree holds the grid (the community and its compounds above it)."""
    ids = path_ids(grid.org_node.path)
    return list(
        get_user_model().objects.filter(role=Role.COMMUNITY_WORKER, org_node_id__in=ids, is_active=True)
    )


# ---- care plans ---------------------------------------------------------------------------------------------


@transaction.atomic
def care_plan_confirm(
    *,
    actor: Actor,
    resident: Resident,
    level: str,
    reason: str,
    ill: bool = False,
    no_family_support: bool = False,
    caregiver: Any = None,
    needs: str = "",
    emergency_contact: str = "",
    emergency_phone: str = "",
) -> CarePlan:
    """Confirm a resident's care level (the rules propose one; a different level needs the reason to say why),
    set who visits, and (re)generate the schedule of visits and calls from today."""
    if actor is not None:
        resident = get_or_404(residents_visible_to(actor).select_related("grid__org_node"), pk=resident.pk)
    else:
        resident = Resident.objects.select_related("grid__org_node").get(pk=resident.pk)
    permissions.require(actor, "care_assess", _path(resident.grid))
    if level not in rules.LEVELS:
        raise invalid("level", _("Choose red, yellow or green."))
    reason = clean_text("reason", reason, least=4, most=1000)
    plan = CarePlan.objects.select_for_update().filter(resident=resident).first()
    if caregiver is not None and plan is not None and plan.caregiver_id == caregiver.pk:
        caregiver_kind = plan.caregiver_kind  # the visitor stays: no need to see them again
    else:
        caregiver_kind = visitor_check(actor, resident.grid, caregiver)
    now = timezone.now()
    today = timezone.localdate(now)
    proposal = rules.propose_level(resident, today=today, ill=ill, no_family_support=no_family_support)
    fields = {
        "grid": resident.grid,
        "level": level,
        "proposed_level": proposal.level,
        "proposal_reasons": "、".join(proposal.reasons)[:300],
        "reason": reason,
        "assessed_by_id": getattr(actor, "pk", None),
        "assessed_at": now,
        "reassess_on": rules.reassess_on(level, today),
        "caregiver": caregiver,
        "caregiver_kind": caregiver_kind,
        "needs": clean_text("needs", needs, most=1000, label=_("What they need")),
        "emergency_contact": clean_text(
            "emergency_contact", emergency_contact, most=50, label=_("Emergency contact")
        ),
        "emergency_phone": checked_phone("emergency_phone", emergency_phone),
    }
    if plan is None:
        plan = CarePlan.objects.create(resident=resident, **fields)
    else:
        for key, value in fields.items():
            setattr(plan, key, value)
        plan.scheduled_until = None
        plan.save(update_fields=[*fields, "scheduled_until", "updated_at"])
        # The schedule follows the new level and visitor from today on; what is past stays as it was.
        plan.contacts.filter(state=ContactState.DUE, due_on__gte=today).delete()
    CareAssessment.objects.create(
        plan=plan,
        proposed_level=proposal.level,
        level=level,
        reason=reason,
        ill=ill,
        no_family_support=no_family_support,
        actor_id=plan.assessed_by_id,
        at=now,
    )
    if resident.care_level != level:
        # The register shows the level too: the care app keeps it in step, as the system.
        resident_update(actor=None, resident=resident, care_level=level)
    care_schedule_extend(plan=plan, today=today)
    audit_record(actor=actor, action="care_plan_confirm", obj=plan, detail={"level": level})
    return plan


def care_schedule_extend(*, plan: CarePlan, today: dt.date) -> int:
    """Add the plan's visits and calls from today (or where the schedule stopped) to SCHEDULE_DAYS ahead, on
    every calendar day that falls due: care does not pause on weekends or holidays. Returns how many were added."""
    return _schedules_extend([plan], today=today, visitors=None)


@transaction.atomic
def _schedules_extend(plans: list[CarePlan], *, today: dt.date, visitors: dict[int, Any] | None) -> int:
    """`care_schedule_extend` for several plans in three queries: the grids' visitors (unless `visitors` holds
    them already), their new contacts in one insert, and their new end in one update. A plan's new contacts go
    to its visitor, else the grid's first grid worker (`selectors.grid_visitors`)."""
    until = today + dt.timedelta(days=SCHEDULE_DAYS)
    if visitors is None:
        visitors = grid_visitors({plan.grid_id for plan in plans if not plan.caregiver_id})
    rows: list[CareContact] = []
    extended: list[CarePlan] = []
    for plan in plans:
        start = max(today, plan.scheduled_until + dt.timedelta(days=1)) if plan.scheduled_until else today
        if start > until:
            continue
        if plan.caregiver_id:
            assignee, assignee_kind = plan.caregiver, plan.caregiver_kind
        else:
            assignee, assignee_kind = visitors.get(plan.grid_id), VisitorKind.WORKER
        anchor = timezone.localdate(plan.assessed_at)
        for kind, every in rules.frequency(plan.level).items():
            if not every:
                continue
            day = start
            while day <= until:
                if (day - anchor).days % every == 0:
                    rows.append(
                        CareContact(
                            plan=plan, kind=kind, due_on=day, assignee=assignee, assignee_kind=assignee_kind
                        )
                    )
                day += dt.timedelta(days=1)
        extended.append(plan)
    if rows:
        CareContact.objects.bulk_create(rows, ignore_conflicts=True)
    if extended:
        CarePlan.objects.filter(pk__in=[plan.pk for plan in extended]).update(scheduled_until=until)
    for plan in extended:
        plan.scheduled_until = until
    return len(rows)


def care_contact_check_open(contact: CareContact) -> None:
    """Refuse a second record of a visit or call already recorded (reached, or refused by the person), or one
    covered by a later contact that reached the person."""
    if contact.state == ContactState.COVERED:
        raise Conflict(
            _("This call was covered by a later contact that reached the person: it cannot be recorded.")
            if contact.kind == ContactKind.CALL
            else _(
                "This visit was covered by a later contact that reached the person: it cannot be recorded."
            )
        )
    if contact.state not in OPEN_CONTACT_STATES:
        raise Conflict(
            _("This call was already recorded: it cannot be recorded again.")
            if contact.kind == ContactKind.CALL
            else _("This visit was already recorded: it cannot be recorded again.")
        )


def care_contact_record(
    *,
    actor: Actor,
    contact: CareContact,
    found: str,
    needs_raised: str = "",
    lng: float | None = None,
    lat: float | None = None,
    minutes: int | None = None,
    outcome: str = ContactOutcome.REACHED,
) -> CareContact:
    """Record a visit or call of the schedule (also one that was missed: late is better than never). A home visit
    goes into the grid's visit log too, with the distance from the home when the phone gave its position.

    `outcome`: reached, or refused (the person declined: it closes the contact with its note, but it is no visit
    made, so it goes into no visit log and no time bank); nobody at home (a visit) or no answer (a call) is an
    attempt (`CareAttempt`, its note optional) that leaves the contact open for another try.

    The person it is assigned to may record it (a volunteer or party member too); anyone else needs the
    who-may table. A volunteer's or member's home visit counts in the time bank, so it needs the phone's
    position, within FAR_FROM_HOME_M of the home; a worker's far visit is only marked."""
    contact = contact_get_for(actor, contact.pk)
    own = actor is not None and contact.assignee_id == actor.pk
    if not own:
        permissions.require(actor, "care_record", _path(contact.plan.grid))
    care_contact_check_open(contact)
    if outcome not in ContactOutcome.values:
        raise invalid("outcome", _("Choose how the visit or call went."))
    attempt = outcome in ATTEMPT_OUTCOME.values()
    if attempt and ATTEMPT_OUTCOME[ContactKind(contact.kind)] != outcome:
        raise invalid(
            "outcome",
            _("A phone call cannot find nobody at home: choose 'No answer'.")
            if contact.kind == ContactKind.CALL
            else _("A home visit cannot go unanswered: choose 'Nobody at home'."),
        )
    found = clean_text("found", found, least=0 if attempt else 4, most=500 if attempt else 2000)
    if minutes is not None and not 1 <= minutes <= MAX_CONTACT_MINUTES:
        raise invalid("minutes", _("Between 1 and %(n)d minutes.") % {"n": MAX_CONTACT_MINUTES})
    needs_raised = (needs_raised or "").strip()
    if len(needs_raised) > 200:
        raise invalid("needs_raised", _("At most %(n)d characters.") % {"n": 200})
    household = contact.plan.resident.household
    distance = None
    if lng is not None and lat is not None and household is not None:
        distance = round(distance_m(lng, lat, household.building.lng, household.building.lat))
    if own and contact.assignee_kind != VisitorKind.WORKER and contact.kind == ContactKind.VISIT:
        if household is not None and distance is None:
            raise invalid("found", _("Let your phone share its position: a visit is recorded at the home."))
        if distance is not None and distance > FAR_FROM_HOME_M:
            raise invalid(
                "found",
                _("You are %(m)d m from the home: record the visit when you are there.") % {"m": distance},
            )
    now = timezone.now()
    if attempt:
        return _contact_attempt(actor=actor, contact=contact, outcome=outcome, note=found, now=now)
    recorded = {
        "state": ContactState.DONE,
        "outcome": outcome,
        "done_at": now,
        "done_by_id": getattr(actor, "pk", None),
        "found": found,
        "needs_raised": needs_raised,
        "distance_m": distance,
        "minutes": minutes,
    }
    with transaction.atomic():
        claimed = CareContact.objects.filter(pk=contact.pk, state__in=OPEN_CONTACT_STATES).update(**recorded)
        if claimed != 1:
            contact.refresh_from_db(fields=["state"])
            care_contact_check_open(contact)
        if contact.kind == ContactKind.VISIT and household is not None and outcome == ContactOutcome.REACHED:
            # A volunteer's or member's visit goes into the grid's log as the system's (they keep no log).
            visit = visit_log(
                actor=actor if is_staff_member(actor) else None,
                household=household,
                found=found,
                follow_up=needs_raised,
                visited_at=now,
            )
            CareContact.objects.filter(pk=contact.pk).update(visit=visit)
            contact.visit = visit
        covered = _cover_older(actor, contact, now) if outcome == ContactOutcome.REACHED else []
        audit_record(
            actor=actor,
            action="care_contact_record",
            obj=contact,
            detail={"distance_m": distance, "outcome": outcome, "covered": covered},
        )
    for field, value in recorded.items():  # what was written, not read back
        setattr(contact, field, value)
    return contact


def care_contact_coverable(contact: CareContact) -> QuerySet[CareContact]:
    """The open contacts of the person and kind due before `contact` that reaching the person with it settles:
    those due and missed. An escalated one is the community's, told of it and perhaps acting on it: it stays
    escalated, for them (or the visitor) to record."""
    return contacts_before(contact, *COVERABLE_CONTACT_STATES)


def _cover_older(actor: Actor, contact: CareContact, now: dt.datetime) -> list[int]:
    """Close the older missed and undone contacts of the person and kind as covered by `contact`, just recorded as
    reached: not done (they were not, and the figures say so), no longer to do. Each row is flipped by
    compare-and-swap on its open state (one recorded meanwhile keeps its record) and audited. Their ids."""
    ids = list(care_contact_coverable(contact).select_for_update(of=("self",)).values_list("pk", flat=True))
    covered = []
    for pk in ids:
        if (
            CareContact.objects.filter(pk=pk, state__in=COVERABLE_CONTACT_STATES).update(
                state=ContactState.COVERED,
                covered_by=contact,
                covered_by_user_id=getattr(actor, "pk", None),
                covered_at=now,
            )
            == 1
        ):
            covered.append(pk)
            audit_record(
                actor=actor,
                action="care_contact_covered",
                object_type=CareContact._meta.label_lower,
                object_id=str(pk),
                detail={"covered_by": contact.pk},
            )
    return covered


def care_contact_reached_later(contact: CareContact) -> CareContact | None:
    """The latest later contact of the person and kind that reached them, if any."""
    return (
        CareContact.objects.filter(
            plan_id=contact.plan_id,
            kind=contact.kind,
            due_on__gt=contact.due_on,
            state=ContactState.DONE,
            outcome=ContactOutcome.REACHED,
        )
        .order_by("-done_at", "-pk")
        .first()
    )


def care_contact_cover(*, actor: Actor, contact: CareContact) -> CareContact:
    """The community closes an escalated visit or call as covered by the later one that reached the person (it
    stays escalated until someone who may record it says so: the community was told and may be acting on it).
    Only an escalated one, and only once a later contact of the kind reached the person; not done either."""
    contact = contact_get_for(actor, contact.pk)
    if not (actor is not None and contact.assignee_id == actor.pk):
        permissions.require(actor, "care_record", _path(contact.plan.grid))
    care_contact_check_open(contact)
    later = care_contact_reached_later(contact)
    if contact.state != ContactState.ESCALATED or later is None:
        raise Conflict(
            _(
                "Only an escalated visit or call can be closed so, once a later one of the kind reached the person."
            )
        )
    with transaction.atomic():
        claimed = CareContact.objects.filter(pk=contact.pk, state=ContactState.ESCALATED).update(
            state=ContactState.COVERED,
            covered_by=later,
            covered_by_user_id=getattr(actor, "pk", None),
            covered_at=timezone.now(),
        )
        if claimed != 1:
            contact.refresh_from_db(fields=["state"])
            care_contact_check_open(contact)
        audit_record(
            actor=actor,
            action="care_contact_covered",
            obj=contact,
            detail={"covered_by": later.pk, "escalated": True},
        )
    contact.refresh_from_db()
    return contact


def care_contacts_cover(
    *, actor: Actor, contacts: Iterable[CareContact]
) -> tuple[list[CareContact], list[tuple[CareContact, str]]]:
    """Close several escalated visits and calls as covered at once (the community's list): each through
    `care_contact_cover` on its own, so one refused (recorded or closed meanwhile, nobody reached since, not the
    actor's to close) holds back none of the others. What was closed, and what was refused with why."""
    closed: list[CareContact] = []
    refused: list[tuple[CareContact, str]] = []
    for contact in contacts:
        try:
            closed.append(care_contact_cover(actor=actor, contact=contact))
        except DomainError as exc:
            refused.append((contact, str(exc.message)))
    return closed, refused


def _contact_attempt(
    *, actor: Actor, contact: CareContact, outcome: str, note: str, now: dt.datetime
) -> CareContact:
    """An attempt that did not reach the person: its own row; the contact stays as it was (open), so it stays on
    the day page for another try and the night's chase treats it as before if it is never reached."""
    with transaction.atomic():
        state = (
            CareContact.objects.select_for_update()
            .filter(pk=contact.pk)
            .values_list("state", flat=True)
            .first()
        )
        if state is None:  # rescheduled away meanwhile (a new assessment drops the days to come)
            raise NotFound(_("This visit or call is no longer on the schedule."))
        contact.state = state  # read under the lock: the contact as it stays
        care_contact_check_open(contact)
        CareAttempt.objects.create(
            contact=contact, outcome=outcome, by_id=getattr(actor, "pk", None), at=now, note=note
        )
        audit_record(actor=actor, action="care_contact_attempt", obj=contact, detail={"outcome": outcome})
    return contact


def care_contacts_chase(*, now: dt.datetime | None = None, limit: int = 500) -> int:
    """Chase the schedule: a contact whose day has passed undone is missed (its visitor is warned); one still
    undone ESCALATE_AFTER_DAYS later is escalated (the community workers are told). Rows are claimed with
    SKIP LOCKED and flipped by compare-and-swap, so several workers may run it. Returns how many changed."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    changed = 0
    with transaction.atomic():
        late = list(
            CareContact.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(state=ContactState.DUE, due_on__lt=today)
            .select_related("plan__resident", "assignee")
            .order_by("due_on")[:limit]
        )
        for c in late:
            if CareContact.objects.filter(pk=c.pk, state=ContactState.DUE).update(
                state=ContactState.MISSED, warned_at=now
            ):
                changed += 1
                _notify_later(
                    c.assignee,
                    _("Missed: %(kind)s of %(name)s on %(day)s")
                    % {"kind": c.get_kind_display(), "name": c.plan.resident.name, "day": c.due_on},
                    _("Please make it up as soon as you can."),
                    reverse("care:today"),
                )
    with transaction.atomic():
        stale = list(
            CareContact.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(state=ContactState.MISSED, due_on__lte=today - dt.timedelta(days=ESCALATE_AFTER_DAYS))
            .select_related("plan__resident", "plan__grid__org_node", "assignee")
            .order_by("due_on")[:limit]
        )
        for c in stale:
            if CareContact.objects.filter(pk=c.pk, state=ContactState.MISSED).update(
                state=ContactState.ESCALATED, escalated_at=now
            ):
                changed += 1
                title = _("Escalated: %(kind)s of %(name)s undone since %(day)s") % {
                    "kind": c.get_kind_display(),
                    "name": c.plan.resident.name,
                    "day": c.due_on,
                }
                for worker in community_workers_of(c.plan.grid):
                    _notify_later(
                        worker, title, str(c.assignee or ""), reverse("care:plan", args=[c.plan_id])
                    )
    return changed


def care_schedules_extend(*, today: dt.date | None = None) -> int:
    """Keep every plan's schedule SCHEDULE_DAYS ahead (the nightly job). Each grid's visitor is read once for the
    run, and the plans are extended EXTEND_BATCH at a time: the queries do not grow with the plans."""
    today = today or timezone.localdate()
    horizon = today + dt.timedelta(days=SCHEDULE_DAYS)
    plans = list(
        CarePlan.objects.exclude(scheduled_until__gte=horizon).select_related("caregiver").order_by("pk")
    )
    visitors = grid_visitors({plan.grid_id for plan in plans if not plan.caregiver_id})
    return sum(
        _schedules_extend(plans[first : first + EXTEND_BATCH], today=today, visitors=visitors)
        for first in range(0, len(plans), EXTEND_BATCH)
    )
