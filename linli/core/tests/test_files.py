"""core.files.file_response: a stored photo or voice message served to the browser."""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import InMemoryStorage
from django.http import Http404

from linli.core.files import file_response


class _Stored:
    """What a FileField gives: a name in a storage, opened on demand."""

    def __init__(self, storage: InMemoryStorage, name: str) -> None:
        self.storage, self.name = storage, name

    def open(self, mode: str = "rb") -> object:
        return self.storage.open(self.name, mode)


def _stored(content: bytes = b"\xff\xd8 a photo", name: str = "p.jpg") -> _Stored:
    storage = InMemoryStorage()
    return _Stored(storage, storage.save(name, ContentFile(content)))


def test_a_stored_file_is_served_never_sniffed_and_cached_by_the_browser_only() -> None:
    response = file_response(_stored(b"voice bytes", "v.webm"), content_type="audio/webm")
    assert b"".join(response.streaming_content) == b"voice bytes"  # type: ignore[arg-type]
    assert response["Content-Type"] == "audio/webm"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, max-age=3600"


def test_a_file_on_a_public_page_may_be_cached_by_anyone() -> None:
    assert file_response(_stored(), public=True)["Cache-Control"] == "public, max-age=3600"


def test_a_file_gone_from_storage_is_a_404() -> None:
    gone = _Stored(InMemoryStorage(), "gone.jpg")
    with pytest.raises(Http404):
        file_response(gone)
