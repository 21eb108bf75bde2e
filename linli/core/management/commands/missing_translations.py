"""List translatable strings that have no Simplified Chinese translation yet, as .po entries to fill in."""

from __future__ import annotations

from typing import Any

import polib
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from linli.core.i18n_scan import missing_translations
from linli.core.management.commands._help import TranslatedHelpCommand


class Command(TranslatedHelpCommand):
    help = gettext_lazy(
        "Print .po entries for every msgid without a zh_Hans translation (optionally only under --path)."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--path",
            default="",
            help=_("only strings first used in files whose path contains this"),
        )

    def handle(self, *args: Any, **opts: Any) -> None:
        for msgid, where in sorted(missing_translations().items(), key=lambda kv: kv[1]):
            if opts["path"] and opts["path"] not in where:
                continue
            entry = polib.POEntry(msgid=msgid, msgstr="", occurrences=[(where.split("linli/", 1)[-1], "")])
            self.stdout.write(str(entry))
