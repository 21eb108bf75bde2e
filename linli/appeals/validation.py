"""The input checks every appeal write shares: text bounds and voice messages (their real type and size); photos
are checked by core.photos.

The forms import the bounds (for the browser's sake); the services hold every write to them.
"""

from __future__ import annotations

from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from linli.core.errors import ValidationFailed
from linli.core.form_kit import length_message
from linli.core.validators import TEXT_LABELS

TITLE_MAX = 100
DESCRIPTION_MAX = 2000
DESCRIPTION_MIN = 5
NOTE_MAX = 2000
COMMENT_MAX = 1000  # ratings, urges, extension requests and decisions, merges, withdrawals, callbacks
TOPIC_TEXT_MAX = 4000  # a monthly topic's plan and completion note
MAX_PHOTOS = 6


# What an appeal's texts are called in a message that stands alone (the API's, Open311's).
TITLE_LABEL = gettext_lazy("Title")
DESCRIPTION_LABEL = gettext_lazy("Problem description")
CONTACT_NAME_LABEL = gettext_lazy("Contact's name")
ADDRESS_LABEL = gettext_lazy("Address")


def field_error(field: str, message: str) -> ValidationFailed:
    """A ValidationFailed that names the field, as the forms and the API show it."""
    return ValidationFailed(message, extra={"field": field, "errors": {field: message}})


def clean_text(
    field: str, value: str, *, required: bool, maximum: int, minimum: int = 0, label: Any = None
) -> str:
    """The stripped text, or a field error when it is missing, too long or too short. A text too long is refused,
    never cut; the message names the field (an API caller, an Open311 client or a page whose input is not on a form
    shows it alone): `label`, else the usual name of a field so called (core.validators.TEXT_LABELS)."""
    value = (value or "").strip()
    if required and not value:
        raise field_error(field, _("This field is required."))
    if len(value) > maximum:
        label = label if label is not None else TEXT_LABELS.get(field)
        if label is not None:
            message = length_message(label) % {"limit_value": maximum, "show_value": len(value)}
        else:
            message = _("At most %(max)s characters (now %(n)s).") % {"max": maximum, "n": len(value)}
        raise field_error(field, message)
    if value and len(value) < minimum:
        raise field_error(field, _("Please write at least %(min)s characters.") % {"min": minimum})
    return value


# Voice messages recorded in the browser (MediaRecorder: WebM/Opus in Chromium and Firefox, MP4/AAC in Safari),
# or an audio file from the phone. Two minutes of speech is well under 2 MB in any of them.
VOICE_MAX_BYTES = 2 * 1024 * 1024
VOICE_MAX_SECONDS = 120
VOICE_FORMATS = {
    "webm": "audio/webm",
    "ogg": "audio/ogg",
    "m4a": "audio/mp4",
    "mp3": "audio/mpeg",
    "wav": "audio/wav",
}


def _voice_format(head: bytes) -> str:
    """The container a file's first bytes show ("" when it is none of the voice formats)."""
    if head.startswith(b"\x1a\x45\xdf\xa3"):
        return "webm"
    if head.startswith(b"OggS"):
        return "ogg"
    if head[4:8] == b"ftyp":
        return "m4a"
    if head.startswith(b"ID3") or (len(head) > 1 and head[0] == 0xFF and head[1] & 0xE0 == 0xE0):
        return "mp3"
    if head.startswith(b"RIFF") and head[8:12] == b"WAVE":
        return "wav"
    return ""


def validate_voice(upload: UploadedFile) -> str:
    """Check a voice message's size and real type (from its bytes, not the name or the browser's word); returns
    the file extension to store it under."""
    if upload.size is not None and upload.size > VOICE_MAX_BYTES:
        raise field_error("voice", _("A voice message must be at most 2 MB (about two minutes)."))
    if not upload.size:
        raise field_error("voice", _("The voice message is empty; please record it again."))
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    fmt = _voice_format(head)
    if not fmt:
        raise field_error(
            "voice", _("'%(name)s' is not a voice recording we can play.") % {"name": upload.name}
        )
    return fmt
