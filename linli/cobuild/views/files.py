"""Co-building's stored files, each served through the scoped lookup of what it belongs to (the site never serves
MEDIA_URL itself): a milestone's photo (public, as on the public page), an order's photo (whoever may open the
order), a wish's photo (whoever may open the wish) and a payment's receipt (staff of its community)."""

from __future__ import annotations

from django.http import Http404, HttpRequest
from django.http.response import HttpResponseBase
from django.views.decorators.http import require_GET

from linli.core.files import file_response
from linli.core.pages import signed_in_page

from .. import selectors
from .common import community_page


def _stored(field: object) -> object:
    if not field:
        raise Http404
    return field


@require_GET
def milestone_photo(request: HttpRequest, pk: int) -> HttpResponseBase:
    return file_response(_stored(selectors.milestone_get(pk).photo), public=True)


@signed_in_page
@require_GET
def order_photo(request: HttpRequest, pk: int) -> HttpResponseBase:
    return file_response(_stored(selectors.order_get_for(request.user, pk).photo))


@signed_in_page
@require_GET
def wish_photo(request: HttpRequest, pk: int) -> HttpResponseBase:
    return file_response(_stored(selectors.wish_get_for(request.user, pk).photo))


@community_page
@require_GET
def payment_receipt(request: HttpRequest, pk: int) -> HttpResponseBase:
    return file_response(_stored(selectors.payment_get_for(request.user, pk).receipt))
