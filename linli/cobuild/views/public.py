"""三公开, open to anyone: a community's service items, each order's progress (masked), ratings and the quarter's
service stars; its projects and the fund's statement."""

from __future__ import annotations

import datetime as dt

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from linli.party.selectors import community_by_code

from .. import selectors
from ..choices import TransferKind
from .common import statement_period_of


def disclosure(request: HttpRequest, code: str) -> HttpResponse:
    community = community_by_code(code)
    period = statement_period_of(request)
    start, last = period["period_start"], period["period_end"]
    year = last.year
    projects = list(selectors.public_projects(community)[:30])
    context = {
        "community": community,
        "items": list(selectors.menu_of(community)),
        "orders": Paginator(selectors.public_orders(community), 10).get_page(request.GET.get("page")),
        "ratings": selectors.ratings_of(community),
        "releases": selectors.stars_released(community, limit=2),
        "milestones": selectors.milestones_of(projects),
        "commitments": selectors.commitment_lists(selectors.pairings_of(community), year),
        "projects": [(p, selectors.project_spent(p)) for p in projects],
        "statement": selectors.statement(community, start, last + dt.timedelta(days=1)),
        "year": year,
        **period,
        "balance": selectors.balance_of(selectors.fund_account(community)),
        "spending": list(
            selectors.transfers_of(community).filter(
                occurred_on__gte=start, occurred_on__lte=last, kind=TransferKind.EXPENSE
            )[:50]
        ),
    }
    return render(request, "cobuild/public.html", context)
