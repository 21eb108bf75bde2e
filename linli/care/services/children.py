"""一小: children's places (托育 nurseries, 四点半课堂 after-school classes, 儿童之家 children's homes) with
sign-ups and a waiting list. A sign-up takes a free place or waits in line by the time it was made; when a child
leaves, the first in line gets the place and the guardian is told by SMS."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from linli.core.audit import audit_record
from linli.core.errors import Conflict, invalid
from linli.core.outbox import sms_enqueue
from linli.core.refusals import Refusals
from linli.core.scoping import Actor, get_or_404
from linli.core.validators import checked, clean_text, validate_phone
from linli.territory.models import OrgNode

from .. import permissions
from ..choices import ChildPlaceKind, EnrolmentState
from ..models import ChildPlace, Enrolment
from ..selectors import communities_for, enrolments_visible_to
from .plans import community_require


@transaction.atomic
def child_place_create(
    *,
    actor: Actor,
    community: OrgNode,
    kind: str,
    name: str,
    capacity: int,
    address: str = "",
    ages: str = "",
    hours: str = "",
) -> ChildPlace:
    community = community_require(actor, community, "children_manage")
    if kind not in ChildPlaceKind.values:
        raise invalid("kind", _("Choose the kind of place."))
    if not 1 <= int(capacity) <= 500:
        raise invalid("capacity", _("Between 1 and 500 places."))
    place = ChildPlace.objects.create(
        community=community,
        kind=kind,
        name=clean_text("name", name, least=2, most=100),
        capacity=int(capacity),
        address=clean_text("address", address, most=200),
        ages=clean_text("ages", ages, most=30, label=_("For ages")),
        hours=clean_text("hours", hours, most=60, label=_("Opening hours")),
    )
    audit_record(actor=actor, action="child_place_create", obj=place)
    return place


def _locked_place(actor: Actor, place: ChildPlace, action: str) -> ChildPlace:
    # Not the annotated list selector: PostgreSQL locks no row of a GROUP BY.
    qs = ChildPlace.objects.all()
    if actor is not None:
        qs = qs.filter(community__in=communities_for(actor))
    row = get_or_404(qs.select_for_update(of=("self",)).select_related("community"), pk=place.pk)
    permissions.require(actor, action, permissions.community_path(actor, row.community.path))
    return row


@transaction.atomic
def enrolment_create(
    *,
    actor: Actor,
    place: ChildPlace,
    child_name: str,
    birth_date: dt.date,
    guardian_name: str,
    guardian_phone: str,
) -> Enrolment:
    """Sign a child up: a free place is theirs at once; when the place is full they wait in line."""
    place = _locked_place(actor, place, "children_enrol")
    if not place.active:
        raise Conflict(_("This place is closed to sign-ups."))
    child_name = clean_text("child_name", child_name, least=2, most=50)
    today = timezone.localdate()
    refusals = Refusals()  # the date and the phone said at once, each on its field
    if birth_date > today:
        refusals.add("birth_date", _("The date of birth cannot be later than today."))
    elif birth_date < today - dt.timedelta(days=365 * 16):
        refusals.add("birth_date", _("A child under 16: check the date of birth."))
    guardian_phone = refusals.check(checked, "guardian_phone", validate_phone, guardian_phone)
    refusals.raise_any()
    open_rows = place.enrolments.filter(state__in=[EnrolmentState.ENROLLED, EnrolmentState.WAITING])
    if open_rows.filter(child_name=child_name, birth_date=birth_date).exists():
        raise invalid("child_name", _("This child is already signed up here."))
    taken = place.enrolments.filter(state=EnrolmentState.ENROLLED).count()
    now = timezone.now()
    state = EnrolmentState.ENROLLED if taken < place.capacity else EnrolmentState.WAITING
    enrolment = Enrolment.objects.create(
        place=place,
        child_name=child_name,
        birth_date=birth_date,
        guardian_name=clean_text("guardian_name", guardian_name, least=2, most=50),
        guardian_phone=guardian_phone,
        state=state,
        enrolled_at=now if state == EnrolmentState.ENROLLED else None,
        signed_up_by_id=getattr(actor, "pk", None),
    )
    audit_record(actor=actor, action="enrolment_create", obj=enrolment, detail={"state": state})
    return enrolment


@transaction.atomic
def enrolment_leave(*, actor: Actor, enrolment: Enrolment) -> Enrolment | None:
    """A child leaves (or is taken off the waiting list); a freed place goes to the first in line, whose guardian
    is told. Returns the enrolment that got the place, if any."""
    qs = enrolments_visible_to(actor) if actor is not None else Enrolment.objects.all()
    row = get_or_404(qs.select_related("place"), pk=enrolment.pk)
    place = _locked_place(actor, row.place, "children_enrol")
    now = timezone.now()
    left = Enrolment.objects.filter(
        pk=row.pk, state__in=[EnrolmentState.ENROLLED, EnrolmentState.WAITING]
    ).update(state=EnrolmentState.LEFT, left_at=now, updated_at=now)
    if left != 1:
        raise Conflict(_("This child has left already."))
    audit_record(actor=actor, action="enrolment_leave", obj=row)
    if row.state != EnrolmentState.ENROLLED:
        return None
    return _promote(place, now)


def _promote(place: ChildPlace, now: dt.datetime) -> Enrolment | None:
    taken = place.enrolments.filter(state=EnrolmentState.ENROLLED).count()
    if taken >= place.capacity:
        return None
    first = place.enrolments.filter(state=EnrolmentState.WAITING).order_by("created_at", "id").first()
    if first is None:
        return None
    if Enrolment.objects.filter(pk=first.pk, state=EnrolmentState.WAITING).update(
        state=EnrolmentState.ENROLLED, enrolled_at=now, updated_at=now
    ):
        sms_enqueue(
            phone=first.guardian_phone,
            text=_("%(child)s has a place at %(place)s now. Please come to the community to confirm.")
            % {"child": first.child_name, "place": place.name},
        )
        first.refresh_from_db()
        return first
    return None
