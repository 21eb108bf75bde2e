from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest


def linli(request: HttpRequest) -> dict[str, Any]:
    return {
        "LINLI_TILE_URL": settings.LINLI_TILE_URL,
        "LINLI_TILE_ATTRIBUTION": settings.LINLI_TILE_ATTRIBUTION,
    }
