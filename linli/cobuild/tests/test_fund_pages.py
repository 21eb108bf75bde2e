"""Allocating ahead on the staff's fund page: the form, its refusals in Chinese with what was typed kept, who may,
and a payment then paid from the money set aside."""

from __future__ import annotations

import datetime as dt
import html
import re
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from linli.cobuild import selectors, services
from linli.cobuild.models import FundAccount, FundTransfer, Payment, Project
from linli.testing import Cast

from .conftest import World, fund_with, lamps_asked, receipt

pytestmark = pytest.mark.django_db


def _allocations() -> list[Decimal]:
    return [
        e.amount
        for t in FundTransfer.objects.filter(kind="allocation").order_by("pk")
        for e in t.entries.all()
        if e.amount > 0
    ]


@pytest.fixture
def lit(world: World) -> Project:
    """A fund holding 1000 yuan and a project with a budget of 800, nothing allocated yet."""
    fund_with(world.cast, "1000.00")
    return services.project_create(
        actor=world.cast.community_worker, community=world.cast.community, title="楼道照明改造", budget="800"
    )


def fund_url(cast: Cast) -> str:
    return f"{reverse('cobuild:staff_fund')}?community={cast.community.pk}"


def test_a_community_worker_allocates_ahead_on_the_fund_page_and_a_payment_uses_it(
    world: World,
    lit: Project,
    client_for,  # type: ignore[no-untyped-def]
) -> None:
    cast, project = world.cast, lit
    staff = client_for("community_worker")
    url = fund_url(cast)

    page = staff.get(f"{url}&project={project.pk}").content.decode()
    assert "预拨项目资金" in page and "基金现有 1,000.00 元" in page
    assert "楼道照明改造 · 尚可拨付 800.00 元" in page
    assert f'<option value="{project.pk}" selected>' in page  # the project page's link preselects it

    form = {"form": "allocate", "project": project.pk, "memo": "首期灯具款"}
    # Not an amount, nothing, or a third decimal: said in Chinese on the form, the memo typed kept, nothing moved.
    for amount, said in (
        ("0", "请输入大于零、最多两位小数的金额"),
        ("12.345", "请输入大于零、最多两位小数的金额"),
        ("", "此项为必填项"),
    ):
        r = staff.post(url, {**form, "amount": amount})
        body = r.content.decode()
        assert r.status_code == 422 and said in body and 'value="首期灯具款"' in body, amount
    # Beyond what the budget leaves: refused on the form with what may still go.
    r = staff.post(url, {**form, "amount": "900"})
    body = r.content.decode()
    assert r.status_code == 422 and "最多还可拨付 800.00 元" in body and 'value="900"' in body
    assert not FundTransfer.objects.filter(kind="allocation").exists()

    r = staff.post(url, {**form, "amount": "500"}, follow=True)
    assert r.redirect_chain[-1][0] == url and "已拨付：款项已转入项目账户" in r.content.decode()
    assert _allocations() == [Decimal("500.00")]
    assert selectors.project_held(project) == Decimal("500.00")
    assert selectors.balance_of(selectors.fund_account(cast.community)) == Decimal("500.00")
    assert "楼道照明改造 · 尚可拨付 300.00 元" in r.content.decode()

    # The project's page shows what its account holds and what may still be allocated, with the way there.
    page = staff.get(reverse("cobuild:staff_project", args=[project.pk])).content.decode()
    assert "项目账户余额（元）" in page and "500.00" in page and "300.00" in page
    assert f"?community={cast.community.pk}&amp;project={project.pk}#allocate" in page

    # A second project asks more than the fund still holds: the fund's balance is said on the form.
    other = services.project_create(
        actor=cast.community_worker, community=cast.community, title="健身器材更新", budget="3000"
    )
    r = staff.post(url, {**form, "project": other.pk, "amount": "600"})
    assert r.status_code == 422 and "余额 500.00 元，这笔需要 600.00 元" in r.content.decode()
    assert _allocations() == [Decimal("500.00")]

    # A payment of 400 is then paid from the money set aside: no second allocation.
    payment = lamps_asked(cast, project, "400")
    services.payment_approve(actor=cast.street_officer, payment=payment)
    services.payment_approve(actor=cast.admin, payment=payment)
    assert _allocations() == [Decimal("500.00")]
    assert selectors.project_held(project) == Decimal("100.00")
    assert selectors.projects_unallocated(Project.objects.filter(pk=project.pk)) == {
        project.pk: Decimal("300.00")
    }


