"""What the import tests share: files made in memory, the import run, its problems and the register's counts."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from django.utils import translation

from linli.accounts.models import User
from linli.territory.imports import ImportResult, territory_import
from linli.territory.models import Building, Grid, Household, Resident
from linli.testing import valid_id_number

DATA = Path(__file__).parent / "data"


@pytest.fixture(autouse=True)
def _fast_passwords(settings: Any) -> None:
    """The cast hashes a dozen passwords; a cheap hasher keeps these many small tests quick."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


RESIDENT_HEADER = ["姓名", "性别", "出生日期", "身份证号", "手机号", "户编码", "网格编码", "标签", "照护等级"]


def csv_bytes(rows: list[list[Any]], encoding: str = "utf-8") -> bytes:
    buf = io.StringIO()
    csv.writer(buf).writerows(rows)
    return buf.getvalue().encode(encoding)


def xlsx_bytes(rows: list[list[Any]]) -> bytes:
    wb = openpyxl.Workbook()
    for row in rows:
        wb.active.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def feature(code: str, parent: str, geometry: dict[str, Any], **props: str) -> dict[str, Any]:
    return {
        "type": "Feature",
        "properties": {"code": code, "name": f"网格{code}", "parent": parent, **props},
        "geometry": geometry,
    }


def geojson(*features: dict[str, Any]) -> bytes:
    return json.dumps({"type": "FeatureCollection", "features": list(features)}).encode()


def run(user: User, kind: str, data: bytes, filename: str) -> ImportResult:
    with translation.override("en"):
        return territory_import(actor=user, kind=kind, data=data, filename=filename)


def problems(result: ImportResult) -> list[tuple[int, str, str]]:
    return [(e.row, e.column, e.message) for e in result.errors]


def counts() -> tuple[int, ...]:
    return (
        Grid.objects.count(),
        Building.objects.count(),
        Household.objects.count(),
        Resident.objects.count(),
    )


BUILDING_HEADER = [
    "楼栋编码",
    "楼栋名称",
    "地址",
    "网格编码",
    "小区区划代码",
    "经度",
    "纬度",
    "层数",
    "单元数",
]

# An identity number whose check digit is wrong.
BAD_ID_CHECK = valid_id_number()[:-1] + ("0" if valid_id_number()[-1] != "0" else "1")
