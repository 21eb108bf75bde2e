"""Public pages of appeals (三公开): one page per appeal of a public category — what it was, roughly where, how it
went and how it was solved, with the photos its resident allowed to publish — and a public map of the solved ones.

Nothing personal is shown: no name, number, address or the resident's words. The place is the grid and community
(the grid's centre rounded to about 100 m); the handling is the unit's resolution note with any phone number in
it masked. Followers reach the page from their notifications.
"""

from __future__ import annotations

import re

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from linli.core.files import file_response
from linli.core.masking import mask_phone

from ..choices import PhotoStage
from ..models import Appeal, AppealPhoto
from ..public import (
    FOLLOWABLE_STATES,
    communities,
    followed_numbers,
    public_item,
    public_only,
    solved_public_appeals,
)
from .common import is_resident, resident_login_url, visitor

MAP_LIMIT = 500
_PHONE_IN_TEXT = re.compile(r"(?<!\d)(1\d{10}|0\d{2,3}-?\d{7,8})(?!\d)")


def masked_text(text: str) -> str:
    """A staff-written text for the public: any phone number in it masked."""
    return _PHONE_IN_TEXT.sub(lambda m: mask_phone(m.group(0)), text or "")


def _public_or_404(number: str) -> Appeal:
    appeal = (
        public_only(Appeal.objects.filter(tracking_number=number))
        .select_related("category__parent", "grid")
        .first()
    )
    if appeal is None:
        raise Http404
    return appeal


def _shown_photos(appeal: Appeal) -> list[AppealPhoto]:
    """The resident's photos, once solved and only when they allowed it at reporting."""
    if not appeal.photos_public or appeal.resolved_at is None or appeal.is_open:
        return []
    return list(appeal.photos.filter(stage=PhotoStage.INTAKE))


@require_GET
def appeal_page(request: HttpRequest, tracking_number: str) -> HttpResponse:
    appeal = _public_or_404(tracking_number)
    user = visitor(request)
    resident = is_resident(user)
    following = resident and bool(followed_numbers(user, [appeal.tracking_number]))
    solved = not appeal.is_open and appeal.resolved_at is not None
    return render(
        request,
        "appeals/public_appeal.html",
        {
            "appeal": appeal,
            "item": public_item(appeal, communities()),
            "solved": solved,
            "note": masked_text(appeal.resolution_note) if solved else "",
            "photos": _shown_photos(appeal),
            "followable": appeal.state in FOLLOWABLE_STATES,
            "resident": resident,
            "following": following,
            "own": resident and appeal.resident_id == user.pk,
            "login_url": resident_login_url(),
        },
    )


@require_GET
def public_photo(request: HttpRequest, tracking_number: str, pk: int) -> HttpResponseBase:
    appeal = _public_or_404(tracking_number)
    photo = next((p for p in _shown_photos(appeal) if p.pk == pk), None)
    if photo is None:
        raise Http404
    return file_response(photo.image, public=True)


@require_GET
def solved_map(request: HttpRequest) -> HttpResponse:
    """The public map of solved appeals (pins from solved.json) with the latest ones listed below it."""
    names = communities()
    latest = [public_item(a, names) for a in solved_public_appeals()[:20]]
    return render(request, "appeals/public_map.html", {"latest": latest})


@require_GET
@cache_control(public=True, max_age=300)
def solved_json(request: HttpRequest) -> JsonResponse:
    """Solved public appeals for the map: number, category, grid, community, date and rounded position."""
    names = communities()
    rows = []
    for a in solved_public_appeals()[:MAP_LIMIT]:
        item = public_item(a, names)
        rows.append(
            {
                "id": item["id"],
                "category": item["category"],
                "subject": item["subject"],
                "place": " ".join(x for x in (item["community"], item["grid"]) if x),
                "resolved": item["resolved"].strftime("%Y-%m-%d") if item["resolved"] else "",
                "lat": item["lat"],
                "lng": item["lng"],
                "url": f"/appeals/public/{item['id']}/",
            }
        )
    return JsonResponse({"items": rows}, json_dumps_params={"ensure_ascii": False})
