"""`linli demo` and `linli setup`: what they print and refuse."""

from __future__ import annotations

import io
from collections.abc import Iterator

import pytest
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command
from django.test import RequestFactory
from django.utils import translation

from linli.accounts.models import User
from linli.appeals.models import Appeal
from linli.core.snapshots import snapshots_forget
from linli.demo.territory import DemoDistrict, demo_build
from linli.territory.models import OrgNode, Resident


@pytest.fixture
def fresh_locator() -> Iterator[None]:
    snapshots_forget()
    yield
    snapshots_forget()


def test_the_demo_command_refuses_a_database_that_already_has_an_org_tree(
    db: None, fresh_locator: None
) -> None:
    demo: DemoDistrict = demo_build(scale=0.05, seed=11)
    before = Resident.objects.count()
    with pytest.raises(CommandError, match="只能导入空数据库"):
        call_command("demo", "--scale", "0.05", stdout=io.StringIO())
    assert Resident.objects.count() == before and OrgNode.objects.filter(pk=demo.district.pk).exists()


def test_the_demo_command_prints_the_password_once_and_the_user_names_in_the_deployment_language(
    db: None, fresh_locator: None
) -> None:
    out = io.StringIO()
    # An earlier test (or request) may leave English active in this thread; the command still speaks Chinese.
    with translation.override("en"):
        call_command("demo", "--scale", "0.05", "--seed", "3", stdout=out)
    text = out.getvalue()
    lines = text.splitlines()
    # Each part says so as it starts (`make run` is otherwise silent for minutes), then what it made.
    assert lines[0] == "[1/12] 辖区：街道、网格、房屋、居民、党组织和工作人员……"
    assert lines[1].startswith("演示辖区已导入")
    assert [line.split()[0] for line in lines if line.startswith("[")] == [f"[{n}/12]" for n in range(1, 13)]
    first_bar = next(i for i, line in enumerate(lines) if line.startswith("===="))
    password = lines[first_bar + 2].strip()  # the bar, the heading, then the password
    assert len(password) >= 12 and text.count(password) == 1
    for name in ["leader", "street", "community1", "community2", "dept-cgw", "grid001", "grid010"]:
        assert name in text
    assert "网格员: grid001 至 grid010（共 10 个账号）" in text
    assert "物业人员: property1" in text and "19900000001" in text and "19900000020" in text
    assert "共建单位: partner1" in text
    assert authenticate(RequestFactory().post("/"), username="street", password=password) is not None
    # The command also generates appeal history over the demo district, in several states.
    assert "诉求历史" in text
    assert "一网统览：已统计诉求" in text  # the last part, so the overview is full before any worker runs
    assert Appeal.objects.count() > 50
    assert Appeal.objects.values("state").distinct().count() >= 5


def test_setup_without_the_demo_creates_the_admin_once_and_prints_its_password_once(db: None) -> None:
    out = io.StringIO()
    call_command("setup", "--no-demo", stdout=out)
    assert not OrgNode.objects.exists()
    admin = User.objects.get(username="admin")
    assert admin.is_superuser
    # In the deployment's language, as every other line of set-up (it printed English boxes and counts).
    assert "已创建演示管理员" in out.getvalue() and "新增诉求分类" in out.getvalue()
    password = out.getvalue().split("密码: ")[1].split()[0]
    assert authenticate(RequestFactory().post("/"), username="admin", password=password) is not None
    again = io.StringIO()
    call_command("setup", "--no-demo", stdout=again)
    assert password not in again.getvalue() and User.objects.filter(username="admin").count() == 1
