"""The community fund's API (registered on co-building's router in api.py): a community's public statement for any
period, with each project account's statement, and allocating money of the fund to a project's account."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from ninja import Schema

from linli.core.api_access import staff_caller
from linli.party.selectors import community_by_code

from . import selectors, services


def money(amount: Decimal) -> str:
    return str(Decimal(amount).quantize(Decimal("0.01")))


class ProjectAccountOut(Schema):
    project_id: int
    title: str
    budget: str
    opening: str
    allocated: str
    spent: str
    closing: str


class StatementOut(Schema):
    community: str
    year: int | None
    date_from: dt.date
    date_to: dt.date
    balance: str
    opening: str
    closing: str
    income_total: str
    spending_total: str
    allocated_total: str
    projects: list[ProjectAccountOut]


class AllocationIn(Schema):
    amount: str
    memo: str


class AllocationOut(Schema):
    transfer_id: int
    project_id: int
    amount: str
    project_balance: str
    fund_balance: str


def fund_statement(
    request: HttpRequest,
    code: str,
    year: int | None = None,
    quarter: int | None = None,
    month: str | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> Any:
    """Public (三公开): a year's statement, a quarter's (`year` and `quarter` 1–4), a month's (`month` as 2026-03),
    or any period's with `date_from` and `date_to` (both days included); with each project account's statement."""
    community = community_by_code(code)
    start, end = services.statement_period(
        year=year, quarter=quarter, month=month, date_from=date_from, date_to=date_to
    )
    s = selectors.statement(community, start, end)
    return {
        "community": community.name,
        "year": None if date_from or date_to or month or quarter else start.year,
        "date_from": start,
        "date_to": end - dt.timedelta(days=1),
        "balance": money(selectors.balance_of(selectors.fund_account(community))),
        "opening": money(s["opening"]),
        "closing": money(s["closing"]),
        "income_total": money(s["income_total"]),
        "spending_total": money(s["spending_total"]),
        "allocated_total": money(s["allocated_total"]),
        "projects": [
            {
                "project_id": r["project"].pk,
                "title": r["project"].title,
                "budget": money(r["project"].budget),
                "opening": money(r["opening"]),
                "allocated": money(r["allocated"]),
                "spent": money(r["spent"]),
                "closing": money(r["closing"]),
            }
            for r in s["projects"]
        ],
    }


def project_allocate(request: HttpRequest, pk: int, body: AllocationIn) -> Any:
    """Staff: move `amount` yuan from the fund to the project's account, within its approved budget."""
    user = staff_caller(request)
    project = selectors.project_get_for(user, pk)
    transfer = services.project_allocate(actor=user, project=project, amount=body.amount, memo=body.memo)
    account = services.project_account(project)
    return 201, {
        "transfer_id": transfer.pk,
        "project_id": project.pk,
        "amount": money(Decimal(body.amount)),
        "project_balance": money(selectors.balance_of(account)),
        "fund_balance": money(selectors.balance_of(selectors.fund_account(project.community))),
    }
