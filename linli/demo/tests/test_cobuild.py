"""The demo's co-building part: lists and matches, orders in every state, wishes, a balanced year of the fund."""

from __future__ import annotations

import pytest
from django.db.models import F, Sum

from linli.cobuild.choices import NeedState, OrderState, PaymentState, ProjectState, WishState
from linli.cobuild.models import (
    Commitment,
    FundEntry,
    FundTransfer,
    Match,
    Milestone,
    Need,
    Order,
    OrderEvent,
    Payment,
    Project,
    StarsRelease,
    Wish,
)
from linli.demo import cobuild, deliberation, grid_log
from linli.demo.parts import DemoRun
from linli.demo.tests.shared_run import small_run_fixtures

# Built once for this module (shared_build): its tests stay on one xdist worker (`--dist loadgroup`).
pytestmark = pytest.mark.xdist_group("test_cobuild")


# The small district with the grid log's venues and visits and the verified resident accounts, built once for this
# module's tests; each runs the co-building part on a copy and rolls back what it wrote.
small_run, run, _only_where_asked = small_run_fixtures(grid_log.part, deliberation.part)


def test_the_cobuilding_demo(run: DemoRun) -> None:
    cobuild.part(run)
    assert Need.objects.filter(source="visit").exists() and Match.objects.exists()
    assert Project.objects.filter(state="done").exists() and Project.objects.filter(pledge=True).exists()
    # Every state of every list and loop.
    assert set(NeedState.values) == set(Need.objects.values_list("state", flat=True))
    assert set(ProjectState.values) == set(Project.objects.values_list("state", flat=True))
    assert set(OrderState.values) == set(Order.objects.values_list("state", flat=True))
    assert set(WishState.values) == set(Wish.objects.values_list("state", flat=True))
    assert set(PaymentState.values) == set(Payment.objects.values_list("state", flat=True))
    assert OrderEvent.objects.filter(action="breach").exists()
    assert FundTransfer.objects.filter(kind="reversal").exists()
    assert Milestone.objects.filter(done_on__isnull=False).exclude(photo="").exists()
    assert Milestone.objects.filter(done_on__isnull=True).exists()
    assert Commitment.objects.filter(done_on__isnull=False).exists()
    assert Commitment.objects.filter(done_on__isnull=True).exists()
    assert Commitment.objects.filter(need__isnull=False).exists()
    assert Commitment.objects.filter(project__isnull=False).exists()
    assert StarsRelease.objects.exists() and all(r.stars for r in StarsRelease.objects.all())
    assert (
        not Order.objects.filter(state__in=["done", "rated"], served_at__isnull=True)
        .exclude(provider__account__isnull=True)
        .exists()
    )
    assert FundEntry.objects.aggregate(t=Sum("amount"))["t"] == 0
    # A resident follows the needs they raised on 我的需求: one matched, one open; another's closed with its reason.
    raised = Need.objects.filter(source="resident")
    assert {"open", "matched", "closed"} <= set(raised.values_list("state", flat=True))
    assert raised.filter(state="closed").exclude(closed_reason="").exists()
    first = raised.order_by("raised_by_id").first()
    assert first is not None
    assert set(raised.filter(raised_by=first.raised_by).values_list("state", flat=True)) == {
        "open",
        "matched",
    }
    assert FundTransfer.objects.filter(kind="expense").exists()
    assert Payment.objects.filter(state="approved_once").exists()
    # Every payment is asked for by a person (申请人 was "—"): the community's clerk, a community worker who
    # approves none of them; the grid worker who made the visit put its need on the list.
    assert not Payment.objects.filter(requested_by__isnull=True).exists()
    assert set(Payment.objects.values_list("requested_by__role", flat=True)) == {"community_worker"}
    assert not Payment.objects.filter(first_approver=F("requested_by")).exists()
    assert set(Need.objects.filter(source="visit").values_list("raised_by__role", flat=True)) == {
        "grid_worker"
    }
    for p in Project.objects.all():
        spent = -(
            FundEntry.objects.filter(transfer__project=p, account__kind="fund").aggregate(t=Sum("amount"))[
                "t"
            ]
            or 0
        )
        assert spent <= p.budget


def test_the_need_taken_from_a_suggestion_is_one_about_the_surroundings(run: DemoRun) -> None:
    """The demo takes up a suggestion about the rubbish station as an environment need, not the first suggestion
    whatever it says (a hospital's bills filed as 环境绿化)."""
    from linli.appeals.models import Appeal, Category
    from linli.territory.models import Grid

    assert run.district is not None
    community = run.district.communities[0]
    grid = Grid.objects.filter(org_node__path__startswith=community.path).order_by("id").first()
    assert grid is not None
    for n, (category, title) in enumerate(
        [("医院服务", "医院的检查项目太多"), ("垃圾处理与焚烧", "东门垃圾站又满了")]
    ):
        Appeal.objects.create(
            tracking_number=f"TDEMO{n:04d}",
            kind="suggestion",
            title=title,
            description=title,
            channel="web",
            contact_name="张三",
            contact_phone="13812345678",
            address="和平路1号院",
            grid=grid,
            org_path=community.path,
            category=Category.objects.create(code=f"demo-{n}", name=category),
            state="accepted",
        )
    cobuild.part(run)
    taken = Need.objects.filter(community=community, source="appeal")
    assert [(n.title, n.category) for n in taken] == [("东门垃圾站又满了", "environment")]


def test_no_project_that_has_not_started_has_paid_anything(run: DemoRun) -> None:
    """社区花园微更新 showed 待启动 at 0 % with 1,000.00 already paid out of the fund: money paid for a project not
    begun. A project not started has its first allocation set aside and nothing paid; the others have paid."""
    from linli.cobuild.selectors import project_held, project_spent

    cobuild.part(run)
    planned = Project.objects.filter(state=ProjectState.PLANNED)
    assert planned.exists()
    assert [(p.title, project_spent(p)) for p in planned if project_spent(p)] == []
    assert not Payment.objects.filter(project__in=planned, state=PaymentState.PAID).exists()
    assert all(project_held(p) > 0 for p in planned)
    assert all(project_spent(p) > 0 for p in Project.objects.exclude(state=ProjectState.PLANNED))
