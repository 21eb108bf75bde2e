"""Compile every .po catalogue under linli/ into .mo with polib, so no gettext binaries are needed anywhere."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import polib
from django.conf import settings
from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from linli.core.management.commands._help import TranslatedHelpCommand

# What an entry translates to: its msgstr, or for an entry with a plural its plural English and each msgstr[n].
type Translation = str | tuple[str, tuple[tuple[int, str], ...]]


def _translation(entry: polib.POEntry | polib.MOEntry) -> Translation:
    if entry.msgid_plural:
        forms = tuple(sorted((int(n), text) for n, text in entry.msgstr_plural.items()))
        return entry.msgid_plural, forms
    return entry.msgstr


class Command(TranslatedHelpCommand):
    help = gettext_lazy(
        "Compile translation catalogues (.po → .mo) without gettext; --check fails if a .mo is out of date."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--check",
            action="store_true",
            help=_("only check that every .mo matches its .po (and no string is translated two ways)"),
        )

    def handle(self, *args: Any, **opts: Any) -> None:
        stale = []
        seen: dict[str, tuple[Translation, str]] = {}  # msgid → (its Chinese, the catalogue that says so)
        clashes = []
        catalogues = sorted(
            p for p in Path(settings.BASE_DIR).rglob("*.po") if p.parent.name == "LC_MESSAGES"
        )
        if not catalogues:
            raise CommandError(_("No translation catalogues found under linli/."))
        for po_path in catalogues:
            po = polib.pofile(str(po_path))
            mo_path = po_path.with_suffix(".mo")
            # Django merges all catalogues into one: the same English translated two ways shows one of them
            # everywhere, so a button can read 录音 on a meeting page. Give such strings their own English.
            for e in po.translated_entries():
                if e.obsolete or e.msgctxt:
                    continue
                said = _translation(e)
                first = seen.setdefault(e.msgid, (said, str(po_path)))
                if first[0] != said:
                    clashes.append(f"{e.msgid!r}: {first[0]} ({first[1]}) ≠ {said} ({po_path})")
            # The .mo as it would be compiled now, compared whole: every entry by its context, msgid and forms,
            # and the header (Plural-Forms, Language, charset), which gettext reads too.
            compiled = po.to_binary()
            if not mo_path.exists() or mo_path.read_bytes() != compiled:
                if opts["check"]:
                    stale.append(str(po_path))
                else:
                    mo_path.write_bytes(compiled)
                    self.stdout.write(_("Compiled %(file)s") % {"file": mo_path})
        if clashes:
            raise CommandError(
                _("One English string is translated differently in two catalogues:")
                + "\n"
                + "\n".join(clashes)
            )
        if stale:
            raise CommandError(
                _("Out of date (run `linli compile_translations`): %(files)s") % {"files": ", ".join(stale)}
            )
