"""Photos a resident chose, kept on the server while the new-appeal form is corrected."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import FileResponse, Http404, HttpRequest
from django.http.response import HttpResponseBase
from django.utils import timezone
from django.views.decorators.http import require_GET

from linli.core.errors import DomainError
from linli.core.photos import validate_photo

from ..validation import MAX_PHOTOS

# Photos a resident chose are kept on the server while the form is corrected (a browser forgets chosen files
# when a page is shown again). They live under MEDIA_ROOT/appeals/pending/, are named in the session under the
# form's idempotency key, and are removed once used or after a day.
PENDING_SESSION_KEY = "appeals_pending_photos"
PENDING_DIR = "appeals/pending"
PENDING_MAX_AGE = dt.timedelta(days=1)


def _pending(request: HttpRequest, key: str) -> list[dict[str, str]]:
    data = request.session.get(PENDING_SESSION_KEY) or {}
    items = data.get(key) if isinstance(data, dict) else None
    return list(items) if isinstance(items, list) else []


def _set_pending(request: HttpRequest, key: str, items: list[dict[str, str]]) -> None:
    data = request.session.get(PENDING_SESSION_KEY) or {}
    data = dict(data) if isinstance(data, dict) else {}
    if items:
        data[key] = items
    else:
        data.pop(key, None)
    request.session[PENDING_SESSION_KEY] = dict(list(data.items())[-5:])


def _prune_pending() -> None:
    """Remove kept photos older than a day (a resident who never came back)."""
    try:
        _dirs, files = default_storage.listdir(PENDING_DIR)
    except (FileNotFoundError, NotImplementedError):
        return
    limit = timezone.now() - PENDING_MAX_AGE
    for name in files:
        path = f"{PENDING_DIR}/{name}"
        try:
            if default_storage.get_modified_time(path) < limit:
                default_storage.delete(path)
        except (FileNotFoundError, NotImplementedError):
            continue


def keep_photos(
    request: HttpRequest, key: str, chosen: list[str], uploads: list[Any]
) -> list[dict[str, str]]:
    """Keep the still-ticked kept photos and every new upload that is a real photo; returns what is kept."""
    kept = [p for p in _pending(request, key) if p["name"] in chosen]
    for dropped in (p for p in _pending(request, key) if p["name"] not in chosen):
        default_storage.delete(dropped["name"])
    for upload in uploads:
        if len(kept) >= MAX_PHOTOS:
            break
        try:
            validate_photo(upload)
        except DomainError:
            continue  # not kept, and no response of its own: the form already says why this one was refused
        ext = {"image/png": "png", "image/webp": "webp", "image/gif": "gif"}.get(
            upload.content_type or "", "jpg"
        )
        name = default_storage.save(f"{PENDING_DIR}/{uuid.uuid4().hex}.{ext}", upload)
        kept.append(
            {"name": name, "filename": upload.name or name, "type": upload.content_type or "image/jpeg"}
        )
    _set_pending(request, key, kept)
    _prune_pending()
    return kept


def kept_uploads(request: HttpRequest, key: str, chosen: list[str]) -> list[Any]:
    files: list[Any] = []
    for item in _pending(request, key):
        if item["name"] not in chosen:
            continue
        try:
            with default_storage.open(item["name"], "rb") as handle:
                content = handle.read()
        except FileNotFoundError:
            continue
        files.append(SimpleUploadedFile(item["filename"], content, content_type=item["type"]))
    return files


def drop_pending(request: HttpRequest, key: str) -> None:
    for item in _pending(request, key):
        default_storage.delete(item["name"])
    _set_pending(request, key, [])


@require_GET
def pending_photo(request: HttpRequest, key: str, index: int) -> HttpResponseBase:
    """A kept photo, to this browser only."""
    items = _pending(request, key)
    if not 0 <= index < len(items):
        raise Http404
    try:
        handle = default_storage.open(items[index]["name"], "rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(handle, content_type=items[index]["type"])
    response["Cache-Control"] = "private, no-store"
    return response
