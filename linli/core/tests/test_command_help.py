"""An administrator reads `linli <command> --help` in Chinese: every Linli command's help and every option's help."""

from __future__ import annotations

import argparse
import re

import pytest
from django.core.management import CommandError, get_commands, load_command_class
from django.core.management.base import BaseCommand
from django.utils import translation

_CJK = re.compile(r"[\u4e00-\u9fff]")


def _english_helps(parser: argparse.ArgumentParser, where: str, base: set[str]) -> list[str]:
    """Help texts of this parser's own options and sub-commands (not Django's or argparse's) with no Chinese."""
    found = []
    for action in parser._actions:
        if isinstance(action, argparse._HelpAction) or action.dest in base:
            continue
        if isinstance(action, argparse._SubParsersAction):
            for choice in action._choices_actions:
                if not _CJK.search(str(choice.help or "")):
                    found.append(f"{where} {choice.dest}: {choice.help}")
            for name, sub in action.choices.items():
                found += _english_helps(sub, f"{where} {name}", set())
        elif action.help not in (None, argparse.SUPPRESS) and not _CJK.search(str(action.help)):
            found.append(f"{where} {'/'.join(action.option_strings) or action.dest}: {action.help}")
    return found


def test_every_linli_command_explains_itself_in_chinese() -> None:
    base = {a.dest for a in BaseCommand().create_parser("linli", "x")._actions}
    commands = {name: app for name, app in get_commands().items() if app.startswith("linli.")}
    assert len(commands) >= 16
    english = []
    with translation.override("zh-hans"):
        for name, app in sorted(commands.items()):
            parser = load_command_class(app, name).create_parser("linli", name)
            if not _CJK.search(parser.description or ""):
                english.append(f"{name}: {parser.description}")
            english += _english_helps(parser, name, base)
    assert not english, "help without Chinese:\n" + "\n".join(english)


def _backup(*, from_command_line: bool = True) -> argparse.ArgumentParser:
    command = load_command_class("linli.core", "backup")
    command._called_from_command_line = from_command_line
    return command.create_parser("linli", "backup")


def test_argparse_and_djangos_own_words_in_a_commands_help_are_chinese() -> None:
    with translation.override("zh-hans"):
        text = _backup().format_help()
    for chinese in (
        "用法：linli backup",
        "位置参数",
        "选项",
        "显示此帮助信息并退出",
        "输出的详细程度",
        "跳过系统检查",
    ):
        assert chinese in text, text
    for english in ("usage:", "positional arguments", "options:", "show this help", "Verbosity level"):
        assert english not in text, text


def test_the_same_words_are_english_in_english() -> None:
    with translation.override("en"):
        text = _backup().format_help()
    for english in (
        "usage: linli backup",
        "positional arguments:",
        "options:",
        "show this help message and exit",
    ):
        assert english in text, text
    assert not _CJK.search(text), text


def test_a_mistyped_command_line_is_told_in_chinese(capsys: pytest.CaptureFixture[str]) -> None:
    """A required argument missing, a value of the wrong kind: argparse's message, its values kept."""
    with translation.override("zh-hans"):
        with pytest.raises(SystemExit) as missing:
            _backup().parse_args([])
        first = capsys.readouterr().err
        with pytest.raises(SystemExit):
            _backup().parse_args(["x.tar", "-v", "7"])
        second = capsys.readouterr().err
        with pytest.raises(CommandError, match=r"^错误：无法识别的参数：--nope$"):
            _backup(from_command_line=False).parse_args(["x.tar", "--nope"])
    assert missing.value.code == 2
    assert first.startswith("用法：linli backup") and first.endswith(
        "linli backup：错误：缺少必需的参数：file\n"
    )
    assert "linli backup：错误：参数 -v/--verbosity：无效的选择：7（可选：0, 1, 2, 3）" in second, second


def test_the_sub_commands_of_a_command_are_chinese_too(capsys: pytest.CaptureFixture[str]) -> None:
    command = load_command_class("linli.sensors", "sensors")
    command._called_from_command_line = True
    with translation.override("zh-hans"):
        parser = command.create_parser("linli", "sensors")
        with pytest.raises(SystemExit):
            parser.parse_args(["listen", "--only", "x"])
    err = capsys.readouterr().err
    assert err.startswith("用法：linli sensors listen"), err
    assert "linli sensors listen：错误：参数 --only：无效的选择：'x'" in err, err
