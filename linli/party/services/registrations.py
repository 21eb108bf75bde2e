"""双报到: a member employed elsewhere registers with the community where they live, online (a page, or the
community's QR code) or through a worker; the community approves or refuses with a reason, then gives the
member a post in one of its grids (by specialty), with duties the member sees on their own page.

A registration is a small state machine, written the house way (`_common.transition`, as the star ratings are):
the row locked and read again, the move checked against `REGISTRATION_TRANSITIONS`, compare-and-swap on the state,
one audit row per transition.

    pending → approved → active (on post) → ended
    pending / approved → refused (with a reason)        pending → active (approved and posted in one step)
"""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from linli.core.errors import InvalidTransition, PermissionDenied, invalid
from linli.core.validators import checked, clean_text, validate_phone
from linli.territory.choices import NodeKind
from linli.territory.models import Grid, OrgNode
from linli.territory.selectors import community_of, grids_visible_to

from .. import permissions, selectors
from ..choices import (
    OPEN_REGISTRATION_STATES,
    SPECIALTY_POSTS,
    Availability,
    MemberStatus,
    RefusalReason,
    RegistrationSource,
    RegistrationStatus,
    Specialty,
)
from ..models import MemberRegistration, PartyMember
from ._common import Actor, audit, seen, text, transition

REGISTRATION_TRANSITIONS: dict[str, set[str]] = {
    RegistrationStatus.PENDING: {
        RegistrationStatus.APPROVED,
        RegistrationStatus.REFUSED,
        RegistrationStatus.ACTIVE,
        RegistrationStatus.ENDED,
    },
    RegistrationStatus.APPROVED: {
        RegistrationStatus.ACTIVE,
        RegistrationStatus.REFUSED,
        RegistrationStatus.ENDED,
    },
    RegistrationStatus.ACTIVE: {RegistrationStatus.ENDED},
    RegistrationStatus.REFUSED: set(),
    RegistrationStatus.ENDED: set(),
}


def _already_registered(existing: MemberRegistration | None = None) -> Exception:
    if existing is None:
        return invalid(
            "member", _("This member is already registered with a community; end that registration first.")
        )
    return invalid(
        "phone",
        _(
            "You registered with %(community)s on %(date)s (%(state)s); a member registers with one community"
            " only. Ask that community to end the registration first."
        )
        % {
            "community": existing.community.name,
            "date": existing.registered_on.isoformat(),
            "state": existing.get_status_display(),
        },
    )


def _check_community(community: OrgNode) -> None:
    if community.kind != NodeKind.COMMUNITY:
        raise invalid(
            "community",
            _("A member registers with a community, not with a %(kind)s.")
            % {"kind": community.get_kind_display()},
        )


def _check_details(workplace: str, specialty: str) -> str:
    workplace = text(
        "workplace",
        workplace,
        limit=120,
        required=True,
        message=_("State where the member works (at most 120 characters)."),
    )
    if specialty not in Specialty.values:
        raise invalid("specialty", _("Choose a specialty from the list."))
    return workplace


def _create(**values: Any) -> MemberRegistration:
    try:
        with transaction.atomic():
            return MemberRegistration.objects.create(status=RegistrationStatus.PENDING, **values)
    except IntegrityError:  # registered meanwhile by another request
        raise _already_registered() from None


@transaction.atomic
def member_registration_register(
    *,
    actor: Actor,
    member: PartyMember,
    community: OrgNode,
    workplace: str,
    specialty: str,
    registered_on: dt.date | None = None,
    availability: str = "",
) -> MemberRegistration:
    """A worker (or an import) records that a member known here registers with the community; it starts
    pending."""
    _check_community(community)
    if actor is not None:
        permissions.require(actor, "registration_decide", community.path)
    workplace = _check_details(workplace, specialty)
    registered_on = registered_on or timezone.localdate()
    if registered_on > timezone.localdate():
        raise invalid("registered_on", _("The registration date cannot be in the future."))
    if availability and availability not in Availability.values:
        raise invalid("availability", _("Choose when you are available from the list."))
    if member.status != MemberStatus.ACTIVE:
        raise invalid("member", _("%(name)s has left and cannot register.") % {"name": member.name})
    if MemberRegistration.objects.filter(member=member, status__in=OPEN_REGISTRATION_STATES).exists():
        raise _already_registered()
    registration = _create(
        member=member,
        name=member.name,
        phone=member.phone,
        community=community,
        workplace=workplace,
        specialty=specialty,
        availability=availability,
        registered_on=registered_on,
        source=RegistrationSource.STAFF,
    )
    audit(
        actor,
        "member_registration_register",
        registration,
        to=RegistrationStatus.PENDING,
        community=community.pk,
        specialty=specialty,
    )
    return registration


