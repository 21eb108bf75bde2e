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

# The page's paged lists, each with its own parameter so moving through one keeps the others: orders (`page`),
# projects (`projects`) and the period's payments (`payments`).
ORDERS_PER_PAGE = 10
PROJECTS_PER_PAGE = 10
PAYMENTS_PER_PAGE = 20


def disclosure(request: HttpRequest, code: str) -> HttpResponse:
    community = community_by_code(code)
    period = statement_period_of(request)
    start, last = period["period_start"], period["period_end"]
    year = last.year
    project_page = Paginator(selectors.public_projects(community), PROJECTS_PER_PAGE).get_page(
        request.GET.get("projects")
    )
    payments = selectors.transfers_of(community).filter(
        occurred_on__gte=start, occurred_on__lte=last, kind=TransferKind.EXPENSE
    )
    context = {
        "community": community,
        "items": list(selectors.menu_of(community)),
        "orders": Paginator(selectors.public_orders(community), ORDERS_PER_PAGE).get_page(
            request.GET.get("page")
        ),
        "ratings": selectors.ratings_of(community),
        "releases": selectors.stars_released(community, limit=2),
        "milestones": selectors.milestones_of(list(project_page)),
        "commitments": selectors.commitment_lists(selectors.pairings_of(community), year),
        "project_page": project_page,
        "projects": [(p, selectors.project_spent(p)) for p in project_page],
        "statement": selectors.statement(community, start, last + dt.timedelta(days=1)),
        "year": year,
        **period,
        "balance": selectors.balance_of(selectors.fund_account(community)),
        "spending": Paginator(payments, PAYMENTS_PER_PAGE).get_page(request.GET.get("payments")),
    }
    return render(request, "cobuild/public.html", context)