def test_allocating_ahead_follows_the_action_table(world: World, lit: Project, client_for) -> None:  # type: ignore[no-untyped-def]
    """fund_approve: the district leader reads the fund page but is offered no form, and a post anyway is the 403
    page with nothing moved; the street officer, in the row, allocates."""
    cast, project = world.cast, lit
    leader = client_for("district_leader")
    url = fund_url(cast)
    page = leader.get(url)
    assert page.status_code == 200 and "1,000.00" in page.content.decode()
    assert "预拨项目资金" not in page.content.decode()
    r = leader.post(url, {"form": "allocate", "project": project.pk, "amount": "100", "memo": "首期"})
    assert r.status_code == 403
    assert not FundAccount.objects.filter(project=project).exists()
    assert not FundTransfer.objects.filter(kind="allocation").exists()
    # Nor is the way there offered on the project's page.
    page = leader.get(reverse("cobuild:staff_project", args=[project.pk]))
    assert page.status_code == 200 and "#allocate" not in page.content.decode()
    street = client_for("street_officer")
    assert "预拨项目资金" in street.get(url).content.decode()
    r = street.post(url, {"form": "allocate", "project": project.pk, "amount": "100", "memo": "首期"})
    assert r.status_code == 302 and selectors.project_held(project) == Decimal("100.00")


def test_a_reversed_transfer_is_marked_and_offers_no_second_reversal(world: World, client_for) -> None:  # type: ignore[no-untyped-def]
    cast = world.cast
    fund_with(cast, "1000.00")
    income = FundTransfer.objects.get(kind="income")
    staff = client_for("community_worker")
    action = reverse("cobuild:staff_reverse", args=[income.pk])
    assert action in staff.get(fund_url(cast)).content.decode()
    services.transfer_reverse(actor=cast.community_worker, transfer=income, reason="重复登记")
    page = staff.get(fund_url(cast)).content.decode()
    assert action not in page and "已撤销" in page


def test_money_reads_with_a_thousands_separator_on_the_fund_page_and_the_public_page(
    world: World,
    client_for,  # type: ignore[no-untyped-def]
) -> None:
    cast = world.cast
    fund_with(cast, "12345.60")
    services.project_create(
        actor=cast.community_worker, community=cast.community, title="楼道照明改造", budget="10800"
    )
    page = client_for("community_worker").get(fund_url(cast)).content.decode()
    assert "12,345.60" in page and "12345.60" not in page
    assert "楼道照明改造 · 尚可拨付 10,800.00 元" in page
    public = (
        client_for("resident").get(reverse("cobuild:public", args=[cast.community.code])).content.decode()
    )
    assert "12,345.60" in public and "12345.60" not in public


def test_the_fund_page_speaks_plainly_and_says_what_income_spending_and_balance_mean(
    world: World,
    client_for,  # type: ignore[no-untyped-def]
) -> None:
    """A community worker reads the page without bookkeeping words: no 分录, 冲正, 期初 or 期末."""
    cast = world.cast
    fund_with(cast, "1000.00")
    page = client_for("community_worker").get(fund_url(cast)).content.decode()
    assert (
        "收入：进到基金里的钱" in page
        and "支出：为项目付出去的钱" in page
        and "结余：基金现在还剩的钱" in page
    )
    assert "开始时结余" in page and "结束时结余" in page and "撤销这笔" in page
    for jargon in ("分录", "冲正", "期初", "期末", "摘要"):
        assert jargon not in page, jargon


