"""A response that sets a cookie is never cached publicly.

Public pages (`/public/`, the solved map, the grid boundaries) say `Cache-Control: public` so a proxy or CDN may
keep them; but a page that also sets a cookie — the CSRF cookie of a form on it, a session — would hand that cookie
(and what it carries) to everyone the shared cache serves. This middleware sits above the session and CSRF
middleware, so it sees their cookies, and turns `public` into `private` whenever a cookie is being set."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponseBase
from django.utils.cache import patch_cache_control


class NoPublicCacheWithCookiesMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        if response.cookies and "public" in response.get("Cache-Control", ""):
            del response["Cache-Control"]
            patch_cache_control(response, private=True, max_age=0)
        return response
