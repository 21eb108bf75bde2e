"""How API callers sign in: a bearer API key (other systems) or the browser session (pages, with CSRF)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer, django_auth

from .services import api_token_authenticate


class ApiKeyAuth(HttpBearer):
    """`Authorization: Bearer ll_…`: the request acts as the key's account, with that account's scope."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = api_token_authenticate(key=token)
        if user is not None:
            request.user = user
        return user


# Every staff endpoint accepts either; a key needs no CSRF token, a session does.
api_auth = [ApiKeyAuth(), django_auth]
