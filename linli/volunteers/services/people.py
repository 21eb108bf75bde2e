"""Volunteers: enrol a volunteer (staff, or a resident for themselves), keep their skills, certificates,
availability and grids; their time bank accounts. Teams are in `teams`."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.utils.translation import gettext as _

from linli.core.audit import audit
from linli.core.errors import Conflict
from linli.core.scoping import signed_in_account
from linli.core.validators import clean_text, validate_phone
from linli.party.models import PartyMember
from linli.party.selectors import (
    communities_open_to_all,
    partner_units_for,
    party_members_visible_to,
)
from linli.territory.models import Grid, Organisation, OrgNode, Resident
from linli.territory.selectors import grids_visible_to, residents_visible_to
from linli.territory.services import checked

from .. import permissions
from ..choices import AccountKind, VolunteerKind
from ..models import BankAccount, Volunteer
from ._common import (
    Actor,
    account_free,
    certificates_checked,
    invalid,
    own_or_managed,
    served_community,
    within_reach,
)
from .linking import volunteer_claim


def community_bank(community: OrgNode) -> BankAccount:
    """The community's time bank account (made on first use): it issues the hours volunteers earn."""
    bank, _created = BankAccount.objects.get_or_create(
        community=community,
        kind=AccountKind.BANK,
        defaults={"name": _("%(community)s time bank") % {"community": community.name}, "min_balance": None},
    )
    return bank


def organisation_account(*, actor: Actor, community: OrgNode, organisation: Organisation) -> BankAccount:
    """An organisation's account in a community's time bank (a care home, a partner unit), made on first use."""
    permissions.require(actor, "bank_manage", community.path)
    account, _created = BankAccount.objects.get_or_create(
        community=community,
        kind=AccountKind.ORGANISATION,
        organisation=organisation,
        defaults={"name": organisation.name},
    )
    return account


@transaction.atomic
def volunteer_enrol(
    *,
    actor: Actor,
    community: OrgNode,
    name: str,
    phone: str = "",
    kind: str = VolunteerKind.RESIDENT,
    account_id: int | None = None,
    resident: Resident | None = None,
    party_member: PartyMember | None = None,
    unit: Organisation | None = None,
    skills: str = "",
    certificates: Iterable[str] = (),
    availability: str = "",
    grids: Iterable[Grid] = (),
) -> Volunteer:
    """A staff member (or the system) enrols a volunteer of a community; their time bank account opens with it."""
    community = served_community(actor, community)
    permissions.require(actor, "volunteer_manage", community.path)
    if kind not in VolunteerKind.values:
        raise invalid("kind", _("Choose what kind of volunteer this is."))
    within_reach(actor, "resident", resident, residents_visible_to)
    within_reach(actor, "party_member", party_member, party_members_visible_to)
    if party_member is not None:
        if Volunteer.objects.filter(party_member=party_member).exists():
            raise Conflict(_("This party member is already registered as a volunteer."))
        kind = VolunteerKind.MEMBER
    if kind == VolunteerKind.UNIT_STAFF and unit is None:
        raise invalid("unit", _("Name the unit this volunteer works for."))
    within_reach(actor, "unit", unit, partner_units_for)
    account_free(account_id)
    chosen_grids = list(grids)
    allowed = grids_visible_to(actor) if actor is not None else Grid.objects.all()
    if any(
        not allowed.filter(pk=g.pk, org_node__path__startswith=community.path).exists() for g in chosen_grids
    ):
        raise invalid("grids", _("Choose grids of this community."))
    volunteer = Volunteer.objects.create(
        name=clean_text("name", name, most=50, required=True),
        phone=checked("phone", validate_phone, phone) if phone else "",
        kind=kind,
        community=community,
        account_id=account_id,
        resident=resident,
        party_member=party_member,
        unit=unit,
        skills=clean_text("skills", skills, most=200),
        certificates=certificates_checked(certificates),
        availability=clean_text("availability", availability, most=200),
    )
    volunteer.grids.set(chosen_grids)
    BankAccount.objects.create(
        kind=AccountKind.PERSON, name=volunteer.name, community=community, volunteer=volunteer
    )
    community_bank(community)
    audit(actor, "volunteers.volunteer_enrol", volunteer, community=community.pk)
    return volunteer


@transaction.atomic
def volunteer_register_self(
    *,
    actor: Actor,
    community: OrgNode,
    name: str,
    phone: str = "",
    skills: str = "",
    certificates: Iterable[str] = (),
    availability: str = "",
) -> Volunteer:
    """A signed-in resident registers as a volunteer of a community: the record the community enrolled for them
    without an account, when there is one, is linked to their account (`volunteer_claim`), else one is enrolled."""
    account = signed_in_account(actor)
    if not communities_open_to_all().filter(pk=community.pk).exists():
        raise invalid("community", _("Choose a community."))
    account_free(account.pk)
    claimed = volunteer_claim(
        actor=account,
        community=community,
        skills=skills,
        certificates=certificates,
        availability=availability,
    )
    if claimed is not None:
        return claimed
    return volunteer_enrol(
        actor=None,
        community=community,
        name=name,
        phone=phone or getattr(account, "phone", ""),
        account_id=account.pk,
        skills=skills,
        certificates=certificates,
        availability=availability,
    )


@transaction.atomic
def volunteer_update(
    *,
    actor: Actor,
    volunteer: Volunteer,
    skills: str,
    certificates: Iterable[str],
    availability: str,
    active: bool | None = None,
) -> Volunteer:
    """Skills, certificates and availability, by the volunteer themselves or a worker of the community (only a
    worker makes a volunteer inactive)."""
    volunteer = (
        Volunteer.objects.select_for_update(of=("self",)).select_related("community").get(pk=volunteer.pk)
    )
    if not own_or_managed(actor, volunteer) or active is not None:
        permissions.require(actor, "volunteer_manage", volunteer.community.path)
    volunteer.skills = clean_text("skills", skills, most=200)
    volunteer.certificates = certificates_checked(certificates)
    volunteer.availability = clean_text("availability", availability, most=200)
    fields = ["skills", "certificates", "availability", "updated_at"]
    if active is not None:
        volunteer.active = active
        fields.append("active")
    volunteer.save(update_fields=fields)
    audit(actor, "volunteers.volunteer_update", volunteer, certificates=volunteer.certificates)
    return volunteer
