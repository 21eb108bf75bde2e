"""What the party pages share: the sub-navigation and the rendering of a page with it."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Page, Paginator
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from linli.core.pages import Section, refused_status, section_page
from linli.core.roles import UNIT_ROLES

from .. import permissions, selectors, services
from ..choices import MemberPointsKind
from ..indicators import ACTIVE_MEMBER_POINTS
from ..models import MemberPointsEntry, PartyMember

# (section, label, URL name) of the party pages' own navigation.
SECTIONS: list[Section] = [
    ("orgs", _("Organisations"), "party:orgs"),
    ("members", _("Party members"), "party:members"),
    ("registrations", _("Member registration"), "party:registrations"),
    ("beacons", _("Beacon households"), "party:beacons"),
    ("partners", _("Partner units"), "party:partners"),
    ("meetings", _("Branch meetings"), "party:meetings"),
    ("stars", _("Branch stars"), "party:stars"),
]


# A unit's account (a partner unit's contact) has only its unit's pairings among the party pages.
UNIT_SECTIONS = [s for s in SECTIONS if s[0] == "partners"]


def page(request: HttpRequest, template: str, section: str, context: dict[str, Any]) -> HttpResponse:
    sections = UNIT_SECTIONS if getattr(request.user, "role", None) in UNIT_ROLES else SECTIONS
    return section_page(
        request,
        template,
        context,
        sections=sections,
        section=section,
        table=permissions.TABLE,
        status=refused_status(request),
    )


# Entries of a member's points ledger on one page, latest first (a member earns a few a month, for decades).
LEDGER_PER_PAGE = 50


def ledger_page(request: HttpRequest, member: PartyMember) -> Page[MemberPointsEntry]:
    """The page of the member's ledger the request asks for (`?page=`), shown with core's pager."""
    return Paginator(selectors.member_points_ledger(member), LEDGER_PER_PAGE).get_page(
        request.GET.get("page")
    )


def points_rules() -> dict[str, Any]:
    """How member points are earned, for a ledger's page: the points of each kind credited by rule (the rules page
    is staff's, and a branch's secretary saw their members' points without what gives them), and the points in a
    year that make a member active in the branch's stars."""
    rates = services.member_points_rates()
    rows = [
        (
            MemberPointsKind(kind).label,
            (
                gettext("%(n)d points an hour")
                if kind == MemberPointsKind.SERVICE_HOURS
                else gettext("%(n)d points each")
            )
            % {"n": n},
        )
        for kind, n in rates.items()
        if n
    ]
    return {"points_rules": rows, "active_points": ACTIVE_MEMBER_POINTS}


def int_or_none(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None
