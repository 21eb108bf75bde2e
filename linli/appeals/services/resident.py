"""The resident's side after reporting: follow a public appeal ("this is my problem too"), add information,
photos or a voice message to one's own appeal, and reopen it within LINLI_APPEAL_REOPEN_DAYS of closing."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from linli.core.errors import Conflict, NotFound, PermissionDenied
from linli.core.roles import Role

from .. import notify, sla, transitions
from ..choices import Channel, PhotoStage
from ..models import Appeal, AppealFollower, AppealVoice
from ..permissions import Actor, is_appeal_resident, reopen_until, require, signed_in_user
from ..public import FOLLOWABLE_STATES, is_public
from ..validation import NOTE_MAX, VOICE_FORMATS, clean_text, field_error, validate_voice
from .photos import photos_save
from .rating import rework_assign

# The trace's reason when a resident only added photos or a voice message, and no text.
_ADDED = gettext_lazy("The resident added information.")


def voice_save(appeal: Appeal, voice: UploadedFile, *, actor: Actor, seconds: int = 0) -> AppealVoice:
    """Check and store a voice message of `appeal`, inside the caller's transaction."""
    fmt = validate_voice(voice)
    item = AppealVoice(
        appeal=appeal,
        content_type=VOICE_FORMATS[fmt],
        size=voice.size or 0,
        seconds=max(0, min(int(seconds or 0), 600)),
        uploaded_by=signed_in_user(actor),
        created_at=timezone.now(),
    )
    item.audio.save(f"{uuid.uuid4().hex}.{fmt}", voice, save=False)
    item.save()
    return item


def appeal_add_info(
    *,
    actor: Actor,
    appeal: Appeal,
    text: str = "",
    photos: Sequence[UploadedFile] = (),
    voice: UploadedFile | None = None,
    voice_seconds: int = 0,
    phone: str = "",
    channel: str = Channel.WEB,
) -> Appeal:
    """The resident adds to their open appeal: more text, photos, a voice message. One trace row (the handlers
    see it on the appeal's page), and the unit is told in its inbox."""
    text = clean_text("text", text, required=False, maximum=NOTE_MAX)
    if not text and not photos and voice is None:
        raise field_error("text", _("Write something, add a photo or record a voice message."))
    if voice is not None:
        validate_voice(voice)
    with transaction.atomic():
        row, target = transitions.lock_for(actor, appeal, "add_info", phone=phone)
        photos_save(row, photos, stage=PhotoStage.INTAKE, actor=actor)
        saved = voice_save(row, voice, actor=actor, seconds=voice_seconds) if voice is not None else None
        transitions.apply(
            row,
            actor=actor,
            action="add_info",
            target=target,
            reason=text or str(_ADDED),
            channel=channel,
            data={"photos": len(photos), "voice": saved.pk if saved is not None else None},
        )
        notify.notify_staff(
            notify.unit_staff(row), row, gettext_lazy("The resident added information to %(number)s"), text
        )
        return row


def appeal_reopen(
    *, actor: Actor, appeal: Appeal, reason: str, phone: str = "", channel: str = Channel.WEB
) -> Appeal:
    """The resident reopens their resolved or closed appeal within LINLI_APPEAL_REOPEN_DAYS: it goes back to the
    unit that handled it with fresh deadlines (the tier's and the resident's), and everyone concerned is told."""
    reason = clean_text("reason", reason, required=True, maximum=NOTE_MAX, minimum=5)
    with transaction.atomic():
        row, _target = transitions.lock(appeal, "reopen")
        if not is_appeal_resident(actor, row, phone):
            raise PermissionDenied()
        until = reopen_until(row)
        now = timezone.now()
        if until is None or now > until:
            raise Conflict(
                _(
                    "This appeal can no longer be reopened (only within %(days)s days of closing). "
                    "Please report the problem again."
                )
                % {"days": settings.LINLI_APPEAL_REOPEN_DAYS},
                code="reopen_expired",
            )
        require(actor, "reopen", row, phone=phone)
        rework_assign(
            row,
            actor=actor,
            reason=reason,
            now=now,
            action="reopen",
            channel=channel,
            extra={
                "resolved_tier": "",
                "closed_at": None,
                "breached_at": None,
                "total_due_at": sla.total_due(now),
                "total_breached_at": None,
            },
            resident_title=gettext_lazy(
                "reopened at the resident's request; %(unit)s handles it again, due %(due)s"
            ),
            supervisor_title=gettext_lazy("Reopened by the resident: %(number)s"),
        )
        return row


def _follower(actor: Actor) -> int:
    person = signed_in_user(actor)
    if person is None or person.role != Role.RESIDENT:
        raise PermissionDenied(_("Sign in with your mobile number to follow an appeal."), code="sign_in")
    return person.pk


def appeal_follow(*, actor: Actor, appeal: Appeal) -> AppealFollower:
    """ "This is my problem too": a signed-in resident follows a public appeal and hears of its progress (their
    number proved itself at sign-in). Following one's own appeal, or one already followed, changes nothing."""
    user_id = _follower(actor)
    if not is_public(appeal) or appeal.state not in FOLLOWABLE_STATES:
        raise NotFound()
    try:
        with transaction.atomic():
            row, _created = AppealFollower.objects.get_or_create(
                appeal=appeal, user_id=user_id, defaults={"created_at": timezone.now()}
            )
    except IntegrityError:  # followed in a parallel request
        row = AppealFollower.objects.get(appeal=appeal, user_id=user_id)
    return row


def appeal_unfollow(*, actor: Actor, appeal: Appeal) -> int:
    """Stop following; returns how many rows went (0 when the resident did not follow it)."""
    deleted, _kinds = AppealFollower.objects.filter(appeal=appeal, user_id=_follower(actor)).delete()
    return deleted
