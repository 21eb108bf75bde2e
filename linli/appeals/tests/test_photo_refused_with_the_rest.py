"""A photo that is not one is refused together with the form's other errors: the resident saw the text's error
first and the photo's only on the next try, because only the service read the photo's real type."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from linli.appeals.models import Appeal

from .factories import photo

pytestmark = pytest.mark.django_db


def _pdf() -> SimpleUploadedFile:
    return SimpleUploadedFile("证明.pdf", b"%PDF-1.4 not a picture", content_type="image/jpeg")


def test_a_long_text_and_a_pdf_as_a_photo_are_both_said_at_once(client_for: Any) -> None:
    client = client_for("resident")
    data = {"kind": "complaint", "description": "太长" * 3000, "photos": [_pdf()]}
    page = client.post("/appeals/new/", data)
    text = page.content.decode()
    assert page.status_code == 422
    assert "“证明.pdf”不是可识别的照片" in text
    assert "问题描述太长：最多 2000 个字（您已输入 6000 个字）。" in text  # the description's own error too
    assert not Appeal.objects.exists()


def test_a_real_photo_still_passes_the_form(client_for: Any) -> None:
    client = client_for("resident")
    data = {"kind": "complaint", "description": "楼道灯坏了一个星期了，晚上很黑。", "photos": [photo()]}
    page = client.post("/appeals/new/", data)
    assert page.status_code == 302
    assert Appeal.objects.get().photos.count() == 1
