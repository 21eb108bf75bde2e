"""An administrator reads `linli <command> --help` in Chinese: every Linli command's help and every option's help."""

from __future__ import annotations

import argparse
import re

from django.core.management import get_commands, load_command_class
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
