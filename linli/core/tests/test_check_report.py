"""The system checks' report reads in the administrator's language, on every command; the holidays reminder
(linli.W001) is given where the administrator acts on it (`linli check`, starting the site), not by every command."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import checks
from django.core.checks.registry import registry
from django.core.management import call_command, get_commands, load_command_class
from django.core.management.base import OutputWrapper, SystemCheckError

from linli.core.management.commands.serve import Command as Serve

pytestmark = pytest.mark.django_db  # the holidays check reads the calendar

CST = ZoneInfo("Asia/Shanghai")
ENGLISH = ("System check", "WARNINGS", "ERRORS", "issues", "silenced", "HINT", "?: ")


@pytest.fixture
def november() -> Iterator[None]:
    """2 November 2026: the package knows no 2027 holidays and none are entered, so linli.W001 is due."""
    with time_machine.travel(dt.datetime(2026, 11, 2, 10, 0, tzinfo=CST), tick=False):
        yield


@pytest.fixture(autouse=True)
def _async_safety_on(monkeypatch: pytest.MonkeyPatch) -> None:
    # The browser tests' setting, which --deploy refuses (async.E001); no deployment sets it.
    monkeypatch.delenv("DJANGO_ALLOW_ASYNC_UNSAFE", raising=False)


def _said(command: str, *args: str) -> str:
    """What `linli COMMAND ARGS` prints, its checks run as on the command line (call_command skips them)."""
    out, err = io.StringIO(), io.StringIO()
    checked = {} if command == "check" else {"skip_checks": False}  # `check` has no such option
    call_command(command, *args, stdout=out, stderr=err, **checked)
    return out.getvalue() + err.getvalue()


def test_the_check_speaks_chinese_from_heading_to_count(november: None) -> None:
    said = _said("check")
    assert said.startswith("系统检查发现以下问题：\n\n警告：\n(linli.W001) 2027年的节假日尚未录入"), said
    assert said.rstrip().endswith("系统检查发现 1 个问题（另有 0 个已设为不提示）。"), said
    assert not any(word in said for word in ENGLISH), said


def test_a_clean_check_says_so_in_chinese() -> None:
    with time_machine.travel(dt.datetime(2026, 10, 2, 10, 0, tzinfo=CST), tick=False):
        assert _said("check").strip() == "系统检查未发现问题（另有 0 个已设为不提示）。"


@pytest.fixture
def an_error() -> Iterator[None]:
    def broken(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
        return [checks.Error("坏了", hint="改好它", id="linli.E999")]

    registry.register(broken)
    try:
        yield
    finally:
        registry.registered_checks.discard(broken)


def test_an_error_stops_the_command_in_chinese_with_its_hint(an_error: None) -> None:
    with pytest.raises(SystemCheckError) as stopped:
        _said("showmigrations", "core")
    text = str(stopped.value)
    assert "系统检查发现必须先改正的问题：" in text and "错误：\n(linli.E999) 坏了\n\t建议：改好它" in text, (
        text
    )
    assert not any(word in text for word in ENGLISH), text


def test_the_holidays_reminder_is_not_repeated_by_every_command(november: None, settings: Any) -> None:
    settings.LINLI_SMS_BACKEND = "no.such.Backend"  # a warning every command still gives (linli.W002)
    for command, args in (
        ("showmigrations", ["core"]),
        ("migrate", ["--verbosity", "0"]),
        ("missing_translations", []),
    ):
        said = _said(command, *args)
        assert "(linli.W002)" in said and "警告：" in said, (command, said)
        assert "linli.W001" not in said and "节假日" not in said, (command, said)


def test_the_holidays_reminder_is_given_by_the_check_and_when_the_site_starts(november: None) -> None:
    assert "(linli.W001)" in _said("check")
    assert "(linli.W001)" in _said("check", "--deploy")
    for command in (Serve(), load_command_class(get_commands()["runserver"], "runserver")):
        err = io.StringIO()
        command.stderr = OutputWrapper(err)
        command.check(display_num_errors=True)  # what each runs before it serves
        assert "(linli.W001) 2027年的节假日尚未录入" in err.getvalue(), command
        assert "系统检查发现 1 个问题" in err.getvalue()
    # Asked for other tags only, the check leaves the reminder out, as Django does with any tag not asked for.
    assert "linli.W001" not in _said("check", "--tag", "models")


def test_serve_gives_the_reminder_and_says_where_it_serves_in_chinese(
    november: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    import gunicorn.app.wsgiapp

    monkeypatch.setattr(gunicorn.app.wsgiapp, "run", lambda: None)  # gunicorn itself is not started
    monkeypatch.setattr("sys.argv", ["linli"])
    said = _said("serve", "--port", "8123")
    assert "(linli.W001) 2027年的节假日尚未录入" in said
    assert "邻里正在 http://127.0.0.1:8123/ 提供服务（按 Ctrl-C 停止）。" in said, said
