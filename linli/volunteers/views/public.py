"""The public pages of volunteering, open to anyone: a community's calendar of open activities, its past
activities with how many served and their hours, and its published honours."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from linli.party.selectors import communities_open_to_all, community_by_code

from .. import selectors


@require_GET
def communities(request: HttpRequest) -> HttpResponse:
    return render(request, "volunteers/public/communities.html", {"communities": communities_open_to_all()})


@require_GET
def community(request: HttpRequest, code: str) -> HttpResponse:
    node = community_by_code(code)
    return render(
        request,
        "volunteers/public/community.html",
        {
            "community": node,
            "calendar": selectors.public_calendar(node),
            "past": selectors.public_past(node),
            "honours": list(selectors.public_honours(node)),
        },
    )
