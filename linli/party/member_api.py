"""A party member's own record (mounted under /api/party/me): 我的党员信息 as the page `/party/me/` reads it. The
caller's own member record only (`selectors.own_member_records`: an account verified in the household of the
member's resident record, with its mobile number); an account with none is answered 404. The member's 双报到
registrations are `GET /api/party/registrations/mine`."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router

from linli.core.api_paging import limit_param, offset_param, page
from linli.core.errors import NotFound
from linli.territory.schemas import ErrorOut

from . import selectors
from .api_shapes import ref
from .models import PartyMember
from .schemas import MyMemberOut, PointsEntryPage

router = Router(tags=["party"])
ERRORS: dict[int, Any] = {404: ErrorOut}


def _own(request: HttpRequest, year: int) -> PartyMember:
    member = selectors.own_member(request.user, year=year)
    if member is None:
        raise NotFound(_("Your account is not linked to a party member record."))
    return member


@router.get("", response={200: MyMemberOut, **ERRORS})
def my_member(request: HttpRequest) -> dict[str, Any]:
    """The caller's branch, position and member points of this year and in all."""
    year = timezone.localdate().year
    m = _own(request, year)
    return {
        "id": m.pk,
        "name": m.name,
        "position": m.position,
        "position_label": m.get_position_display(),
        "joined_on": m.joined_on,
        "branch": ref(m.party_org),
        "community": ref(m.party_org.org_node),
        "year": year,
        "points_year": m.points_year,  # type: ignore[attr-defined]
        "points_total": m.points_total,  # type: ignore[attr-defined]
        "leads_branch": selectors.leading_posts(request.user).exists(),
    }


@router.get("/points", response={200: PointsEntryPage, **ERRORS})
def my_points(
    request: HttpRequest, limit: int = limit_param(), offset: int = offset_param()
) -> dict[str, Any]:
    """The caller's own points ledger, the latest entry first, a page at a time."""
    member = _own(request, timezone.localdate().year)
    return page(selectors.member_points_ledger(member), limit, offset, lambda entry: entry)
