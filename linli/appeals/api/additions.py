"""What is added to an appeal after it is filed: comments, photos, further information and a voice message;
withholding it from the public listing; the resident's reopening; following a public appeal."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import File
from ninja.files import UploadedFile

from .. import services
from ..choices import Channel
from ..models import Appeal
from ..public import public_appeal_by_number
from ..schemas import ERRORS, AddInfoIn, NoteIn, ReasonIn, ReopenIn
from .actions import action, service_act
from .common import operation_id, router


def _add_photos(request: HttpRequest, appeal: Appeal, photos: list[UploadedFile]) -> None:
    """Upload photos (multipart field `photos`, JPEG/PNG/WebP, at most 5 MB each, 6 per appeal)."""
    services.appeal_add_photos(actor=request.user, appeal=appeal, photos=photos)


def _add_voice(request: HttpRequest, appeal: Appeal, voice: UploadedFile) -> None:
    """The resident adds a voice message (multipart field `voice`: WebM, Ogg, MP4/M4A, MP3 or WAV, at most 2 MB)."""
    services.appeal_add_info(actor=request.user, appeal=appeal, voice=voice, channel=Channel.API)


action("comment", service_act(services.appeal_comment), NoteIn)
action("withhold", service_act(services.appeal_withhold), ReasonIn)
action("photos", _add_photos, File[list[UploadedFile]], name="add_photos", field="photos")
action("info", service_act(services.appeal_add_info), AddInfoIn, name="add_info")
action("voice", _add_voice, File[UploadedFile], name="add_voice", field="voice")
action("reopen", service_act(services.appeal_reopen), ReopenIn)


@router.post(
    "/follow/{tracking_number}", response={200: dict[str, Any], **ERRORS}, operation_id=operation_id("follow")
)
def follow(request: HttpRequest, tracking_number: str) -> dict[str, Any]:
    """A signed-in resident follows an appeal of a public category ("this is my problem too")."""
    services.appeal_follow(actor=request.user, appeal=public_appeal_by_number(tracking_number))
    return {"tracking_number": tracking_number, "following": True}


@router.delete(
    "/follow/{tracking_number}",
    response={200: dict[str, Any], **ERRORS},
    operation_id=operation_id("unfollow"),
)
def unfollow(request: HttpRequest, tracking_number: str) -> dict[str, Any]:
    """Stop following it."""
    services.appeal_unfollow(actor=request.user, appeal=public_appeal_by_number(tracking_number))
    return {"tracking_number": tracking_number, "following": False}
