"""The public pages of volunteering, open to anyone: a community's calendar of open activities, its past
activities with how many served and their hours and the photos everyone in them agreed to show, and its
published honours."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.views.decorators.http import require_GET

from linli.core.files import file_response
from linli.party.selectors import communities_open_to_all, community_by_code

from .. import selectors


@require_GET
def communities(request: HttpRequest) -> HttpResponse:
    return render(request, "volunteers/public/communities.html", {"communities": communities_open_to_all()})


PAST_PER_PAGE = 20  # past activities on a community's public page, the latest first


@require_GET
def community(request: HttpRequest, code: str) -> HttpResponse:
    node = community_by_code(code)
    past = Paginator(selectors.public_past_activities(node), PAST_PER_PAGE).get_page(request.GET.get("past"))
    return render(
        request,
        "volunteers/public/community.html",
        {
            "community": node,
            "calendar": selectors.public_calendar(node),
            "past": selectors.served_in(past.object_list),
            "past_page": past,
            "honours": list(selectors.public_honours(node)),
        },
    )


@require_GET
def photo(request: HttpRequest, pk: int) -> HttpResponseBase:
    """A photo of a past activity, only while its consent stands (withdrawn or never given: 404)."""
    return file_response(selectors.public_photo_get(pk).image, public=True)
