"""我的党员信息: a party member's own page, made for a phone. A member who is a resident (an account verified in
the household of the resident record their member record is linked to, with its mobile number:
`selectors.own_member_records`) reads their branch, their member points of this year and in all with the ledger and
what gives them, and their 双报到 registrations with the post; nobody else's (the page reads only the caller's own
record)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from linli.core.pages import signed_in_page
from linli.core.session_memo import correct

from .. import selectors, waits
from ..permissions import MEMBER_KEY
from .common import ledger_page, points_rules


@signed_in_page
@require_GET
def my_member(request: HttpRequest) -> HttpResponse:
    year = timezone.localdate().year
    member = selectors.own_member(request.user, year=year)
    correct(request, MEMBER_KEY, member is not None)  # the home's tile follows what this page has just read
    registrations = list(selectors.member_registrations_of(request.user))
    for r in registrations:
        r.waits_for = waits.waits_for(r)  # type: ignore[attr-defined]
    context: dict[str, Any] = {
        "member": member,
        "year": year,
        "registrations": registrations,
        "leads": member is not None and selectors.leading_posts(request.user).exists(),
    }
    if member is not None:
        context.update(ledger=ledger_page(request, member), **points_rules())
    return render(request, "party/me.html", context)
