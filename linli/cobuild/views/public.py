"""三公开, open to anyone: a community's service items, each order's progress (masked), ratings and the quarter's
service stars; its projects and the fund's statement."""

from __future__ import annotations

import contextlib
import datetime as dt

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from linli.party.selectors import community_by_code

from .. import selectors


def disclosure(request: HttpRequest, code: str) -> HttpResponse:
    community = community_by_code(code)
    today = timezone.localdate()
    year = today.year
    with contextlib.suppress(ValueError):
        year = int(request.GET.get("year", year))
    year = min(max(year, 2000), today.year)
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
        "statement": selectors.statement(community, dt.date(year, 1, 1), dt.date(year + 1, 1, 1)),
        "year": year,
        "balance": selectors.balance_of(selectors.fund_account(community)),
        "spending": list(
            selectors.transfers_of(community).filter(occurred_on__year=year, project__isnull=False)[:50]
        ),
    }
    return render(request, "cobuild/public.html", context)
