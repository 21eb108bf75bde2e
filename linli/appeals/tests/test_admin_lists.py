"""The administrator's lists of the taxonomy and the deadline rules: readable columns, filters that offer what
they filter by."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.test import Client

from linli import appeals
from linli.accounts.models import User
from linli.appeals.choices import ClockUnit
from linli.appeals.models import Category, SlaRule


@pytest.fixture
def admin(db: None) -> Client:
    client = Client()
    client.force_login(User.objects.create_superuser("root", password="x-123456789"))
    return client


def _column_headings(html: str) -> list[str]:
    thead = html.split("<thead>", 1)[1].split("</thead>", 1)[0]
    cells = re.findall(r'<th scope="col"[^>]*>(.*?)</th>', thead, re.S)
    return [" ".join(re.sub(r"<[^>]+>", " ", cell).split()) for cell in cells]


def test_the_deadline_rules_list_names_each_clock_once_with_its_amount_and_unit(admin: Client) -> None:
    rule = SlaRule.objects.filter(ack_unit=ClockUnit.WORKING_HOURS).order_by("rank", "pk").first()
    assert rule is not None
    page = admin.get("/admin/appeals/slarule/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert page.status_code == 200
    headings = [h for h in _column_headings(page.content.decode()) if h]
    # Each clock one column (签收时限: 2 工作小时), not an amount column followed by one more headed 单位.
    assert "单位" not in headings
    assert {"签收时限", "首次联系时限", "办结时限"} <= set(headings)
    assert f"{rule.ack_amount:g} 工作小时" in page.content.decode()


def test_the_unit_of_a_clock_is_called_so_on_the_rule_form(admin: Client) -> None:
    rule = SlaRule.objects.order_by("rank", "pk").first()
    assert rule is not None
    form = admin.get(f"/admin/appeals/slarule/{rule.pk}/change/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    labels = [str(form.context["adminform"].form.fields[name].label) for name in ["ack_unit", "resolve_unit"]]
    assert labels == ["计时单位", "计时单位"]


def test_the_categories_parent_filter_offers_only_the_top_level(admin: Client) -> None:
    top = Category.objects.filter(parent__isnull=True)
    second = Category.objects.filter(parent__isnull=False).first()
    assert top.exists() and second is not None
    page = admin.get("/admin/appeals/category/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    choices = [spec for spec in page.context["cl"].filter_specs if spec.title == "上级分类"]
    assert len(choices) == 1
    offered = {str(c["display"]) for c in choices[0].choices(page.context["cl"])}
    assert {str(t) for t in top} <= offered
    assert str(second) not in offered
    narrowed = admin.get(f"/admin/appeals/category/?parent__id__exact={second.parent_id}")
    assert {c.parent_id for c in narrowed.context["cl"].result_list} == {second.parent_id}


def test_the_categories_list_leads_with_the_name_and_keeps_it_on_one_line(admin: Client) -> None:
    """The name column was squeezed to one or two characters a line (低保/与救/助) by the long codes beside it:
    the name leads and opens the category, the list's stylesheet keeps it on one line, and a code may break
    after its dot."""
    category = Category.objects.filter(code="civil_affairs.subsistence").get()
    page = admin.get("/admin/appeals/category/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    html = page.content.decode()
    assert [h.split()[-1] for h in _column_headings(html)[1:3]] == [
        "名称",
        "编码",
    ]  # "2 编码": its sort order
    assert re.search(
        rf'<th class="field-name"><a href="/admin/appeals/category/{category.pk}/change/[^"]*">{category.name}</a>',
        html,
    )
    assert "civil_affairs.<wbr>subsistence" in html
    assert "appeals/admin.css" in html
    css = (Path(appeals.__file__).parent / "static/appeals/admin.css").read_text()
    assert re.search(r"\.model-category #result_list th\.field-name,[^{]*\{ white-space: nowrap; \}", css)
