"""The appeal forms' own fields: photos and a voice message in one input each (their texts' limits are the shared
ones of core.form_kit.TextForm)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from linli.core.errors import ValidationFailed
from linli.core.photos import PHOTO_MAX_BYTES, validate_photo

from .validation import MAX_PHOTOS, VOICE_MAX_BYTES

# What the browser accepts in the file picker (validation.py checks each photo's real type on the server).
# HEIC is not among them: the server cannot read it, and a phone's picker hands over a JPEG for `image/*`.
PHOTO_TYPES = ("image/jpeg", "image/png", "image/webp", "image/gif")


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PhotosField(forms.FileField):
    """Up to MAX_PHOTOS images in one input; the service validates each photo's real type and size. On a phone
    core/photos.js adds each photo chosen to those before (photo_widget_attrs)."""

    def __init__(self, *args: Any, max_files: int = MAX_PHOTOS, **kwargs: Any) -> None:
        self.max_files = max_files
        kwargs.setdefault("required", False)
        kwargs.setdefault("widget", MultipleFileInput(attrs=photo_widget_attrs(max_files)))
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile]:
        files = [f for f in (data if isinstance(data, list | tuple) else [data]) if f]
        if len(files) > self.max_files:
            raise ValidationError(
                _("You can add at most %(max)s photos."),
                code="too_many_photos",
                params={"max": self.max_files},
            )
        cleaned = [super(PhotosField, self).clean(f, initial) for f in files]
        for f in cleaned:
            if f.size and f.size > PHOTO_MAX_BYTES:
                raise ValidationError(
                    _("The photo %(name)s is larger than 5 MB; please choose a smaller one."),
                    code="photo_too_big",
                    params={"name": f.name},
                )
            try:  # its real type now, so that it is said with the form's other errors (the service checks again)
                validate_photo(f)
            except ValidationFailed as refused:
                raise ValidationError(str(refused.message), code="not_a_photo") from None
        return cleaned


class VoiceField(forms.FileField):
    """A voice message recorded in the browser (voice.js puts the recording in this input) or an audio file from
    the phone; the service checks its real type and size (validation.validate_voice)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", _("Voice message"))
        kwargs.setdefault("required", False)
        kwargs.setdefault("widget", forms.FileInput(attrs={"accept": "audio/*", "data-voice-input": ""}))
        super().__init__(**kwargs)

    def clean(self, data: Any, initial: Any = None) -> UploadedFile | None:
        upload = super().clean(data, initial)
        if upload and upload.size and upload.size > VOICE_MAX_BYTES:
            raise ValidationError(
                _("A voice message must be at most 2 MB (about two minutes)."), code="voice_too_big"
            )
        return upload or None


def photo_widget_attrs(most: int = MAX_PHOTOS) -> dict[str, Any]:
    """data-* attributes read by core/photos.js: each photo chosen is added to those before (a phone's camera gives
    one a tap, and a file input keeps only the last choice), shown as a thumbnail with 移除, up to `most` with the
    photos a refused form kept; a file of another type or over 5 MB is left out at once, said why."""
    return {
        "accept": "image/*",
        "capture": "environment",
        "data-photo-picks": "",
        "data-max-files": str(most),
        "data-max-bytes": str(PHOTO_MAX_BYTES),
        "data-types": ",".join(PHOTO_TYPES),
        "data-remove-label": _("Remove"),
        "data-count-label": _("%(count)s photos chosen; tap again to add more."),
        "data-too-many": _("At most %(max)s photos: the ones over were left out."),
        "data-bad-type": _("%(name)s is not a photo (JPEG, PNG, WebP or GIF)."),
        "data-too-big": _("The photo %(name)s is larger than 5 MB; please choose a smaller one."),
    }
