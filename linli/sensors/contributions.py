"""What sensors adds to lower layers: the devices import kind of the territory's import pages."""

from __future__ import annotations

from linli.territory import imports


def register() -> None:
    from . import imports as device_import

    imports.register_kind(
        device_import.KIND,
        label=device_import.LABEL,
        columns=device_import.COLUMNS,
        importer=device_import.DeviceImporter,
    )
