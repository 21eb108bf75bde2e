"""The co-governance API's router, error responses and who may call it."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router

from linli.accounts.models import User
from linli.core.errors import PermissionDenied
from linli.territory.schemas import ErrorOut

router = Router(tags=["deliberation"])


ERRORS: dict[int, Any] = {403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


def signed_in(request: HttpRequest) -> User:
    if not isinstance(request.user, User):
        raise PermissionDenied(_("Sign in first."))
    return request.user
