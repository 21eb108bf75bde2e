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
        seen: dict[str, tuple[str, str]] = {}  # msgid → (its Chinese, the catalogue that says so)
        clashes = []
        catalogues = sorted(
            p for p in Path(settings.BASE_DIR).rglob("*.po") if p.parent.name == "LC_MESSAGES"
        )
        if not catalogues:
            raise CommandError(_("No translation catalogues found under linli/."))
        for po_path in catalogues:
            po = polib.pofile(str(po_path))
            mo_path = po_path.with_suffix(".mo")
            # Keyed by context and msgid: an entry given a context (msgctxt) is a change to compile.
            wanted = {(e.msgctxt, e.msgid): e.msgstr for e in po.translated_entries() if not e.obsolete}
            # Django merges all catalogues into one: the same English translated two ways shows one of them
            # everywhere, so a button can read 录音 on a meeting page. Give such strings their own English.
            for e in po.translated_entries():
                if e.obsolete or e.msgctxt:
                    continue
                first = seen.setdefault(e.msgid, (e.msgstr, str(po_path)))
                if first[0] != e.msgstr:
                    clashes.append(f"{e.msgid!r}: {first[0]} ({first[1]}) ≠ {e.msgstr} ({po_path})")
            current: dict[tuple[str | None, str], str] = {}
            if mo_path.exists():
                current = {(e.msgctxt, e.msgid): e.msgstr for e in polib.mofile(str(mo_path))}
            if {k: v for k, v in current.items() if k[1]} != wanted:
                if opts["check"]:
                    stale.append(str(po_path))
                else:
                    po.save_as_mofile(str(mo_path))
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
