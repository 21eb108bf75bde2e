"""The co-governance API's router, error responses and who may call it."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router

from linli.accounts.models import User
from linli.core.scoping import signed_in_account
from linli.territory.schemas import ErrorOut

router = Router(tags=["deliberation"])


ERRORS: dict[int, Any] = {403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


def signed_in(request: HttpRequest) -> User:
    """The signed-in caller (core.scoping.signed_in_account: a visitor is refused 请先登录)."""
    account: User = signed_in_account(request.user)
    return account
