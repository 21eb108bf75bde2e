"""An administrator types `linli`, `linli help` or `linli --help` and reads the list of commands in Chinese."""

from __future__ import annotations

import pytest
from django.utils import translation

from linli.cli import main


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[str, str, int]:
    code = 0
    try:
        main(["linli", *args])
    except SystemExit as exit_:
        code = int(exit_.code or 0)
    out, err = capsys.readouterr()
    return out, err, code


@pytest.mark.parametrize("args", [(), ("help",), ("--help",), ("-h",)])
def test_the_list_of_commands_is_chinese_with_a_line_for_each_of_linlis(
    capsys: pytest.CaptureFixture[str], args: tuple[str, ...]
) -> None:
    out, _err, code = _run(capsys, *args)
    assert code == 0
    assert out.startswith("用法：linli <命令> [选项]\n“linli help <命令>”显示该命令的参数和选项。"), out
    own, rest = out.split("邻里的命令：\n")[1].split("\n\n管理员常用的 Django 命令：\n")
    assert "  backup                在站点照常运行时把数据库备份到 FILE" in own
    assert "  worker                运行后台任务" in own
    assert len(own.splitlines()) >= 16
    admin, others = rest.split("\n\nDjango 的其他命令（说明为英文）：\n")
    assert "  migrate               创建或升级数据库" in admin
    assert "  createsuperuser       创建管理员账号" in admin
    assert "  check                 检查配置；加 --deploy" in admin
    # Django's own commands are all still listed, under their app, once each.
    assert "[django] " in others and " makemigrations " in others and "[staticfiles] findstatic" in others
    assert " migrate " not in others and "backup" not in others
    for english in ("Type 'linli help", "Available subcommands", "[core]"):
        assert english not in out


def test_the_list_in_english_reads_english(capsys: pytest.CaptureFixture[str]) -> None:
    with translation.override("en"):
        out, _err, _code = _run(capsys, "help")
    assert out.startswith("usage: linli <command> [options]"), out
    assert "Linli's commands:" in out
    assert "  migrate               create or upgrade the database" in out


def test_help_commands_stays_the_bare_names_for_scripts(capsys: pytest.CaptureFixture[str]) -> None:
    out, _err, _code = _run(capsys, "help", "--commands")
    names = out.split()
    assert "backup" in names and "migrate" in names and names == sorted(names)


def test_an_unknown_command_is_answered_in_chinese_with_the_nearest(
    capsys: pytest.CaptureFixture[str],
) -> None:
    _out, err, code = _run(capsys, "migrat")
    assert code == 1
    assert err == "没有这个命令：migrat。您是不是要输入 migrate？\n“linli help”列出所有命令。\n"
    _out, err, code = _run(capsys, "xyzzy")
    assert (code, err) == (1, "没有这个命令：xyzzy。\n“linli help”列出所有命令。\n")
