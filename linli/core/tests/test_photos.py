"""core.photos: the one check of an uploaded photo (size, pixels, real type) and its re-encoding without metadata,
which appeals, places, volunteers, co-building and deliberation all use."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from PIL import Image

from linli.core.errors import ValidationFailed
from linli.core.photos import PHOTO_MAX_BYTES, photo_reencoded, photo_to_store, validate_photo
from linli.testing.images import jpeg_from_a_phone, png_header_only


def _image(fmt: str, size: tuple[int, int] = (64, 48), **save: object) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", size, (10, 120, 200)).save(buf, fmt, **save)
    return buf.getvalue()


def _refusal(upload: SimpleUploadedFile) -> ValidationFailed:
    with translation.override("zh-hans"), pytest.raises(ValidationFailed) as exc:
        validate_photo(upload)
    assert exc.value.extra["field"] == "photos"
    assert exc.value.extra["errors"] == {"photos": exc.value.message}
    return exc.value


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP", "GIF"])
def test_a_real_photo_passes_with_its_size_and_is_left_at_its_start(fmt: str) -> None:
    upload = SimpleUploadedFile("p", _image(fmt))
    assert validate_photo(upload) == (64, 48)
    assert upload.tell() == 0


def test_a_photo_over_five_megabytes_is_refused_before_it_is_opened() -> None:
    upload = SimpleUploadedFile("big.jpg", b"\0" * (PHOTO_MAX_BYTES + 1))
    assert _refusal(upload).message == "每张照片不能超过 5 MB。"


def test_a_file_that_is_not_a_photo_is_refused_by_name() -> None:
    assert "notes.jpg" in _refusal(SimpleUploadedFile("notes.jpg", b"just some text")).message


def test_a_readable_image_of_another_format_is_refused() -> None:
    assert "scan.bmp" in _refusal(SimpleUploadedFile("scan.bmp", _image("BMP"))).message


def test_a_header_declaring_twenty_thousand_squared_pixels_is_refused_unopened() -> None:
    message = _refusal(SimpleUploadedFile("bomb.png", png_header_only(20000, 20000))).message
    assert "bomb.png" in message and "4000万像素" in message


def test_re_encoding_drops_the_position_and_names_the_real_format() -> None:
    upload = SimpleUploadedFile("taken.png", jpeg_from_a_phone())  # the name says PNG, the bytes JPEG
    content, ext = photo_reencoded(upload)
    assert ext == "jpg"
    kept = Image.open(io.BytesIO(content))
    assert not kept.getexif().get_ifd(0x8825)
    assert 0x010F not in kept.getexif()
    assert upload.tell() == 0


@pytest.mark.parametrize(("fmt", "ext"), [("PNG", "png"), ("GIF", "png"), ("WEBP", "webp")])
def test_re_encoding_keeps_png_and_webp_and_writes_a_gif_as_png(fmt: str, ext: str) -> None:
    content, got = photo_reencoded(SimpleUploadedFile("p", _image(fmt)))
    assert got == ext
    assert Image.open(io.BytesIO(content)).size == (64, 48)


def test_a_photo_to_store_is_upright_without_exif_and_named_afresh() -> None:
    stored = photo_to_store(SimpleUploadedFile("IMG_0001.jpg", jpeg_from_a_phone((64, 48), orientation=6)))
    assert stored.name is not None and stored.name.endswith(".jpg") and "IMG_0001" not in stored.name
    kept = Image.open(io.BytesIO(stored.read()))
    assert kept.size == (48, 64)
    assert (
        not kept.getexif().get_ifd(0x8825) and 0x010F not in kept.getexif() and 0x0112 not in kept.getexif()
    )


def test_a_photo_to_store_is_refused_on_the_field_it_is_told() -> None:
    with translation.override("zh-hans"), pytest.raises(ValidationFailed) as exc:
        photo_to_store(SimpleUploadedFile("form.jpg", b"<html>"), field="paper_photo")
    assert exc.value.extra == {"field": "paper_photo", "errors": {"paper_photo": exc.value.message}}
    assert "form.jpg" in exc.value.message
