"""While reporting: the open appeals of public categories around the point (masked as the public pages mask
them), "this is my problem too" to follow one instead of filing a duplicate, and a search for a place of the
territory (a building, compound, community, grid or station) that moves the pin — no external geocoder."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_POST

from linli.territory.places import places_search

from .. import services
from ..public import (
    NEARBY_LIMIT,
    communities,
    followed_numbers,
    open_public_appeals,
    public_appeal_by_number,
    public_item,
)
from .common import is_resident, resident_login_url, visitor


def _point(request: HttpRequest) -> tuple[float | None, float | None]:
    try:
        lng, lat = float(request.GET.get("lng", "")), float(request.GET.get("lat", ""))
    except ValueError:
        return None, None
    if not (73 <= lng <= 136 and 3 <= lat <= 54):
        return None, None
    return lng, lat


@require_GET
def nearby(request: HttpRequest) -> HttpResponse:
    """htmx: a few open public appeals around the pin, nearest first; before a pin is placed, only a hint (the
    whole street's list would push the form's contact fields and its button far down a phone's screen)."""
    lng, lat = _point(request)
    items: list[dict[str, Any]] = []
    if lng is not None and lat is not None:
        names = communities()
        items = [public_item(a, names) for a in open_public_appeals(lng=lng, lat=lat)[:NEARBY_LIMIT]]
    following = followed_numbers(visitor(request), [i["id"] for i in items])
    for item in items:
        item["following"] = item["id"] in following
    return render(
        request,
        "appeals/partials/nearby.html",
        {
            "items": items,
            "placed": lng is not None,
            "resident": is_resident(visitor(request)),
            "login_url": resident_login_url(),
        },
    )


@require_GET
def places(request: HttpRequest) -> HttpResponse:
    """htmx: places of the territory matching what was typed, each a button that moves the pin there."""
    query = request.GET.get("q", "")
    return render(
        request, "appeals/partials/places.html", {"places": places_search(query), "query": query.strip()}
    )


@require_POST
def follow(request: HttpRequest, tracking_number: str, following: bool = True) -> HttpResponse:
    """htmx (or a plain form): follow a public appeal, or stop; answers the button in its new state."""
    appeal = public_appeal_by_number(tracking_number)
    change = services.appeal_follow if following else services.appeal_unfollow
    change(actor=visitor(request), appeal=appeal)
    return render(
        request, "appeals/partials/follow_button.html", {"number": tracking_number, "following": following}
    )
