"""An uploaded photo, checked one way for every app that takes one (appeals, places, volunteers, deliberation,
territory's visits): its size, its pixel count and its real type (decoded with Pillow, whatever its name or the
browser says), then written again without its metadata before it is stored.

A refusal is a `ValidationFailed` on the field it is told (`photos` unless told; with `errors`, as the forms and the
API show it). `photo_to_store` does all of it for a photo a service keeps in a FileField (co-building's, deliberation's).
"""

from __future__ import annotations

import uuid

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

from linli.core.errors import ValidationFailed

PHOTO_MAX_BYTES = 5 * 1024 * 1024
PHOTO_FORMATS = {"JPEG", "PNG", "WEBP", "GIF"}
PHOTO_MAX_PIXELS = 40_000_000  # a 40-megapixel phone camera; more is a decompression bomb, not a photo


def _refused(message: str, field: str) -> ValidationFailed:
    return ValidationFailed(message, extra={"field": field, "errors": {field: message}})


def validate_photo(upload: UploadedFile, *, field: str = "photos") -> tuple[int, int]:
    """Check one uploaded photo's size, pixel count and real type (decoded with Pillow); returns its width and
    height; a refusal names `field`. The pixel count is read from the header before anything is decoded: a small
    file declaring 20000×20000 pixels would take gigabytes to open."""
    from PIL import Image, UnidentifiedImageError

    if upload.size is not None and upload.size > PHOTO_MAX_BYTES:
        raise _refused(_("Each photo must be at most 5 MB."), field)
    unreadable = _("'%(name)s' is not a photo we can read; use JPEG, PNG or WebP.") % {"name": upload.name}
    too_large = _("'%(name)s' has too many pixels; send a photo of at most 40 megapixels.") % {
        "name": upload.name
    }
    try:
        upload.seek(0)
        with Image.open(upload) as image:
            fmt = image.format
            size = image.size
            if size[0] * size[1] > PHOTO_MAX_PIXELS:
                raise _refused(too_large, field)
            image.verify()
    except Image.DecompressionBombError:
        raise _refused(too_large, field) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise _refused(unreadable, field) from None
    finally:
        upload.seek(0)
    if fmt not in PHOTO_FORMATS:
        raise _refused(unreadable, field)
    return size


def photo_reencoded(upload: UploadedFile) -> tuple[bytes, str]:
    """The photo decoded and written again in the format its bytes say it is (a GIF as PNG), turned upright and
    with no metadata: EXIF (the phone's GPS position, its make, the time) is personal data and is not kept.
    Returns the bytes and the file extension. Call validate_photo first."""
    import io

    from PIL import Image, ImageOps

    upload.seek(0)
    with Image.open(upload) as opened:
        fmt = opened.format or "JPEG"
        image = ImageOps.exif_transpose(opened) or opened
        image.load()
    upload.seek(0)
    out = io.BytesIO()
    if fmt == "JPEG":
        image.convert("RGB").save(out, "JPEG", quality=88, optimize=True)
        return out.getvalue(), "jpg"
    if fmt == "WEBP":
        image.save(out, "WEBP", quality=88)
        return out.getvalue(), "webp"
    if image.mode not in ("RGB", "RGBA", "L", "LA", "P"):
        image = image.convert("RGBA")
    image.save(out, "PNG", optimize=True)
    return out.getvalue(), "png"


def photo_to_store(upload: UploadedFile, *, field: str = "photo") -> ContentFile[bytes]:
    """A photo a person uploads, as a service stores it in a FileField: checked (`validate_photo`, the refusal on
    `field`), written again upright without its metadata (`photo_reencoded`: a photo taken in a resident's home or
    at a household's door keeps no GPS position, no make) and named afresh (the phone's file name says nothing)."""
    validate_photo(upload, field=field)
    data, ext = photo_reencoded(upload)
    return ContentFile(data, name=f"{uuid.uuid4().hex}.{ext}")
