"""A Linli command's help and argument errors in the active language (Chinese by default, English through the .po).

`TranslatedHelpCommand` turns the command's lazy `help` into text when the parser is made, and makes the parser a
`TranslatedParser`: argparse's own words ("usage:", "options", "show this help message and exit", "the following
arguments are required: …") and the help of the options Django gives every command (--verbosity, --settings …) are
looked up in the infra catalogue. argparse and Django write them in English with no catalogue of their own; their
English is the msgid, so English stays as it was. Django's own commands (migrate …) make their parsers themselves
and keep argparse's English.
"""

from __future__ import annotations

import argparse
import re
import sys
from functools import cache, partial
from typing import Any, NoReturn, cast

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

# argparse's words in a help page, as argparse writes them.
USAGE = gettext_noop("usage: ")
OPTIONS = gettext_noop("options")
POSITIONALS = gettext_noop("positional arguments")
HELP = gettext_noop("show this help message and exit")

# argparse's error messages a person can meet (not those about a parser built wrongly), as argparse writes them.
ERRORS = (
    gettext_noop("argument %(argument_name)s: %(message)s"),
    gettext_noop("the following arguments are required: %s"),
    gettext_noop("one of the arguments %s is required"),
    gettext_noop("not allowed with argument %s"),
    gettext_noop("unrecognized arguments: %s"),
    gettext_noop("ambiguous option: %(option)s could match %(matches)s"),
    gettext_noop("ignored explicit argument %r"),
    gettext_noop("expected one argument"),
    gettext_noop("expected at most one argument"),
    gettext_noop("expected at least one argument"),
    gettext_noop("invalid %(type)s value: %(value)r"),
    gettext_noop("invalid choice: %(value)r (choose from %(choices)s)"),
    gettext_noop("unknown parser %(parser_name)r (choices: %(choices)s)"),
)

# The help of the options Django's BaseCommand.create_parser gives every command, as Django writes it.
DJANGO_HELPS = (
    gettext_noop("Show program's version number and exit."),
    gettext_noop(
        "Verbosity level; 0=minimal output, 1=normal output, 2=verbose output, 3=very verbose output"
    ),
    gettext_noop(
        'The Python path to a settings module, e.g. "myproject.settings.main". If this isn\'t provided, the '
        "DJANGO_SETTINGS_MODULE environment variable will be used."
    ),
    gettext_noop('A directory to add to the Python path, e.g. "/home/djangoprojects/myproject".'),
    gettext_noop("Display a full stack trace on CommandError exceptions."),
    gettext_noop("Don't colorize the command output."),
    gettext_noop("Force colorization of the command output."),
    gettext_noop("Skip system checks."),
)

_PLACEHOLDER = re.compile(r"%\((\w+)\)[sr]|%[sr]")


@cache
def _pattern(msgid: str) -> re.Pattern[str]:
    """`msgid` as a pattern that matches the message argparse made of it, each value a group."""
    pieces, end = [], 0
    for match in _PLACEHOLDER.finditer(msgid):
        pieces += [re.escape(msgid[end : match.start()]), "(.+?)"]
        end = match.end()
    return re.compile("".join(pieces) + re.escape(msgid[end:]) + r"\Z", re.DOTALL)


def translate_error(message: str) -> str:
    """argparse's error `message` in the active language: its words translated, its values (names of options,
    what was typed) as they were."""
    for msgid in ERRORS:
        match = _pattern(msgid).match(message)
        if match:
            return _fill(
                _(msgid), names=[m.group(1) for m in _PLACEHOLDER.finditer(msgid)], found=match.groups()
            )
    return message


def _fill(translated: str, *, names: list[str | None], found: tuple[str, ...]) -> str:
    """`translated` with the values `found` in the message: by name, or in order where the msgid has no names."""
    values = dict(zip(names, found, strict=True))
    if "message" in values:  # "argument --port: <what was wrong with it>"
        values["message"] = translate_error(values["message"])
    in_order = iter(found)
    return _PLACEHOLDER.sub(lambda m: values[m.group(1)] if m.group(1) else next(in_order), translated)


_FORMATTERS: dict[type[argparse.HelpFormatter], type[argparse.HelpFormatter]] = {}


def _translated_usage(formatter_class: type[argparse.HelpFormatter]) -> type[argparse.HelpFormatter]:
    """`formatter_class` whose usage line starts with "usage: " in the active language (one class for each)."""
    if getattr(formatter_class, "usage_translated", False):
        return formatter_class
    if formatter_class in _FORMATTERS:
        return _FORMATTERS[formatter_class]

    class Formatter(formatter_class):  # type: ignore[misc,valid-type]
        usage_translated = True

        def add_usage(self, usage: Any, actions: Any, groups: Any, prefix: str | None = None) -> None:
            super().add_usage(usage, actions, groups, _(USAGE) if prefix is None else prefix)

    Formatter.__name__ = Formatter.__qualname__ = f"Translated{formatter_class.__name__}"
    return _FORMATTERS.setdefault(formatter_class, Formatter)


class TranslatedParser(CommandParser):
    """Django's CommandParser in the active language (see the module's docstring); its sub-commands' parsers too."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._translate()

    @classmethod
    def adopt(cls, parser: CommandParser) -> TranslatedParser:
        """`parser`, made by Django's BaseCommand.create_parser, and its sub-commands' parsers as TranslatedParser."""
        parser.__class__ = cls
        assert isinstance(parser, TranslatedParser)
        parser._translate()
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                for sub in {id(p): p for p in action.choices.values()}.values():
                    cls.adopt(sub)
                # Sub-commands added later are made translated too, as Django's add_subparsers makes them.
                action._parser_class = partial(  # type: ignore[assignment]
                    cls, called_from_command_line=parser.called_from_command_line
                )
        return parser

    def _translate(self) -> None:
        self.formatter_class = _translated_usage(cast("type[argparse.HelpFormatter]", self.formatter_class))
        for group, title in ((self._optionals, OPTIONS), (self._positionals, POSITIONALS)):
            if group.title == title:
                group.title = _(title)
        for action in self._actions:
            if isinstance(action, argparse._HelpAction) and action.help == HELP:
                action.help = _(HELP)
            elif action.help in DJANGO_HELPS:
                action.help = _(action.help)

    def error(self, message: str) -> NoReturn:
        message = translate_error(message)
        if self.called_from_command_line:
            self.print_usage(sys.stderr)
            self.exit(2, _("%(prog)s: error: %(message)s\n") % {"prog": self.prog, "message": message})
        raise CommandError(_("Error: %s") % message)


class TranslatedHelpCommand(BaseCommand):
    """argparse cannot wrap a lazy string, so `help = gettext_lazy(...)` becomes text in the active language here;
    the parser is a TranslatedParser."""

    help: str | Promise = ""  # type: ignore[assignment]

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> CommandParser:
        self.help = str(self.help)
        return TranslatedParser.adopt(super().create_parser(prog_name, subcommand, **kwargs))
