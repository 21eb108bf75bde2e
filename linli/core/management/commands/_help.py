"""A command whose help (its description in `linli <command> --help`) is translated when the parser is made."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils.functional import Promise


class TranslatedHelpCommand(BaseCommand):
    """argparse cannot wrap a lazy string, so `help = gettext_lazy(...)` becomes text in the active language here."""

    help: str | Promise = ""  # type: ignore[assignment]

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> CommandParser:
        self.help = str(self.help)
        return super().create_parser(prog_name, subcommand, **kwargs)
