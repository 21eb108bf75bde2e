"""The demo's co-building part: lists and matches, orders in every state, wishes, a balanced year of the fund."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.db.models import Sum

from linli.cobuild.models import FundEntry, FundTransfer, Match, Need, Order, Payment, Project, Wish
from linli.core.snapshots import snapshots_forget
from linli.demo import cobuild, deliberation, grid_log
from linli.demo.parts import DemoRun
from linli.demo.territory import demo_build


@pytest.fixture
def run(db: None) -> Iterator[DemoRun]:
    snapshots_forget()
    demo = DemoRun(scale=0.05, seed=11, say=lambda _line: None)
    demo.district = demo_build(scale=0.05, seed=11)
    grid_log.part(demo)
    deliberation.part(demo)  # the verified resident accounts
    yield demo
    snapshots_forget()


def test_the_cobuilding_demo(run: DemoRun) -> None:
    cobuild.part(run)
    assert Need.objects.filter(source="visit").exists() and Match.objects.exists()
    assert Project.objects.filter(state="done").exists() and Project.objects.filter(pledge=True).exists()
    assert {"ordered", "assigned", "done", "rated", "refused"} <= set(
        Order.objects.values_list("state", flat=True)
    )
    assert {"open", "adopted", "fulfilled", "thanked"} <= set(Wish.objects.values_list("state", flat=True))
    assert FundEntry.objects.aggregate(t=Sum("amount"))["t"] == 0
    assert FundTransfer.objects.filter(kind="expense").exists()
    assert Payment.objects.filter(state="approved_once").exists()
    for p in Project.objects.all():
        spent = -(
            FundEntry.objects.filter(transfer__project=p, account__kind="fund").aggregate(t=Sum("amount"))[
                "t"
            ]
            or 0
        )
        assert spent <= p.budget
