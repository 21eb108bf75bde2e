"""Devices imported from CSV/XLSX through the territory's import (preview first, all rows or none, an update
for a code already registered)."""

from __future__ import annotations

from io import BytesIO

from openpyxl import Workbook

from linli.sensors.models import Device
from linli.territory.imports import territory_import
from linli.testing import Cast


def _csv(*rows: str) -> bytes:
    return ("设备编号,类型,场所名称,楼栋编码,安装位置,安装单位,安装日期\n" + "\n".join(rows) + "\n").encode()


def test_preview_then_import_devices_and_a_second_file_updates(cast: Cast, device: Device) -> None:
    building = cast.building
    data = _csv(
        f"SD-0002,温感,,{building.code},楼道,平安消防,2026-05-01",
        "SD-0003,smoke,老王家常菜,,前厅,平安消防,",
        "SD-0001,烟感,,,吧台,,",  # already registered: moves to the bar
    )
    preview = territory_import(
        actor=cast.community_worker, kind="devices", data=data, filename="d.csv", preview=True
    )
    assert preview.ok and not Device.objects.filter(code="SD-0002").exists()
    done = territory_import(actor=cast.community_worker, kind="devices", data=data, filename="d.csv")
    assert done.ok
    heat = Device.objects.get(code="SD-0002")
    assert (heat.kind, heat.building, heat.grid, str(heat.installed_on)) == (
        "heat",
        building,
        building.grid,
        "2026-05-01",
    )
    assert Device.objects.get(code="SD-0003").venue == device.venue
    device.refresh_from_db()
    assert device.location == "吧台" and device.installer == "平安消防"


def test_one_bad_row_writes_nothing_and_says_why(cast: Cast, device: Device) -> None:
    data = _csv(
        f"SD-0010,烟感,,{cast.building.code},楼道,,",
        "SD-0011,水浸,,NOPE,楼道,,",
    )
    result = territory_import(actor=cast.community_worker, kind="devices", data=data, filename="d.csv")
    assert not result.ok
    messages = " ".join(e.message for e in result.errors)
    assert "smoke" in messages or "烟感" in messages
    assert not Device.objects.filter(code="SD-0010").exists()


def test_xlsx_works_too(cast: Cast, device: Device) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["设备编号", "类型", "楼栋编码"])
    sheet.append(["SD-0020", "燃气", cast.building.code])
    buffer = BytesIO()
    book.save(buffer)
    result = territory_import(
        actor=cast.community_worker, kind="devices", data=buffer.getvalue(), filename="d.xlsx"
    )
    assert result.ok and Device.objects.get(code="SD-0020").kind == "gas"
