"""`linli setup`: what it prints (`linli demo`'s output and refusal are checked in test_whole_demo)."""

from __future__ import annotations

import io
from pathlib import Path

from django.contrib.auth import authenticate
from django.core.management import call_command
from django.test import RequestFactory

from linli.accounts.models import User
from linli.core.tests.fresh_process import run_python
from linli.territory.models import OrgNode


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


def test_setup_on_a_database_not_migrated_says_in_chinese_to_run_migrate_first(tmp_path: Path) -> None:
    """As an administrator's shell runs it on a new machine, before `linli migrate` (which `make run` runs first):
    no traceback from the first query ("no such table: territory_orgnode"), the command to run instead."""
    result = run_python(["-m", "linli", "setup", "--no-demo"], {"LINLI_VAR_DIR": str(tmp_path)})
    assert result.returncode == 1
    assert "Traceback" not in result.stderr and "no such table" not in result.stderr
    assert "数据库还没有建好或不是最新的" in result.stderr
    assert "请先运行 `linli migrate`，再运行 `linli setup`。" in result.stderr


def test_demo_on_a_database_not_migrated_says_in_chinese_to_run_migrate_first(tmp_path: Path) -> None:
    """`linli demo` run by hand on a new machine before `linli migrate`: the same words as setup's, naming demo."""
    result = run_python(["-m", "linli", "demo"], {"LINLI_VAR_DIR": str(tmp_path)})
    assert result.returncode == 1
    assert "Traceback" not in result.stderr and "no such table" not in result.stderr
    assert "请先运行 `linli migrate`，再运行 `linli demo`。" in result.stderr
