"""`linli import_territory <kind> FILE`: import grids, buildings, households, residents or party members.

Every row is checked first and nothing is written unless all rows are valid; the per-row report is printed and
the command exits with status 1 when anything is wrong. Rows naming what is registered already are updated;
`--preview` prints what would be added and changed, and writes nothing. Columns: see
linli/territory/imports/columns.py or the import page (/territory/io/).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from linli.core.management.commands._help import TranslatedHelpCommand
from linli.territory.imports import territory_import

from ._actor import add_kind_file_user, command_actor


class Command(TranslatedHelpCommand):
    help = gettext_lazy(
        "Import territory data (all rows or none) from GeoJSON (grids), CSV or XLSX, printing a per-row report."
    )

    def add_arguments(self, parser: Any) -> None:
        add_kind_file_user(
            parser, _("act as this staff account (its scope); default: the first administrator")
        )
        parser.add_argument("--preview", action="store_true", help=_("list what would change; write nothing"))

    def handle(self, *args: Any, **opts: Any) -> None:
        path: Path = opts["file"]
        if not path.is_file():
            raise CommandError(_("%(path)s is not a file.") % {"path": path})
        actor = command_actor(opts["user"])
        result = territory_import(
            actor=actor,
            kind=opts["kind"],
            data=path.read_bytes(),
            filename=path.name,
            preview=opts["preview"],
        )
        for e in result.errors:
            where = _("row %(row)d") % {"row": e.row} if e.row else _("file")
            column = f" [{e.column}]" if e.column else ""
            self.stdout.write(f"{where}{column}: {e.message}")
        if result.errors and not result.rows:
            # Refused before its rows were read (a column missing, not a workbook): the file itself is wrong, as
            # the import page says it, not "problems found in 0 rows".
            raise CommandError(
                ngettext(
                    "Nothing can be imported yet: the file itself has a problem, so its rows were not read. "
                    "Correct the file and upload it again.",
                    "Nothing can be imported yet: the file itself has %(n)s problems, so its rows were not read. "
                    "Correct the file and upload it again.",
                    len(result.errors),
                )
                % {"n": len(result.errors)}
            )
        if result.errors:
            raise CommandError(
                _(
                    "Nothing was imported: %(n)s problems found in %(rows)s rows. Correct the file and upload it again."
                )
                % {"n": len(result.errors), "rows": result.rows}
            )
        if result.preview:
            for plan in result.changed_rows:
                for c in plan.changes:
                    self.stdout.write(
                        f"{_('row %(row)d') % {'row': plan.row}} {plan.label} [{c.column}]: {c.old} → {c.new}"
                    )
            counts = {
                "new": len(result.new_rows),
                "changed": len(result.changed_rows),
                "same": result.unchanged,
            }
            message = _("Preview: %(new)s rows to add, %(changed)s to change, %(same)s unchanged.") % counts
        else:
            counts = {"created": result.created, "updated": result.updated, "same": result.unchanged}
            message = _("Imported: %(created)s rows added, %(updated)s changed, %(same)s unchanged.") % counts
        if result.masked_skipped:
            message += " " + _(
                "%(n)s masked values (phone or ID numbers from an export) were left as they are."
            ) % {"n": result.masked_skipped}
        self.stdout.write(self.style.SUCCESS(message))
