"""An uploaded photo, checked one way for every app that takes one (appeals, places, volunteers, deliberation,
territory's visits): its size, its pixel count and its real type (decoded with Pillow, whatever its name or the
browser says), then written again without its metadata before it is stored.

A refusal is a `ValidationFailed` on the field `photos` (with `errors`, as the forms and the API show it).
"""

from __future__ import annotations

from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

from linli.core.errors import ValidationFailed

PHOTO_MAX_BYTES = 5 * 1024 * 1024
PHOTO_FORMATS = {"JPEG", "PNG", "WEBP", "GIF"}
PHOTO_MAX_PIXELS = 40_000_000  # a 40-megapixel phone camera; more is a decompression bomb, not a photo


def _refused(message: str) -> ValidationFailed:
    return ValidationFailed(message, extra={"field": "photos", "errors": {"photos": message}})


def validate_photo(upload: UploadedFile) -> tuple[int, int]:
    """Check one uploaded photo's size, pixel count and real type (decoded with Pillow); returns its width and
    height. The pixel count is read from the header before anything is decoded: a small file declaring
    20000×20000 pixels would take gigabytes to open."""
    from PIL import Image, UnidentifiedImageError

    if upload.size is not None and upload.size > PHOTO_MAX_BYTES:
        raise _refused(_("Each photo must be at most 5 MB."))
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
                raise _refused(too_large)
            image.verify()
    except Image.DecompressionBombError:
        raise _refused(too_large) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise _refused(unreadable) from None
    finally:
        upload.seek(0)
    if fmt not in PHOTO_FORMATS:
        raise _refused(unreadable)
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
