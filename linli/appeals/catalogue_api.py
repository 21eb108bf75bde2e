"""The dispatch catalogue over the API (/api/appeals/catalogue/…), the same steps as its pages: every staff member
reads the versions and their entries; the district's editors (permissions.may_edit_catalogue, enforced by the
services) open a draft cloned from the active version, set and remove its entries, submit it, have another person
review it, and activate it or discard it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema, Status

from linli.accounts.models import User
from linli.core.api_paging import limit_param, offset_param, window
from linli.core.errors import PermissionDenied
from linli.core.scoping import get_or_404, is_staff_member

from . import services
from .choices import CatalogueStatus
from .models import CatalogueEntry, CatalogueVersion
from .schemas import ERRORS

router = Router(tags=["appeals: dispatch catalogue"])


class CatalogueEntryOut(Schema):
    id: int
    category_code: str
    category_name: str
    area_id: int
    area_name: str
    tier: str
    organisation_id: int | None
    organisation_name: str


class CatalogueVersionOut(Schema):
    id: int
    number: int
    note: str
    status: str
    status_label: str
    active: bool
    based_on_number: int | None
    created_by: str
    created_at: dt.datetime
    submitted_by: str
    submitted_at: dt.datetime | None
    reviewed_by: str
    reviewed_at: dt.datetime | None
    review_note: str
    activated_by: str
    activated_at: dt.datetime | None


class CatalogueVersionPage(Schema):
    count: int
    items: list[CatalogueVersionOut]


class CatalogueVersionDetailOut(CatalogueVersionOut):
    entries: list[CatalogueEntryOut]


class DraftIn(Schema):
    note: str = ""


class EntryIn(Schema):
    category_code: str
    area_id: int
    tier: str
    organisation_id: int | None = None


class ReviewIn(Schema):
    approve: bool
    note: str = ""


def _name(user: User | None) -> str:
    return (user.display_name or user.get_username()) if user is not None else ""


def _versions() -> Any:
    return CatalogueVersion.objects.select_related(
        "created_by", "submitted_by", "reviewed_by", "activated_by", "based_on"
    )


def _version_out(version: CatalogueVersion) -> dict[str, Any]:
    return {
        "id": version.pk,
        "number": version.number,
        "note": version.note,
        "status": version.status,
        "status_label": str(CatalogueStatus(version.status).label),
        "active": version.active,
        "based_on_number": version.based_on.number if version.based_on else None,
        "created_by": _name(version.created_by),
        "created_at": version.created_at,
        "submitted_by": _name(version.submitted_by),
        "submitted_at": version.submitted_at,
        "reviewed_by": _name(version.reviewed_by),
        "reviewed_at": version.reviewed_at,
        "review_note": version.review_note,
        "activated_by": _name(version.activated_by),
        "activated_at": version.activated_at,
    }


def _entry_out(entry: CatalogueEntry) -> dict[str, Any]:
    return {
        "id": entry.pk,
        "category_code": entry.category.code,
        "category_name": str(entry.category),
        "area_id": entry.area_id,
        "area_name": entry.area.name,
        "tier": entry.tier,
        "organisation_id": entry.organisation_id,
        "organisation_name": entry.organisation.name if entry.organisation else "",
    }


def _staff(request: HttpRequest) -> User:
    """The signed-in staff member making the request (residents are refused, as on the pages)."""
    user = request.user
    if not isinstance(user, User) or not is_staff_member(user):
        raise PermissionDenied()
    return user


def _get(request: HttpRequest, version_id: int) -> CatalogueVersion:
    _staff(request)
    return get_or_404(_versions(), pk=version_id)


def _detail(version_id: int) -> dict[str, Any]:
    version = _versions().get(pk=version_id)
    entries = (
        CatalogueEntry.objects.filter(version=version)
        .select_related("category__parent", "area", "organisation")
        .order_by("area__path", "category__position", "category__code")
    )
    return {**_version_out(version), "entries": [_entry_out(e) for e in entries]}


def _step(
    request: HttpRequest, version_id: int, service: Callable[..., object], **kwargs: Any
) -> dict[str, Any]:
    """One step on a version: `service` with the version and the signed-in staff member as the actor, then the
    version as it now stands."""
    found = _get(request, version_id)
    service(actor=_staff(request), version=found, **kwargs)
    return _detail(found.pk)


DETAIL = {200: CatalogueVersionDetailOut, **ERRORS}


@router.get("/", response={200: CatalogueVersionPage, **ERRORS})
def versions(
    request: HttpRequest, limit: int = limit_param(), offset: int = offset_param()
) -> dict[str, Any]:
    """Every version of the catalogue, newest first, a page at a time (`limit`, `offset`; `count` is all of
    them), with who drafted, submitted, reviewed and activated each and when."""
    _staff(request)
    rows, count = window(_versions().order_by("-number"), limit, offset)
    return {"count": count, "items": [_version_out(v) for v in rows]}


@router.post("/", response={201: CatalogueVersionDetailOut, **ERRORS})
def draft_create(request: HttpRequest, payload: DraftIn) -> Status:
    """Open a draft cloned from the active version (one open change at a time: 409 while another is open)."""
    draft = services.catalogue_draft_create(actor=_staff(request), note=payload.note)
    return Status(201, _detail(draft.pk))


@router.get("/{version_id}", response=DETAIL)
def version(request: HttpRequest, version_id: int) -> dict[str, Any]:
    """One version with its entries (category × area → starting tier or department)."""
    return _detail(_get(request, version_id).pk)


@router.put("/{version_id}/entries", response=DETAIL)
def entry_set(request: HttpRequest, version_id: int, payload: EntryIn) -> dict[str, Any]:
    """Add or change the draft's entry for a category in an area (the department tier names a department)."""
    return _step(request, version_id, services.catalogue_entry_set, **payload.dict())


@router.delete("/{version_id}/entries/{entry_id}", response=DETAIL)
def entry_remove(request: HttpRequest, version_id: int, entry_id: int) -> dict[str, Any]:
    """Remove an entry of the draft."""
    return _step(request, version_id, services.catalogue_entry_remove, entry_id=entry_id)


@router.post("/{version_id}/submit", response=DETAIL)
def submit(request: HttpRequest, version_id: int) -> dict[str, Any]:
    """Send the draft for review (an empty catalogue is refused)."""
    return _step(request, version_id, services.catalogue_draft_submit)


@router.post("/{version_id}/review", response=DETAIL)
def review(request: HttpRequest, version_id: int, payload: ReviewIn) -> dict[str, Any]:
    """Approve the submitted draft, or send it back with a note (required); not by the person who submitted it."""
    return _step(
        request, version_id, services.catalogue_draft_review, approve=payload.approve, note=payload.note
    )


@router.post("/{version_id}/activate", response=DETAIL)
def activate(request: HttpRequest, version_id: int) -> dict[str, Any]:
    """The approved version becomes the active one; new appeals are routed by it at once."""
    return _step(request, version_id, services.catalogue_version_activate)


@router.delete("/{version_id}", response={204: None, **ERRORS})
def discard(request: HttpRequest, version_id: int) -> Status:
    """Discard a version not yet activated."""
    found = _get(request, version_id)
    services.catalogue_draft_discard(actor=_staff(request), version=found)
    return Status(204, None)
