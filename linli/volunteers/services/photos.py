"""Photos of past activities for the public pages, with the consent of those pictured: the organiser uploads a
photo (staff see it at once), then marks that everyone in it agreed to its publication and how (a signed form,
agreement on the spot); only then does it show on the community's public page. Consent may be withdrawn at any
time, and a photo removed, which hides it at once."""

from __future__ import annotations

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from linli.core.audit import audit
from linli.core.errors import InvalidTransition
from linli.core.photos import photo_to_store
from linli.core.scoping import person

from .. import permissions
from ..choices import ActivityState
from ..models import Activity, ActivityPhoto
from ._common import Actor, invalid

# How many photos one activity keeps.
PHOTOS_PER_ACTIVITY = 12


@transaction.atomic
def activity_photo_add(
    *, actor: Actor, activity: Activity, photo: UploadedFile | None, caption: str = ""
) -> ActivityPhoto:
    """The organiser adds a photo of an activity that has begun; it is not public until consent is marked."""
    activity = Activity.objects.select_for_update().select_related("community").get(pk=activity.pk)
    permissions.require(actor, "activity_manage", activity.community.path)
    if activity.state != ActivityState.OPEN:
        raise InvalidTransition(_("Photos are kept for activities that took place."))
    if not activity.shifts.filter(starts_at__lte=timezone.now()).exists():
        raise InvalidTransition(_("Photos are added once the activity has begun."))
    if photo is None:
        raise invalid("photo", _("Choose a photo."))
    # Stored upright without the phone's position and make: a public photo of the neighbours must not say where it
    # was taken from (it was kept as sent).
    stored = photo_to_store(photo, field="photo")
    caption = (caption or "").strip()
    if len(caption) > 120:
        raise invalid("caption", _("The caption has at most 120 characters."))
    if activity.photos.count() >= PHOTOS_PER_ACTIVITY:
        raise invalid(
            "photo",
            _("An activity keeps at most %(n)d photos; remove one first.") % {"n": PHOTOS_PER_ACTIVITY},
        )
    made = ActivityPhoto.objects.create(
        activity=activity, image=stored, caption=caption, uploaded_by=person(actor)
    )
    audit(actor, "volunteers.activity_photo_add", made, activity=activity.pk)
    return made


@transaction.atomic
def activity_photo_consent(
    *, actor: Actor, photo: ActivityPhoto, consent: bool, note: str = ""
) -> ActivityPhoto:
    """Mark that everyone pictured agreed to publication (saying how), or withdraw it (saying why)."""
    photo = ActivityPhoto.objects.select_for_update().select_related("activity__community").get(pk=photo.pk)
    permissions.require(actor, "activity_manage", photo.activity.community.path)
    note = (note or "").strip()
    if not note or len(note) > 200:
        raise invalid(
            "note",
            _("Say how everyone pictured agreed (at most 200 characters).")
            if consent
            else _("Say why the photo is no longer public (at most 200 characters)."),
        )
    if photo.consent == consent:
        raise InvalidTransition(
            _("This photo is public already.") if consent else _("This photo is not public.")
        )
    photo.consent = consent
    photo.consent_note = note
    photo.consent_by = person(actor)
    photo.consent_at = timezone.now()
    photo.save(update_fields=["consent", "consent_note", "consent_by", "consent_at", "updated_at"])
    audit(actor, "volunteers.activity_photo_consent", photo, consent=consent, note=note)
    return photo


@transaction.atomic
def activity_photo_remove(*, actor: Actor, photo: ActivityPhoto) -> None:
    """Remove a photo and its file (someone pictured objects, a wrong photo)."""
    photo = ActivityPhoto.objects.select_for_update().select_related("activity__community").get(pk=photo.pk)
    permissions.require(actor, "activity_manage", photo.activity.community.path)
    audit(actor, "volunteers.activity_photo_remove", photo, activity=photo.activity_id)
    stored = photo.image
    photo.delete()
    transaction.on_commit(lambda: stored.delete(save=False))
