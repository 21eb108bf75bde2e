"""A stored file (a photo, a voice message, a receipt) sent to the browser, the same way by every app that keeps
one: appeals, places, volunteers, deliberation and co-building."""

from __future__ import annotations

from typing import Any

from django.http import FileResponse, Http404


def file_response(stored: Any, *, content_type: str | None = None, public: bool = False) -> FileResponse:
    """A stored photo or voice message as a response (404 when the file is gone), never sniffed as another type;
    cached by the browser only (`private`) unless it is on a public page."""
    try:
        handle = stored.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(handle, content_type=content_type)
    response["Cache-Control"] = f"{'public' if public else 'private'}, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    return response
