"""`linli export_territory <kind> FILE.xlsx`: export what the account may see, masked, in the import columns.

Grids and roads can also be written as GeoJSON (FILE.geojson). The file re-imports with `linli import_territory`.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from linli.core.audit import audit_record
from linli.core.management.commands._help import TranslatedHelpCommand
from linli.territory.exports import GEOJSON, export_workbook

from ._actor import add_kind_file_user, command_actor


class Command(TranslatedHelpCommand):
    help = gettext_lazy(
        "Export territory data to XLSX (grids and roads also to GeoJSON), personal data masked."
    )

    def add_arguments(self, parser: Any) -> None:
        add_kind_file_user(parser, _("export what this staff account sees; default: the first administrator"))

    def handle(self, *args: Any, **opts: Any) -> None:
        path: Path = opts["file"]
        kind: str = opts["kind"]
        actor = command_actor(opts["user"])
        suffix = path.suffix.lower()
        if suffix in (".geojson", ".json"):
            geojson = GEOJSON.get(kind)
            if geojson is None:
                raise CommandError(_("Only grids and roads are exported as GeoJSON; use a .xlsx file."))
            content = json.dumps(geojson(actor), ensure_ascii=False, indent=1).encode()
        elif suffix == ".xlsx":
            content = export_workbook(kind, actor)
        else:
            raise CommandError(_("The file must end in .xlsx (or .geojson for grids)."))
        path.write_bytes(content)
        audit_record(actor=actor, action="territory_export", object_type=kind, detail={"file": path.name})
        self.stdout.write(self.style.SUCCESS(_("Wrote %(path)s.") % {"path": path}))
