"""Photos of an appeal: saved at intake and resolution, or added later by the resident or the handler."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from linli.core.photos import photo_reencoded, validate_photo

from .. import transitions
from ..choices import PhotoStage
from ..models import Appeal, AppealPhoto
from ..permissions import Actor, is_appeal_resident, require, signed_in_user
from ..validation import MAX_PHOTOS, field_error


def photos_save(appeal: Appeal, photos: Sequence[UploadedFile], *, stage: str, actor: Actor) -> None:
    """Check and store photos of `appeal` (at most MAX_PHOTOS in all), inside the caller's transaction."""
    if not photos:
        return  # (most intakes and resolutions have none: no count to read)
    existing = appeal.photos.count()
    if existing + len(photos) > MAX_PHOTOS:
        raise field_error("photos", _("At most %(n)s photos per appeal.") % {"n": MAX_PHOTOS})
    for upload in photos:
        width, height = validate_photo(upload)
        content, ext = photo_reencoded(upload)
        photo = AppealPhoto(
            appeal=appeal,
            stage=stage,
            width=width,
            height=height,
            uploaded_by=signed_in_user(actor),
        )
        photo.image.save(f"{uuid.uuid4().hex}.{ext}", ContentFile(content), save=False)
        photo.save()


def appeal_add_photos(
    *, actor: Actor, appeal: Appeal, photos: Sequence[UploadedFile], phone: str = ""
) -> Appeal:
    """More photos: the resident's while the appeal is open, the handler's as resolution photos (at most 6 in all)."""
    if not photos:
        raise field_error("photos", _("Choose at least one photo."))
    with transaction.atomic():
        row, target = transitions.lock(appeal, "comment")
        require(actor, "add_photos", row, phone=phone)
        by_resident = is_appeal_resident(actor, row, phone) and row.is_open
        stage = PhotoStage.INTAKE if by_resident else PhotoStage.RESOLUTION
        photos_save(row, photos, stage=stage, actor=actor)
        return transitions.apply(
            row,
            actor=actor,
            action="comment",
            target=target,
            reason=_("%(n)s photo(s) added") % {"n": len(photos)},
        )