@time_machine.travel(dt.datetime(2026, 6, 20, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False)
def test_the_fund_page_shows_the_figures_first_and_the_records_a_page_at_a_time_by_month(
    world: World,
    client_for,  # type: ignore[no-untyped-def]
) -> None:
    """On a phone the page was every record of the fund one under another. Now: the balance and the period's
    figures first; the period's records ten to a page, the latest first, under their month; a link to the earlier
    ones that keeps the period and the kind chosen; and the forms folded unless they come back with an error."""
    cast = world.cast
    for month, day in [
        (1, 5),
        (2, 5),
        (3, 5),
        (3, 20),
        (4, 5),
        (4, 18),
        (5, 5),
        (5, 9),
        (5, 30),
        (6, 2),
        (6, 9),
    ]:
        services.income_record(
            actor=None,
            community=cast.community,
            source="共享停车场",
            amount="100",
            income_kind="parking",
            memo=f"停车收入{month:02d}{day:02d}",
            occurred_on=dt.date(2026, month, day),
        )
    services.income_record(
        actor=None,
        community=cast.community,
        source="居民",
        amount="50",
        income_kind="donation_money",
        memo="去年的捐赠",
        occurred_on=dt.date(2025, 12, 30),
    )
    staff = client_for("community_worker")
    url = fund_url(cast)
    page = staff.get(url).content.decode()
    assert page.index("1,150.00") < page.index("这段时间的收支记录")  # the balance before the records
    assert "共 11 笔" in page and "去年的捐赠" not in page
    assert page.count('<li class="cb-entry') == 10
    assert (
        page.index("2026年6月")
        < page.index("停车收入0609")
        < page.index("停车收入0602")
        < page.index("2026年5月")
    )
    assert "停车收入0105" not in page  # on the next page, one link away
    more = re.search(r'href="([^"]*page=2[^"]*)#entries">查看更早的记录', page)
    assert more is not None
    page2 = staff.get(reverse("cobuild:staff_fund") + html.unescape(more.group(1))).content.decode()
    assert "2026年1月" in page2 and "停车收入0105" in page2 and "停车收入0609" not in page2

    # The kind and the period keep working together, and their pages keep both.
    last_year = staff.get(f"{url}&year=2025&kind=income").content.decode()
    assert "去年的捐赠" in last_year and "停车收入0105" not in last_year and "共 1 笔" in last_year
    none = staff.get(f"{url}&kind=expense").content.decode()
    assert (
        "这段时间没有这类记录" in none and 'name="kind" value="expense"' in none
    )  # the period forms keep it
    paged = staff.get(f"{url}&quarter=2&year=2026&kind=income").content.decode()
    assert "共 7 笔" in paged

    # The forms are folded; one coming back with an error is open, with what was typed.
    assert '<details class="card cb-form-fold" id="income">' in page
    assert 'action="#income"' in page  # a refused post comes back scrolled to its form
    r = staff.post(url, {"form": "income", "community": cast.community.pk, "source": "张先生", "amount": "x"})
    body = r.content.decode()
    assert r.status_code == 422 and '<details class="card cb-form-fold" id="income" open>' in body
    assert 'value="张先生"' in body


def test_each_label_of_the_fund_pages_three_forms_names_a_field_of_its_own_form(
    world: World,
    lit: Project,
    client_for,  # type: ignore[no-untyped-def]
) -> None:
    """Recording income, asking to pay and allocating ahead each have an amount (and two a receipt, a memo, a
    project): their fields took the same ids, so tapping 金额（元） on the payment form put the cursor in the income
    form's amount, folded away above it."""
    page = client_for("community_worker").get(fund_url(world.cast)).content.decode()
    ids = re.findall(r'\sid="([^"]+)"', page)
    assert sorted({i for i in ids if ids.count(i) > 1}) == []
    for form in ("income", "payment", "allocate"):
        start = page.index(f'<input type="hidden" name="form" value="{form}">')
        body = page[start : page.index("</form>", start)]
        assert f'<label for="{form}_amount"' in body and f'id="{form}_amount"' in body


@pytest.mark.parametrize("typed", ["-5", "0"])
def test_income_or_a_payment_of_no_money_is_refused_in_the_funds_words(
    world: World,
    lit: Project,
    client_for,  # type: ignore[no-untyped-def]
    typed: str,
) -> None:
    """Income of −5 was refused as "确保该值大于或等于0。" (Django's words, which let 0 through to be refused in others):
    income and a payment now say what allocating says, with what was typed kept."""
    staff = client_for("community_worker")
    income = staff.post(
        fund_url(world.cast),
        {
            "form": "income",
            "community": world.cast.community.pk,
            "income_kind": "donation_money",
            "source": "金台商会",
            "amount": typed,
            "memo": "年终捐赠",
            "occurred_on": "2026-01-05",
        },
    )
    page = html.unescape(income.content.decode())
    assert income.status_code == 422 and "请输入大于零、最多两位小数的金额（元）。" in page
    assert "确保该值大于或等于" not in page and 'value="金台商会"' in page
    payment = staff.post(
        fund_url(world.cast),
        {"form": "payment", "project": lit.pk, "payee": "绿意园艺", "amount": typed, "purpose": "补种花苗"},
    )
    assert payment.status_code == 422 and "请输入大于零、最多两位小数的金额（元）。" in html.unescape(
        payment.content.decode()
    )


def test_a_payment_undone_reads_so_on_the_public_page(
    lit: Project,
    world: World,
    client_for,  # type: ignore[no-untyped-def]
) -> None:
    """每笔支出 listed an undone payment as if it still stood: it reads 已撤销 beside its purpose."""
    cast = world.cast
    services.project_allocate(actor=cast.street_officer, project=lit, amount="500", memo="首期")
    payment = lamps_asked(cast, lit, "120.00")
    services.payment_approve(actor=cast.street_officer, payment=payment)
    paid = services.payment_approve(actor=cast.admin, payment=payment)
    public = reverse("cobuild:public", args=[cast.community.code])
    row = re.compile(r'<tr class="cb-undone">.*?</tr>', re.S)
    assert not row.search(client_for("resident").get(public).content.decode())
    assert paid.transfer is not None
    services.transfer_reverse(actor=cast.community_worker, transfer=paid.transfer, reason="重复付款")
    undone = row.search(client_for("resident").get(public).content.decode())
    assert undone and "灯具" in undone[0] and "已撤销" in undone[0] and "120.00" in undone[0]


def test_a_payment_asked_beyond_the_budget_is_refused_on_its_form_with_what_was_typed(
    world: World,
    lit: Project,
    client_for,  # type: ignore[no-untyped-def]
) -> None:
    """A payment beyond what the project's budget leaves went back to the page as a message, the form folded and
    the receipt chosen gone without a word: it is refused on its form (422), open, with what was typed, and the
    receipt field says to choose it again; so does a payment refused for a field missing."""
    staff = client_for("community_worker")
    form = {"form": "payment", "project": lit.pk, "payee": "绿意园艺", "purpose": "补种花苗"}
    beyond = staff.post(fund_url(world.cast), {**form, "amount": "900", "receipt": receipt()})
    page = html.unescape(beyond.content.decode())
    assert beyond.status_code == 422
    assert '<details class="card cb-form-fold" id="payment" open>' in page
    assert "最多还可申请 800.00 元" in page and 'value="绿意园艺"' in page and 'value="900"' in page
    choose_again = "表单未保存，所选的文件没有保留：请重新选择。"
    assert choose_again in page
    unnamed = staff.post(fund_url(world.cast), {**form, "payee": "", "amount": "90", "receipt": receipt()})
    assert unnamed.status_code == 422 and choose_again in html.unescape(unnamed.content.decode())
    assert not Payment.objects.exists()
