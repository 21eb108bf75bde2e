"""What the care API's modules share: the one router, the error responses, the staff check, a list's page."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db.models import Model, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router

from linli.accounts.auth import request_account
from linli.accounts.models import User
from linli.core.api_paging import page
from linli.core.errors import PermissionDenied
from linli.core.scoping import get_or_404
from linli.territory.schemas import ErrorOut

router = Router(tags=["care"])
ERRORS: dict[int, Any] = {403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


def signed_in(request: HttpRequest) -> User:
    """Anyone signed in: staff, or a volunteer or party member with visits assigned (the selectors scope them)."""
    if isinstance(request.user, AnonymousUser) or not request.user.is_authenticated:
        raise PermissionDenied(_("Sign in first."))
    return request_account(request)


def account(account_id: int | None) -> User | None:
    """The account a payload names for a visitor (the service checks who may be one); unknown: not found."""
    if account_id is None:
        return None
    return get_or_404(User.objects.filter(is_active=True), pk=account_id)


def listed[M: Model](
    qs: QuerySet[M], row: Callable[[M], dict[str, Any]], limit: int, offset: int, **filters: str
) -> dict[str, Any]:
    """A list endpoint's page ({"count", "items"}, as core.api_paging makes it): the ordered `qs` narrowed by the
    filters the caller gave (an empty one is no filter), each row as `row` makes it."""
    return page(qs.filter(**{k: v for k, v in filters.items() if v}), limit, offset, row)
