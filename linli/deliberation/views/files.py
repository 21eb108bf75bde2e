"""Co-governance's stored files, each served through the scoped lookup of what it belongs to (the site never serves
MEDIA_URL itself): a paper ballot's photo (the area's workers who list an open-ballot vote's ballots) and the photo of
a result's progress report (staff who see the meeting)."""

from __future__ import annotations

from django.http import Http404, HttpRequest
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_GET

from linli.core.errors import NotFound
from linli.core.files import file_response
from linli.core.pages import staff_page

from .. import permissions, selectors
from ..models import ResultUpdate


@staff_page
@require_GET
def ballot_photo(request: HttpRequest, pk: int, ballot_pk: int) -> HttpResponseBase:
    vote = selectors.vote_get_for(request.user, pk)
    if vote.anonymous or not permissions.may(request.user, "paper_ballot", vote.node.path):
        raise NotFound()
    ballot = get_object_or_404(vote.ballots.all(), pk=ballot_pk)
    if not ballot.paper_photo:
        raise Http404
    return file_response(ballot.paper_photo)


@staff_page
@require_GET
def update_photo(request: HttpRequest, pk: int, update_pk: int) -> HttpResponseBase:
    meeting = selectors.meeting_get_for(request.user, pk)
    update = get_object_or_404(ResultUpdate.objects.filter(result__meeting=meeting), pk=update_pk)
    if not update.photo:
        raise Http404
    return file_response(update.photo)
