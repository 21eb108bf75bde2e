"""How API callers sign in: a bearer API key (other systems) or the browser session (pages, with CSRF)."""

from __future__ import annotations

from django.http import HttpRequest
from ninja.security import HttpBearer, django_auth

from linli.core.api_access import staff_caller

from .models import User
from .services import api_token_authenticate


def request_account(request: HttpRequest) -> User:
    """The signed-in account of a request that passed `api_auth`, `staff_page` or a login check."""
    user = request.user
    assert isinstance(user, User)
    return user


def staff_account(request: HttpRequest) -> User:
    """`core.api_access.staff_caller` for the apps above accounts, whose services name the account model."""
    staff_caller(request)
    return request_account(request)


class ApiKeyAuth(HttpBearer):
    """`Authorization: Bearer ll_…`: the request acts as the key's account, with that account's scope."""

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        user = api_token_authenticate(key=token)
        if user is not None:
            request.user = user
        return user


# Every staff endpoint accepts either; a key needs no CSRF token, a session does.
api_auth = [ApiKeyAuth(), django_auth]
