"""The dispatch catalogue's change process: a draft cloned from the active version, edited, submitted, reviewed
by another person, then activated. Each step is a compare-and-swap on the version's status, recorded on the
version (who, when) and in the audit log; activation swaps the active version and bumps the catalogue snapshot,
so every process routes by the new version within seconds. Who may: `permissions.may_edit_catalogue`."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from linli.core.audit import audit_record
from linli.core.errors import Conflict, NotFound, PermissionDenied
from linli.core.snapshots import bump
from linli.territory.selectors import org_nodes_visible_to

from .. import routing
from ..choices import CatalogueStatus, Tier
from ..models import CatalogueEntry, CatalogueVersion, Category
from ..permissions import Actor, may_edit_catalogue, signed_in_user
from ..selectors import organisations_for
from ..validation import clean_text, field_error

OPEN_STATUSES = (CatalogueStatus.DRAFT, CatalogueStatus.REVIEW, CatalogueStatus.APPROVED)


def _require(actor: Actor) -> None:
    if actor is not None and not may_edit_catalogue(actor):
        raise PermissionDenied()


def _move(version: CatalogueVersion, old: str, **columns: Any) -> None:
    """Compare-and-swap the version's status from `old` (someone else's step in between is a Conflict)."""
    if CatalogueVersion.objects.filter(pk=version.pk, status=old).update(**columns) != 1:
        raise Conflict(_("Someone else changed this catalogue version first. Reload to see it."))
    for name, value in columns.items():
        setattr(version, name, value)


def catalogue_draft_create(*, actor: Actor, note: str = "") -> CatalogueVersion:
    """A draft cloned from the active version (every entry copied); one draft at a time."""
    _require(actor)
    note = clean_text("note", note, required=False, maximum=200)
    with transaction.atomic():
        if CatalogueVersion.objects.filter(status__in=OPEN_STATUSES).exists():
            raise Conflict(_("A draft of the catalogue is already open: finish or discard it first."))
        active = CatalogueVersion.objects.filter(active=True).first()
        number = (CatalogueVersion.objects.aggregate(n=Max("number"))["n"] or 0) + 1
        draft = CatalogueVersion.objects.create(
            number=number,
            note=note,
            active=False,
            status=CatalogueStatus.DRAFT,
            based_on=active,
            created_by=signed_in_user(actor),
        )
        if active is not None:
            CatalogueEntry.objects.bulk_create(
                CatalogueEntry(
                    version=draft,
                    category_id=e.category_id,
                    area_id=e.area_id,
                    tier=e.tier,
                    organisation_id=e.organisation_id,
                )
                for e in active.entries.all()
            )
        audit_record(actor=signed_in_user(actor), action="catalogue.draft_create", obj=draft)
        return draft


def _editable(version: CatalogueVersion) -> CatalogueVersion:
    locked = CatalogueVersion.objects.select_for_update().filter(pk=version.pk).first()
    if locked is None:
        raise NotFound()
    if locked.status != CatalogueStatus.DRAFT:
        raise Conflict(
            _("Only a draft can be edited; this version is '%(status)s'.")
            % {"status": CatalogueStatus(locked.status).label}
        )
    return locked


def catalogue_entry_set(
    *,
    actor: Actor,
    version: CatalogueVersion,
    category_code: str,
    area_id: int,
    tier: str,
    organisation_id: int | None = None,
) -> CatalogueEntry:
    """Add or change the draft's entry for a category in an area: the starting tier, and for the department
    tier the department (looked up in the actor's reach). A refusal names the argument (`area_id`,
    `organisation_id`, as the API's body does); the page's form maps them to its fields (`field_aliases`)."""
    _require(actor)
    category = Category.objects.filter(code=category_code, active=True).first()
    if category is None:
        raise field_error("category_code", _("Choose a category from the list."))
    area = org_nodes_visible_to(actor).filter(pk=area_id).first() if actor is not None else None
    if area is None:
        raise field_error("area_id", _("Choose an area within your reach."))
    if tier not in Tier.values:
        raise field_error("tier", _("Choose a starting tier."))
    organisation = None
    if tier == Tier.DEPARTMENT:
        organisation = organisations_for(actor).filter(pk=organisation_id or 0).first()
        if organisation is None:
            raise field_error("organisation_id", _("The department tier needs a department."))
    with transaction.atomic():
        draft = _editable(version)
        entry, _created = CatalogueEntry.objects.update_or_create(
            version=draft, category=category, area=area, defaults={"tier": tier, "organisation": organisation}
        )
        return entry


def catalogue_entry_remove(*, actor: Actor, version: CatalogueVersion, entry_id: int) -> None:
    _require(actor)
    with transaction.atomic():
        draft = _editable(version)
        if CatalogueEntry.objects.filter(pk=entry_id, version=draft).delete()[0] == 0:
            raise NotFound()


def catalogue_draft_submit(*, actor: Actor, version: CatalogueVersion) -> CatalogueVersion:
    """The editor sends the draft for review."""
    _require(actor)
    with transaction.atomic():
        if not CatalogueEntry.objects.filter(version=version).exists():
            raise field_error("entries", _("An empty catalogue cannot be submitted."))
        _move(
            version,
            CatalogueStatus.DRAFT,
            status=CatalogueStatus.REVIEW,
            submitted_by=signed_in_user(actor),
            submitted_at=timezone.now(),
        )
        audit_record(actor=signed_in_user(actor), action="catalogue.submit", obj=version)
        return version


def catalogue_draft_review(
    *, actor: Actor, version: CatalogueVersion, approve: bool, note: str = ""
) -> CatalogueVersion:
    """Another person reviews the submitted draft: approved (ready to activate) or sent back to draft with
    what to change."""
    _require(actor)
    note = clean_text("note", note, required=not approve, maximum=500)
    person = signed_in_user(actor)
    if person is not None and version.submitted_by_id == person.pk:
        raise PermissionDenied(_("A draft is reviewed by someone other than the person who submitted it."))
    with transaction.atomic():
        _move(
            version,
            CatalogueStatus.REVIEW,
            status=CatalogueStatus.APPROVED if approve else CatalogueStatus.DRAFT,
            reviewed_by=person,
            reviewed_at=timezone.now(),
            review_note=note,
        )
        audit_record(
            actor=person, action="catalogue.approve" if approve else "catalogue.send_back", obj=version
        )
        return version


def catalogue_version_activate(*, actor: Actor, version: CatalogueVersion) -> CatalogueVersion:
    """The approved version becomes the active one; the one before is retired. Routing uses it at once."""
    _require(actor)
    with transaction.atomic():
        previous = list(CatalogueVersion.objects.select_for_update().filter(active=True))
        now = timezone.now()
        CatalogueVersion.objects.filter(pk__in=[v.pk for v in previous]).update(
            active=False, status=CatalogueStatus.RETIRED
        )
        _move(
            version,
            CatalogueStatus.APPROVED,
            status=CatalogueStatus.ACTIVE,
            active=True,
            activated_by=signed_in_user(actor),
            activated_at=now,
        )
        audit_record(actor=signed_in_user(actor), action="catalogue.activate", obj=version)
        bump(routing.CATALOGUE)
        return version


def catalogue_draft_discard(*, actor: Actor, version: CatalogueVersion) -> None:
    """An open draft nobody wants any more is removed (an activated version never is)."""
    _require(actor)
    with transaction.atomic():
        if CatalogueVersion.objects.filter(pk=version.pk, status__in=OPEN_STATUSES).delete()[0] == 0:
            raise Conflict(_("Only a version not yet activated can be discarded."))
        audit_record(
            actor=signed_in_user(actor),
            action="catalogue.discard",
            object_type="catalogueversion",
            object_id=str(version.pk),
        )