@transaction.atomic
def member_registration_apply(
    *,
    actor: Actor,
    community: OrgNode,
    name: str,
    phone: str,
    workplace: str,
    workplace_branch: str,
    specialty: str,
    availability: str,
    note: str = "",
    source: str = RegistrationSource.PAGE,
) -> MemberRegistration:
    """A member registers online (from the page, or having scanned the community's QR code). Refused at once
    when the phone already has an open registration, or when the member is known here as living in another
    community; otherwise pending until the community decides. The member follows it through `token`."""
    _check_community(community)
    name = text("name", name, limit=50, required=True, message=_("Give your name (at most 50 characters)."))
    phone = checked("phone", validate_phone, (phone or "").strip())
    workplace = _check_details(workplace, specialty)
    workplace_branch = text(
        "workplace_branch",
        workplace_branch,
        limit=120,
        required=True,
        message=_("Name the party organisation you belong to at work (at most 120 characters)."),
    )
    if availability not in Availability.values:
        raise invalid("availability", _("Choose when you are available from the list."))
    if source not in (RegistrationSource.PAGE, RegistrationSource.QR):
        source = RegistrationSource.PAGE
    existing = selectors.open_registration_for_phone(phone)
    if existing is not None:
        raise _already_registered(existing)
    member = (
        PartyMember.objects.filter(phone=phone, name=name, status=MemberStatus.ACTIVE)
        .select_related("resident__grid__org_node")
        .first()
    )
    if member is not None and member.resident is not None:
        home = community_of(member.resident.grid.org_node)
        if home is not None and home.pk != community.pk:
            raise invalid(
                "community",
                _("You are registered as living in %(home)s: register with the community where you live.")
                % {"home": home.name},
            )
    registration = _create(
        member=member,
        name=name,
        phone=phone,
        community=community,
        workplace=workplace,
        workplace_branch=workplace_branch,
        specialty=specialty,
        availability=availability,
        note=text("note", note, limit=200),
        registered_on=timezone.localdate(),
        source=source,
        token=secrets.token_urlsafe(18),
    )
    audit(
        actor,
        "member_registration_apply",
        registration,
        to=RegistrationStatus.PENDING,
        community=community.pk,
        source=source,
        member=member.pk if member else None,
    )
    return registration


def _refused(current: str, to: str) -> InvalidTransition:
    return InvalidTransition(
        _("A registration that is %(state)s cannot become %(to)s.")
        % {"state": RegistrationStatus(current).label, "to": RegistrationStatus(to).label}
    )


def _transition(
    *,
    actor: Actor,
    registration: MemberRegistration,
    to: str,
    action: str,
    reason: str = "",
    **changes: Any,
) -> MemberRegistration:
    """Move `registration` to `to` by `REGISTRATION_TRANSITIONS` (`_common.transition`), with one audit row."""
    locked, current = transition(
        registration, field="status", to=to, table=REGISTRATION_TRANSITIONS, refused=_refused, **changes
    )
    audit(
        actor,
        f"member_registration_{action}",
        locked,
        **{"from": current, "to": to, "reason": reason},
        **{k: str(getattr(v, "pk", v)) for k, v in changes.items()},
    )
    return locked


def _require(actor: Actor, registration: MemberRegistration) -> None:
    """A person (not the system) deciding must be a community worker or above whose area holds the community."""
    if actor is not None and not permissions.may(actor, "registration_decide", registration.community.path):
        raise PermissionDenied(_("Only a worker of this community may decide on its member registrations."))


@transaction.atomic
def member_registration_approve(*, actor: Actor, registration: MemberRegistration) -> MemberRegistration:
    """The community accepts the registration; a post follows. A member known here by name and phone is linked."""
    _require(actor, registration)
    member = registration.member or (
        PartyMember.objects.filter(
            phone=registration.phone, name=registration.name, status=MemberStatus.ACTIVE
        ).first()
        if registration.phone
        else None
    )
    return _transition(
        actor=actor,
        registration=registration,
        to=RegistrationStatus.APPROVED,
        action="approve",
        decided_at=timezone.now(),
        member=member,
    )


@transaction.atomic
def member_registration_refuse(
    *, actor: Actor, registration: MemberRegistration, reason: str, note: str = ""
) -> MemberRegistration:
    """The community refuses the registration and says why; the member reads the reason on their page."""
    _require(actor, registration)
    if reason not in RefusalReason.values:
        raise invalid("reason", _("Choose the reason for refusing from the list."))
    note = text(
        "note",
        note,
        limit=200,
        required=reason == RefusalReason.OTHER,
        message=_("Explain the refusal (at most 200 characters)."),
    )
    return _transition(
        actor=actor,
        registration=registration,
        to=RegistrationStatus.REFUSED,
        action="refuse",
        reason=reason,
        refusal_reason=reason,
        refusal_note=note,
        decided_at=timezone.now(),
    )


@transaction.atomic
def member_registration_assign_post(
    *, actor: Actor, registration: MemberRegistration, grid: Grid, post: str, duties: str = ""
) -> MemberRegistration:
    """The community gives an approved (or still pending) member a post in one of its grids, with duties
    (by default those of the member's specialty)."""
    community = registration.community
    _require(actor, registration)
    grid = seen(actor, grids_visible_to(actor), grid, "grid")
    post = text("post", post, limit=60, required=True, message=_("Name the post (at most 60 characters)."))
    duties = text("duties", duties, limit=300) or SPECIALTY_POSTS.get(registration.specialty, ("", ""))[1]
    if not grid.org_node.path.startswith(community.path):
        raise invalid(
            "grid",
            _("The grid %(grid)s is not in %(community)s, where the member registered.")
            % {"grid": grid.name, "community": community.name},
        )
    changes: dict[str, Any] = {"grid": grid, "post": post, "duties": duties}
    if registration.decided_at is None:
        changes["decided_at"] = timezone.now()
    return _transition(
        actor=actor, registration=registration, to=RegistrationStatus.ACTIVE, action="assign_post", **changes
    )


@transaction.atomic
def member_registration_end(
    *, actor: Actor, registration: MemberRegistration, reason: str = ""
) -> MemberRegistration:
    """End a registration (the member moved away or left the post); the member may register again."""
    _require(actor, registration)
    return _transition(
        actor=actor,
        registration=registration,
        to=RegistrationStatus.ENDED,
        action="end",
        reason=clean_text("reason", reason, most=200),
    )
