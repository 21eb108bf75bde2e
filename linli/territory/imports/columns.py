"""The columns of each import kind (the export writes the same), and the words accepted in cells."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django.utils import translation
from django.utils.translation import gettext_lazy

# The kinds in the order they are imported; apps above territory add theirs with `register_kind`.
KINDS = ["grids", "buildings", "households", "residents"]
KIND_LABELS: dict[str, Any] = {
    "grids": gettext_lazy("Grids"),
    "buildings": gettext_lazy("Buildings"),
    "households": gettext_lazy("Households"),
    "residents": gettext_lazy("Residents"),
}


@dataclass(frozen=True)
class Column:
    key: str  # also the English header
    zh: str  # the Chinese header
    required: bool
    help: Any
    example: str = ""
    values: str = ""  # the words accepted, for the import page
    # Chinese headers of older templates, still read: a file an administrator kept from before the template took
    # the words the register's pages show (照护等级 before 关爱等级).
    former: tuple[str, ...] = ()

    @property
    def en(self) -> str:
        return self.key

    def label(self) -> str:
        """The header in the user's language."""
        return self.zh if _chinese() else self.en

    def alias(self) -> str:
        """The headers also read: the other language's, then an older template's."""
        return "、".join([self.en if _chinese() else self.zh, *self.former])

    def headers(self) -> tuple[str, ...]:
        """Every header that names this column in a file."""
        return (self.zh, self.en, *self.former)


def _chinese() -> bool:
    return (translation.get_language() or "zh").startswith("zh")


# Vocabulary accepted in cells (Chinese as written by the export, codes and English too).
GENDER_WORDS = {"男": "male", "男性": "male", "m": "male", "male": "male", "女": "female", "女性": "female"}
GENDER_WORDS |= {"f": "female", "female": "female"}
GENDER_ZH = {"male": "男", "female": "女"}
# A tag and a care level as the register's pages show them (territory.choices, in Chinese); the export writes them
# so. The words of older templates (老年人, 三岁以下儿童; 红, 黄, 绿) are still read.
TAG_ZH = {
    "elderly_alone": "独居老人",
    "elderly": "老年人（60岁以上）",
    "disabled": "残疾人",
    "child_under_3": "3岁以下婴幼儿",
    "low_income": "低收入",
    "veteran": "退役军人",
    "tenant": "租户",
}
TAG_FORMER = {"老年人": "elderly", "三岁以下儿童": "child_under_3", "3岁以下儿童": "child_under_3"}
TAG_WORDS = {v: k for k, v in TAG_ZH.items()} | {k: k for k in TAG_ZH} | TAG_FORMER
CARE_ZH = {"red": "红码", "yellow": "黄码", "green": "绿码", "": ""}
CARE_WORDS = {v: k for k, v in CARE_ZH.items() if k}
CARE_WORDS |= {"红": "red", "红色": "red", "黄": "yellow", "黄色": "yellow", "绿": "green", "绿色": "green"}
CARE_WORDS |= {"red": "red", "yellow": "yellow", "green": "green", "无": "", "none": ""}
GRID_KIND_ZH = {"grid": "网格", "microgrid": "微网格"}
GRID_KIND_WORDS = {"网格": "grid", "grid": "grid", "微网格": "microgrid", "microgrid": "microgrid"}
GRID_KIND_WORDS |= {"micro-grid": "microgrid"}
YES_WORDS = {"是", "y", "yes", "true", "1", "出租", "租住"}
NO_WORDS = {"否", "n", "no", "false", "0", "自住", ""}
TAG_SPLIT = re.compile(r"[、,，;；|/\s]+")

