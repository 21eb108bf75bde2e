"""The households and residents templates name their columns, and write their cells, with the words the register's
pages show (关爱等级, 联系电话, 自住/出租; 3岁以下婴幼儿, 红码): the template said 照护等级, 手机号, 是否出租, 三岁以下儿童
and 红, so a community worker met two names for one thing. A file of the older template still imports."""

from __future__ import annotations

import io
from typing import Any

import openpyxl
from django.utils import translation

from linli.territory.imports import territory_import
from linli.territory.models import Household, Resident
from linli.territory.tests.import_files import (  # noqa: F401 (_fast_passwords: an autouse fixture)
    _fast_passwords,
    csv_bytes,
    problems,
    run,
)
from linli.testing import Cast

HOUSEHOLD_WORDS = ["户编码", "楼栋编码", "单元", "房号", "自住/出租"]
RESIDENT_WORDS = [
    "姓名",
    "性别",
    "出生日期",
    "身份证号",
    "联系电话",
    "户编码",
    "网格编码",
    "与户主关系",
    "标签",
    "关爱等级",
]
OLDER_HOUSEHOLD_HEADER = ["户编码", "楼栋编码", "单元", "房号", "是否出租"]
OLDER_RESIDENT_HEADER = ["姓名", "性别", "出生日期", "手机号", "户编码", "标签", "照护等级"]


def _sheets(client: Any, kind: str) -> tuple[list[Any], dict[str, list[Any]]]:
    response = client.get(f"/territory/io/template/{kind}.xlsx")
    assert response.status_code == 200
    wb = openpyxl.load_workbook(io.BytesIO(response.content))
    header = [c.value for c in wb.worksheets[0][1]]
    notes = {row[0]: list(row) for row in wb.worksheets[1].iter_rows(min_row=2, values_only=True) if row[0]}
    return header, notes


def test_the_templates_name_the_columns_as_the_register_pages_do(cast: Cast, client_for: Any) -> None:
    client = client_for("community_worker")
    header, notes = _sheets(client, "households")
    assert header == HOUSEHOLD_WORDS
    assert notes["自住/出租"][4:] == ["自住 / 出租", "自住"]  # values, example
    building = client.get(f"/territory/buildings/{cast.building.pk}/").content.decode()
    for word in ("房号", "单元", "自住/出租"):
        assert f">{word}<" in building, word
    header, notes = _sheets(client, "residents")
    assert header == RESIDENT_WORDS
    assert notes["关爱等级"][3:] == ["老年人关爱等级（三色码）", "红码 / 黄码 / 绿码", "黄码"]
    assert "老年人（60岁以上）" in notes["标签"][4] and "3岁以下婴幼儿" in notes["标签"][4]
    person = client.get(f"/territory/residents/{cast.resident_record.pk}/").content.decode()
    for word in ("姓名", "性别", "出生日期", "身份证号", "联系电话", "与户主关系", "标签", "关爱等级"):
        assert word in person, word
    assert "黄码" in client.get("/territory/residents/?care=yellow").content.decode()
    # The import page names the older header beside each column it renamed.
    page = client.get("/territory/io/?kind=residents").content.decode()
    assert "照护等级" in page and "手机号" in page


def test_a_file_of_the_template_and_one_of_the_older_template_both_import(cast: Cast) -> None:
    households = [HOUSEHOLD_WORDS, ["H101", "B001", "1", "201", "出租"], ["H102", "B001", "1", "202", "自住"]]
    result = run(cast.community_worker, "households", csv_bytes(households), "h.csv")
    assert problems(result) == [] and result.created == 2
    older = [OLDER_HOUSEHOLD_HEADER, ["H103", "B001", "2", "201", "是"], ["H104", "B001", "2", "202", "否"]]
    result = run(cast.community_worker, "households", csv_bytes(older), "h.csv")
    assert problems(result) == [] and result.created == 2
    rented = dict(
        Household.objects.filter(code__in=["H101", "H102", "H103", "H104"]).values_list("code", "is_rented")
    )
    assert rented == {"H101": True, "H102": False, "H103": True, "H104": False}

    residents = [
        RESIDENT_WORDS,
        [
            "周奶奶",
            "女",
            "1950-03-04",
            "",
            "13800001111",
            "H101",
            "",
            "",
            "老年人（60岁以上）、独居老人",
            "红码",
        ],
        ["周小宝", "男", "2026-01-02", "", "", "H101", "", "", "3岁以下婴幼儿", ""],
    ]
    result = run(cast.community_worker, "residents", csv_bytes(residents), "r.csv")
    assert problems(result) == [] and result.created == 2
    older_people = [
        OLDER_RESIDENT_HEADER,
        ["吴爷爷", "男", "1948-05-06", "13800002222", "H103", "老年人", "黄"],
        ["吴小妹", "女", "2026-02-03", "", "H103", "三岁以下儿童", ""],
    ]
    result = run(cast.community_worker, "residents", csv_bytes(older_people), "r.csv")
    assert problems(result) == [] and result.created == 2
    people = {r.name: r for r in Resident.objects.filter(household__code__in=["H101", "H103"])}
    assert (people["周奶奶"].care_level, people["周奶奶"].phone) == ("red", "13800001111")
    assert people["周奶奶"].tag_list == ["elderly", "elderly_alone"]
    assert (people["吴爷爷"].care_level, people["吴爷爷"].phone) == ("yellow", "13800002222")
    assert people["吴爷爷"].tag_list == ["elderly"]
    assert people["周小宝"].tag_list == people["吴小妹"].tag_list == ["child_under_3"]


def test_a_word_the_import_does_not_know_is_refused_with_the_pages_words(cast: Cast) -> None:
    rows = [
        RESIDENT_WORDS,
        ["周奶奶", "女", "1950-03-04", "", "", "H001", "", "", "", "橙码"],
    ]
    households = [HOUSEHOLD_WORDS, ["H105", "B001", "1", "301", "空置"]]
    with translation.override("zh-hans"):
        refused = territory_import(
            actor=cast.community_worker, kind="residents", data=csv_bytes(rows), filename="r.csv"
        )
        empty = territory_import(
            actor=cast.community_worker, kind="households", data=csv_bytes(households), filename="h.csv"
        )
    assert problems(refused) == [(2, "关爱等级", "无法识别的关爱等级“橙码”：请填写红码、黄码、绿码或留空。")]
    assert problems(empty) == [(2, "自住/出租", "请填写“自住”或“出租”。")]
