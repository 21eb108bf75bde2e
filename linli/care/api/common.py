"""What the care API's modules share: the one router, the error responses, the account a payload names, a list's
page. Who calls: `core.api_access.staff_caller` for staff, `core.scoping.signed_in_account` for anyone signed in (a
volunteer or party member with visits assigned too: the selectors scope them)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import Model, QuerySet
from ninja import Router

from linli.accounts.models import User
from linli.core.api_paging import page
from linli.core.api_refs import body_ref
from linli.territory.schemas import ErrorOut

router = Router(tags=["care"])
ERRORS: dict[int, Any] = {403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


def account(field: str, account_id: int | None) -> User | None:
    """The account a payload's `field` names for a visitor (the service checks who may be one); unknown: that
    field refused (422)."""
    return body_ref(field, User.objects.filter(is_active=True), account_id)


def listed[M: Model](
    qs: QuerySet[M], row: Callable[[M], dict[str, Any]], limit: int, offset: int, **filters: str
) -> dict[str, Any]:
    """A list endpoint's page ({"count", "items"}, as core.api_paging makes it): the ordered `qs` narrowed by the
    filters the caller gave (an empty one is no filter), each row as `row` makes it."""
    return page(qs.filter(**{k: v for k, v in filters.items() if v}), limit, offset, row)
