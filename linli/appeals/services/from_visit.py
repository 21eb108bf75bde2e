"""An appeal raised from a visit of the grid worker's log (民情日志 → 接诉即办) in one step.

The visit lives in territory, below appeals: this service reads it through territory's scoping selector, submits
the appeal through intake (channel patrol, the visit's grid and place, its photos) and notes the appeal's
tracking number on the visit through territory's service, in one transaction. Territory offers the action on
the visit's page through its `visit_actions` registry (registered in AppealsConfig.ready())."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from linli.accounts.models import User
from linli.core.errors import PermissionDenied
from linli.territory import services as territory
from linli.territory.models import Visit
from linli.territory.selectors import visit_get_for
from linli.territory.services.common import may_visit

from ..choices import Channel
from ..models import Appeal
from .intake import appeal_submit

CONTENT_TYPES = {"jpg": "image/jpeg", "jpeg": "image/jpeg", "png": "image/png", "webp": "image/webp"}


def _photos(visit: Visit) -> list[SimpleUploadedFile]:
    """The visit's photos as uploads for intake (which checks and stores its own copies)."""
    files = []
    for photo in visit.photos.all():
        name = str(photo.image.name or "")
        ext = name.rsplit(".", 1)[-1].lower()
        with photo.image.open("rb") as fh:
            content = fh.read()
        files.append(
            SimpleUploadedFile(name.rsplit("/", 1)[-1], content, CONTENT_TYPES.get(ext, "image/jpeg"))
        )
    return files


def _position(visit: Visit) -> tuple[float | None, float | None]:
    if visit.venue is not None:
        return visit.venue.lng, visit.venue.lat
    if visit.household is not None:
        building = visit.household.building
        return building.lng, building.lat
    return None, None


def appeal_from_visit(
    *, actor: User, visit: Visit, kind: str, description: str, title: str = "", category_code: str = ""
) -> Appeal:
    """Raise an appeal from a visit the actor sees (once: a visit that has one already returns it)."""
    if not may_visit(actor):
        raise PermissionDenied(_("Your role may not log visits."))
    visit = visit_get_for(actor, visit.pk)
    if visit.appeal_number:
        found = Appeal.objects.filter(tracking_number=visit.appeal_number).first()
        if found is not None:
            return found
    lng, lat = _position(visit)
    with transaction.atomic():
        appeal = appeal_submit(
            actor=actor,
            kind=kind,
            description=description,
            title=title,
            category_code=category_code,
            channel=Channel.PATROL,
            contact_name=actor.display_name or actor.username,
            lng=lng,
            lat=lat,
            address=visit.place_label,
            grid=visit.grid,
            photos=_photos(visit),
            idempotency_key=f"visit-{visit.pk}",
        )
        territory.visit_link_appeal(actor=actor, visit=visit, appeal_number=appeal.tracking_number)
    return appeal
