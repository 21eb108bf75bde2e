"""The demo's co-building fund (社区基金) of one community: a year of income and of payments for its projects, each
through the real services with the clock moved to its day (part of `demo/cobuild.py`'s part)."""

from __future__ import annotations

import contextlib
import datetime as dt
import random

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from linli.accounts.models import User
from linli.cobuild import selectors, services
from linli.cobuild.choices import ProjectState
from linli.core.errors import DomainError
from linli.territory.models import OrgNode

from .clock import at, travel


def fund_year(
    rng: random.Random, community: OrgNode, worker: User | None, clerk: User | None, street: User | None
) -> None:
    """A year of the fund: monthly parking income, venue income, donations; payments for the projects under way or
    done, each asked for by the community's clerk and approved by the community worker and the street (a project
    not started yet has its first allocation set aside, and nothing paid)."""
    today = timezone.localdate()
    donors = ["爱心商户联盟", "辖区企业党支部", "居民自发捐赠", "物业公司"]
    for m in range(12, 0, -1):
        # A day of the m-th month before this one, counted in months (thirty days back from the first of a month
        # once gave two incomes to one month and none to the February before it).
        back = today.year * 12 + today.month - 1 - m
        day = dt.date(back // 12, back % 12 + 1, rng.randint(3, 25))
        with travel(at(day, 10)):
            services.income_record(
                actor=worker,
                community=community,
                source="共享停车场",
                amount=f"{rng.randint(1800, 3200)}.00",
                income_kind="parking",
                memo=f"{day:%Y年%m月}共享停车收入",
                occurred_on=day,
            )
            if m % 3 == 0:
                services.income_record(
                    actor=worker,
                    community=community,
                    source=rng.choice(donors),
                    amount=f"{rng.randint(10, 60) * 100}.00",
                    income_kind="donation_money",
                    memo="公益捐赠",
                    occurred_on=day,
                )
            if m % 4 == 1:
                services.income_record(
                    actor=worker,
                    community=community,
                    source="党群服务中心",
                    amount=f"{rng.randint(3, 9) * 100}.00",
                    income_kind="venue",
                    memo="活动室场地使用收入",
                    occurred_on=day,
                )
    projects = list(selectors.public_projects(community))
    for project in projects:
        with contextlib.suppress(
            DomainError
        ):  # set aside part of the budget on the project's own account first
            services.project_allocate(
                actor=street, project=project, amount=project.budget / 2, memo="首期拨付"
            )
        for n in range(2):
            amount = f"{rng.randint(8, 25) * 100}.00"
            payee = rng.choice(["明亮电器维修部", "安心门禁科技", "阳光家政服务社", "四季文具店"])
            if project.state == ProjectState.PLANNED:
                continue  # not started: its money is set aside, nothing is paid for work not begun
            try:
                payment = services.payment_request(
                    actor=clerk,
                    project=project,
                    payee=payee,
                    amount=amount,
                    purpose="材料及人工" if n == 0 else "活动物资",
                    receipt=SimpleUploadedFile(
                        "receipt.pdf", b"%PDF-1.4 demo receipt", content_type="application/pdf"
                    ),
                )
                services.payment_approve(actor=worker, payment=payment)
                if n == 0 or project.state == "done":
                    services.payment_approve(actor=street, payment=payment)
            except DomainError:
                continue
    if projects:
        receipt = SimpleUploadedFile("receipt.pdf", b"%PDF-1.4 demo receipt", content_type="application/pdf")
        waiting = services.payment_request(
            actor=clerk,
            project=projects[-1],
            payee="绿意园艺",
            amount="600.00",
            purpose="花苗与种植土",
            receipt=receipt,
        )
        refused = services.payment_request(
            actor=clerk,
            project=projects[-1],
            payee="某装饰公司",
            amount="900.00",
            purpose="围栏",
            receipt=receipt,
        )
        services.payment_reject(actor=street, payment=refused, reason="报价偏高，请再比价")
        assert waiting.state == "requested"
    wrong = services.income_record(
        actor=worker,
        community=community,
        source="居民自发捐赠",
        amount="200.00",
        income_kind="donation_money",
        memo="误录（重复登记）",
        occurred_on=today - dt.timedelta(days=20),
    )
    services.transfer_reverse(actor=worker, transfer=wrong, reason="重复登记，撤销")
