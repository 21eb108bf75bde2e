"""One person, one volunteer record. A community enrols a volunteer at its desk (a record with no account); when
that person later signs in and registers, their record is linked to their account instead of a second one being
enrolled (`volunteer_claim`, by facts the system trusts: `selectors.records_awaiting`), and they read their
earlier hours, points and teams. A worker of the community links a record to the resident account found by its
number, or unlinks a wrong link (`volunteer_link_account`, `volunteer_unlink_account`). The record keeps its hours,
points, teams and sign-ups either way: only who signs in to it changes."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from linli.accounts.models import User
from linli.core.audit import audit
from linli.core.errors import Conflict
from linli.core.roles import Role
from linli.core.scoping import signed_in_account
from linli.core.validators import clean_text, validate_mobile
from linli.territory.models import OrgNode
from linli.territory.services import checked

from .. import permissions, selectors
from ..models import Volunteer
from ._common import Actor, account_free, certificates_checked, invalid, notify

ALREADY_LINKED = _("This volunteer record is already linked to an account.")


def _linked(
    *,
    actor: Actor,
    volunteer: Volunteer,
    account: User,
    how: str,
    skills: str = "",
    certificates: Iterable[str] = (),
    availability: str = "",
) -> Volunteer:
    """Link the record to the account under its lock: refused when the record has an account by now or the account
    has a record; the account's number fills a record without one, and what the person typed fills what the record
    lacks (their certificates added to those on it). Audited; the volunteer is told."""
    row = Volunteer.objects.select_for_update(of=("self",)).select_related("community").get(pk=volunteer.pk)
    if row.account_id is not None:
        raise Conflict(ALREADY_LINKED, code="volunteer_linked")
    account_free(account.pk)
    row.account = account
    fields = ["account", "updated_at"]
    typed = {
        "phone": account.phone,
        "skills": clean_text("skills", skills, most=200),
        "availability": clean_text("availability", availability, most=200),
    }
    for field, value in typed.items():
        if value and not getattr(row, field):
            setattr(row, field, value)
            fields.append(field)
    added = [c for c in certificates_checked(certificates) if c not in row.certificates]
    if added:
        row.certificates = [*row.certificates, *added]
        fields.append("certificates")
    try:
        with transaction.atomic():
            row.save(update_fields=fields)
    except IntegrityError:  # the account was linked to another record meanwhile
        raise Conflict(
            _("This account is already registered as a volunteer."), code="volunteer_linked"
        ) from None
    audit(actor, "volunteers.volunteer_link_account", row, account=account.pk, linked=how)
    notify(
        row,
        _("Your volunteer record is linked to your account"),
        _(
            "The record %(community)s keeps for you is yours to sign in to now: your hours, points and teams are there."
        )
        % {"community": row.community.name},
        reverse("volunteers:home"),
    )
    return row


@transaction.atomic
def volunteer_claim(
    *,
    actor: Actor,
    community: OrgNode,
    skills: str = "",
    certificates: Iterable[str] = (),
    availability: str = "",
) -> Volunteer | None:
    """A signed-in resident registering in `community` takes the record the community enrolled for them without an
    account, found by facts the system trusts (`selectors.records_awaiting`: their verified household and name, or
    their account's number), never by a name typed; None when there is none. Several such records are not guessed
    between: the resident is refused and sent to the community, whose worker links the right one."""
    account = signed_in_account(actor)
    account_free(account.pk)
    found = list(selectors.records_awaiting(account).filter(community=community)[:2])
    if not found:
        return None
    if len(found) > 1:
        raise invalid(
            "community",
            _(
                "%(community)s has registered more than one volunteer record that may be yours, so none is linked "
                "yet: please ask a worker of %(community)s to link the right one to your account."
            )
            % {"community": community.name},
        )
    record = found[0]
    how = "phone" if account.phone and record.phone == account.phone else "household"
    return _linked(
        actor=account,
        volunteer=record,
        account=account,
        how=how,
        skills=skills,
        certificates=certificates,
        availability=availability,
    )


@transaction.atomic
def volunteer_link_account(*, actor: Actor, volunteer: Volunteer, phone: str) -> Volunteer:
    """A worker of the community links a volunteer record without an account to the resident account with this
    mobile number. Refused, on the number, when no resident account has it, when that account is a volunteer
    already, or when it is verified in a household other than the one of the register's person the record names."""
    permissions.require(actor, "account_link", volunteer.community.path)
    if volunteer.account_id is not None:
        raise Conflict(ALREADY_LINKED, code="volunteer_linked")
    number = checked("phone", validate_mobile, phone)
    account = User.objects.filter(role=Role.RESIDENT, phone=number, is_active=True).first()
    if account is None:
        raise invalid(
            "phone",
            _("No resident account has this number: the person signs in once on their phone with it first."),
        )
    if Volunteer.objects.filter(account=account).exists():
        raise invalid(
            "phone", _("The account with this number is already a volunteer, with a record of its own.")
        )
    resident = volunteer.resident
    if (
        resident is not None
        and account.household_verified_at is not None
        and account.household_id != resident.household_id
    ):
        raise invalid(
            "phone",
            _(
                "The account with this number is verified in another household than %(name)s's on the register: "
                "check the number."
            )
            % {"name": volunteer.name},
        )
    return _linked(actor=actor, volunteer=volunteer, account=account, how="worker")


@transaction.atomic
def volunteer_unlink_account(*, actor: Actor, volunteer: Volunteer, reason: str = "") -> Volunteer:
    """A worker of the community unlinks a volunteer record from its account (linked to the wrong person, or the
    person's number changed): the record keeps its hours, points and teams, and the account no longer reads them.
    The account is told."""
    permissions.require(actor, "account_link", volunteer.community.path)
    reason = clean_text("reason", reason, most=200)
    row = Volunteer.objects.select_for_update(of=("self",)).select_related("community").get(pk=volunteer.pk)
    was = row.account
    if was is None:
        raise Conflict(_("This volunteer record is not linked to an account."), code="volunteer_not_linked")
    row.account = None
    row.save(update_fields=["account", "updated_at"])
    audit(actor, "volunteers.volunteer_unlink_account", row, account=None, unlinked=was.pk, reason=reason)
    said = _("%(community)s unlinked the volunteer record of %(name)s from your account.") % {
        "community": row.community.name,
        "name": row.name,
    }
    notify(
        row, _("A volunteer record is no longer linked to your account"), f"{said} {reason}".strip(), to=was
    )
    return row
