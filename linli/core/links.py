"""A page's address for someone who reads it away from the site: printed on a sheet that hangs on a wall for years
(a grid's QR code, the button at home's card) or sent in a text message. settings.LINLI_PUBLIC_URL, when set, is the
site's public origin (`https://linli.district.gov.cn`); otherwise the origin the staff member is using now, and
with no request (a text message sent by a service), the page's path alone, to open on the site the person knows."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def public_origin(request: HttpRequest | None = None) -> str:
    """The origin without a trailing slash ("" with neither LINLI_PUBLIC_URL nor a request)."""
    configured = str(getattr(settings, "LINLI_PUBLIC_URL", "") or "")
    if configured:
        return configured.rstrip("/")
    return request.build_absolute_uri("/").rstrip("/") if request is not None else ""


def public_link(path: str, request: HttpRequest | None = None) -> str:
    """`path` (from `reverse`) on the public origin."""
    return public_origin(request) + path
