"""三公开, open to anyone: a community's service items, each order's progress (masked), ratings and the quarter's
service stars; its projects and the fund's statement."""

from __future__ import annotations

import contextlib
import datetime as dt

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from linli.core.errors import ValidationFailed
from linli.party.selectors import community_by_code

from .. import selectors, services


def disclosure(request: HttpRequest, code: str) -> HttpResponse:
    community = community_by_code(code)
    today = timezone.localdate()
    year = today.year
    with contextlib.suppress(ValueError):
        year = int(request.GET.get("year", year))
    year = min(max(year, 2000), today.year)
    period_error = ""
    try:
        start, end = services.statement_period(
            year=year, date_from=request.GET.get("from"), date_to=request.GET.get("to")
        )
    except ValidationFailed as e:
        period_error = e.message
        start, end = services.statement_period(year=year)
    projects = list(selectors.public_projects(community)[:30])
    context = {
        "community": community,
        "items": list(selectors.menu_of(community)),
        "orders": list(selectors.public_orders(community)[:30]),
        "ratings": selectors.ratings_of(community),
        "releases": selectors.stars_released(community, limit=2),
        "milestones": selectors.milestones_of(projects),
        "commitments": selectors.commitment_lists(selectors.pairings_of(community), year),
        "projects": [(p, selectors.project_spent(p)) for p in projects],
        "statement": selectors.statement(community, start, end),
        "year": year,
        "period_start": start,
        "period_end": end - dt.timedelta(days=1),
        "period_error": period_error,
        "balance": selectors.balance_of(selectors.fund_account(community)),
        "spending": list(
            selectors.transfers_of(community).filter(
                occurred_on__gte=start, occurred_on__lt=end, project__isnull=False
            )[:50]
        ),
    }
    return render(request, "cobuild/public.html", context)