_EXAMPLE_POLYGON = '{"type": "Polygon", "coordinates": [[[116.47, 39.92], [116.48, 39.92], [116.48, 39.93], [116.47, 39.92]]]}'
COLUMNS: dict[str, list[Column]] = {
    "grids": [
        Column("code", "网格编码", True, gettext_lazy("Unique grid code"), "G0101"),
        Column("name", "网格名称", True, gettext_lazy("Grid name"), "幸福一网格"),
        Column(
            "parent",
            "所属区划代码",
            True,
            gettext_lazy("Division code of its community or compound"),
            "110105001001",
        ),
        Column("kind", "类型", False, gettext_lazy("Grid (default) or micro-grid"), "网格", "网格 / 微网格"),
        Column(
            "parent_grid",
            "上级网格编码",
            False,
            gettext_lazy("For a micro-grid: the code of the grid it lies in"),
        ),
        Column("station", "网格站", False, gettext_lazy("Name of the grid station"), "幸福网格站"),
        Column(
            "boundary",
            "边界",
            True,
            gettext_lazy("GeoJSON Polygon in longitude/latitude (WGS 84)"),
            _EXAMPLE_POLYGON,
        ),
    ],
    "buildings": [
        Column("code", "楼栋编码", True, gettext_lazy("Unique building code"), "B0101-01"),
        Column("name", "楼栋名称", True, gettext_lazy("Building name"), "1号楼"),
        Column("address", "地址", True, gettext_lazy("Street address"), "和平路1号院1号楼"),
        Column("grid", "网格编码", True, gettext_lazy("Code of the grid the building stands in"), "G0101"),
        Column(
            "compound",
            "小区区划代码",
            False,
            gettext_lazy("Division code of its compound"),
            "110105001001001",
        ),
        Column("lng", "经度", True, gettext_lazy("Longitude (WGS 84)"), "116.4721"),
        Column("lat", "纬度", True, gettext_lazy("Latitude (WGS 84)"), "39.9234"),
        Column("floors", "层数", False, gettext_lazy("Number of floors (default 1)"), "6"),
        Column("entrances", "单元数", False, gettext_lazy("Number of entrances (default 0)"), "2"),
    ],
    "households": [
        Column("code", "户编码", True, gettext_lazy("Unique household code"), "B0101-01-1-101"),
        Column("building", "楼栋编码", True, gettext_lazy("Code of the building"), "B0101-01"),
        Column("entrance", "单元", False, gettext_lazy("Entrance number in the building"), "1"),
        Column("room", "房号", True, gettext_lazy("Room number"), "101"),
        Column(
            "rented",
            "自住/出租",
            False,
            gettext_lazy("Owner-occupied or rented (default owner-occupied)"),
            "自住",
            "自住 / 出租",
            former=("是否出租",),
        ),
    ],
    "residents": [
        Column("name", "姓名", True, gettext_lazy("Full name"), "张三"),
        Column(
            "gender", "性别", False, gettext_lazy("May be empty when the ID number is given"), "男", "男 / 女"
        ),
        Column(
            "birth_date",
            "出生日期",
            False,
            gettext_lazy("May be empty when the ID number is given"),
            "1950-03-01",
        ),
        Column("id_number", "身份证号", False, gettext_lazy("18-character resident ID number")),
        Column(
            "phone",
            "联系电话",
            False,
            gettext_lazy("Mobile or landline number"),
            "13812345678",
            former=("手机号",),
        ),
        Column("household", "户编码", False, gettext_lazy("Code of the household"), "B0101-01-1-101"),
        Column("grid", "网格编码", False, gettext_lazy("Code of the grid (required without a household)")),
        Column("relation", "与户主关系", False, gettext_lazy("Relation to the head of household"), "户主"),
        Column(
            "tags",
            "标签",
            False,
            gettext_lazy("Tags, several separated by commas"),
            "独居老人",
            "、".join(TAG_ZH.values()),
        ),
        Column(
            "care_level",
            "关爱等级",
            False,
            gettext_lazy("Care level of an elderly resident"),
            "黄码",
            "红码 / 黄码 / 绿码",
            former=("照护等级",),
        ),
    ],
}
