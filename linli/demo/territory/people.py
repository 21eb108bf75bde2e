"""Made-up residents for the demo: names, ID numbers and phones, households with a realistic age pyramid, tags
and care levels."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from linli.core.validators import id_check_digit

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
    "姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严武戴孔汤"
)
# Roughly the national frequencies: the first few surnames are far commoner than the rest.
SURNAME_WEIGHTS = [max(1.0, 7.5 - 0.35 * i) for i in range(len(SURNAMES))]
GIVEN = {
    # (born before 1960, 1960–1989, 1990 on) × (male, female): full given names and characters to combine.
    ("old", "male"): ["建国", "国强", "志刚", "振华", "德明", "宝山", "福生", "玉林", "长海", "文斌", "树林", "学军"],
    ("old", "female"): ["秀英", "桂兰", "淑珍", "玉兰", "凤英", "秀兰", "桂英", "淑英", "素芳", "美兰", "玉珍", "秀珍"],
    ("mid", "male"): ["伟", "强", "磊", "军", "勇", "杰", "涛", "斌", "超", "明", "刚", "鹏", "建华", "志强", "海涛",
                      "晓东", "宏伟", "立新", "永刚", "建军"],
    ("mid", "female"): ["丽", "静", "敏", "燕", "艳", "娟", "霞", "芳", "红梅", "丽娟", "晓燕", "海燕", "春梅",
                        "雪梅", "婷", "丽华", "小红", "慧"],
    ("young", "male"): ["浩然", "子轩", "宇航", "俊杰", "一鸣", "博文", "思远", "浩宇", "睿", "子墨", "宇轩",
                        "天佑", "明轩", "皓轩", "梓豪", "嘉懿"],
    ("young", "female"): ["欣怡", "梓涵", "雨涵", "子涵", "诗涵", "可欣", "思琪", "佳怡", "雨桐", "一诺", "梦瑶",
                          "语嫣", "若曦", "欣妍", "紫萱", "雅琪"],
}  # fmt: skip
GIVEN_CHARS = {
    "male": ("建志国文明永海俊宏振德晓子浩宇博天嘉", "华强军伟平东峰林辉涛杰鹏轩然航豪睿阳"),
    "female": ("秀丽美春晓海雪静欣雨诗梦佳思婉", "英兰芳梅燕红霞娟婷怡涵琪萱瑶妍彤"),
}
# Where residents' ID numbers were issued: mostly Beijing, the rest from across the country.
ID_REGIONS = ["110105"] * 8 + ["110101", "110102", "110108", "110106"] * 2 + [
    "130102", "370102", "410105", "420106", "510104", "230102", "340104", "320102", "610103", "210102",
    "140105", "360102", "430102", "500103", "350102", "220102",
]  # fmt: skip
MOBILE_PREFIXES = [
    "130", "131", "132", "133", "135", "136", "137", "138", "139", "150", "151", "152", "153", "155", "156",
    "157", "158", "159", "166", "173", "177", "180", "181", "182", "183", "185", "186", "187", "188", "189",
    "191", "199",
]  # fmt: skip


class _People:
    """Names, ID numbers and phones for generated residents; ID numbers and phones are unique."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.ids: set[str] = set()
        self.phones: set[str] = set()

    def surname(self) -> str:
        return self.rng.choices(SURNAMES, weights=SURNAME_WEIGHTS)[0]

    def given(self, gender: str, year: int) -> str:
        era = "old" if year < 1960 else "mid" if year < 1990 else "young"
        if self.rng.random() < 0.6:
            return self.rng.choice(GIVEN[(era, gender)])
        first, second = GIVEN_CHARS[gender]
        name = self.rng.choice(first) + self.rng.choice(second)
        return name[:1] if era == "mid" and self.rng.random() < 0.3 else name

    def name(self, gender: str, year: int, surname: str | None = None) -> str:
        return (surname or self.surname()) + self.given(gender, year)

    def id_number(self, birth: dt.date, gender: str) -> str:
        while True:
            region = self.rng.choice(ID_REGIONS)
            seq = self.rng.randrange(0, 500) * 2 + (1 if gender == "male" else 0)
            first17 = f"{region}{birth:%Y%m%d}{seq:03d}"
            number = first17 + id_check_digit(first17)
            if number not in self.ids:
                self.ids.add(number)
                return number

    def mobile(self) -> str:
        while True:
            number = self.rng.choice(MOBILE_PREFIXES) + f"{self.rng.randrange(10**8):08d}"
            if number not in self.phones:
                self.phones.add(number)
                return number


@dataclass
class _Person:
    gender: str
    age: int
    relation: str
    surname: str | None = None


def _household_members(rng: random.Random) -> list[_Person]:
    """One household's make-up, drawn so that the whole street has a realistic age pyramid (about 2.7 each)."""
    g = rng.choice(("male", "female"))
    other = "female" if g == "male" else "male"
    kind = rng.choices(
        ["elderly_alone", "elderly_couple", "single", "young_couple", "family", "three_gen", "empty_nest"],
        weights=[6, 12, 13, 12, 28, 12, 17],
    )[0]
    if kind == "elderly_alone":
        return [_Person(rng.choices(("female", "male"), weights=(3, 2))[0], rng.randint(65, 94), "户主")]
    if kind == "elderly_couple":
        a = rng.randint(62, 90)
        return [_Person("male", a, "户主"), _Person("female", max(60, a - rng.randint(0, 5)), "配偶")]
    if kind == "single":
        return [_Person(g, rng.randint(20, 40), "户主")]
    if kind == "empty_nest":
        a = rng.randint(46, 66)
        out = [_Person("male", a, "户主"), _Person("female", max(40, a - rng.randint(0, 4)), "配偶")]
        if rng.random() < 0.4:
            c = rng.choice(("male", "female"))
            out.append(_Person(c, rng.randint(20, 32), "子" if c == "male" else "女"))
        return out
    parent_age = rng.randint(24, 38) if kind == "young_couple" else rng.randint(29, 50)
    out = [_Person(g, parent_age, "户主"), _Person(other, max(22, parent_age + rng.randint(-3, 3)), "配偶")]
    if kind == "young_couple":
        if rng.random() < 0.35:
            c = rng.choice(("male", "female"))
            out.append(_Person(c, rng.randint(0, 3), "子" if c == "male" else "女"))
        return out
    for _i in range(rng.choices((1, 2), weights=(7, 3))[0]):
        c = rng.choice(("male", "female"))
        out.append(
            _Person(c, max(0, min(parent_age - 24, rng.randint(0, 20))), "子" if c == "male" else "女")
        )
    if kind == "three_gen":
        elder = parent_age + rng.randint(24, 32)
        out.append(_Person("female", min(elder, 96), "母亲"))
        if rng.random() < 0.55:
            out.append(_Person("male", min(elder + rng.randint(0, 4), 98), "父亲"))
    return out


def _birth_date(rng: random.Random, today: dt.date, age: int) -> dt.date:
    """A birth date giving exactly `age` today."""
    latest = (
        today.replace(year=today.year - age)
        if not (today.month == 2 and today.day == 29)
        else dt.date(today.year - age, 2, 28)
    )
    return latest - dt.timedelta(days=rng.randint(0, 364))


def _tags_and_care(
    person: _Person, alone: bool, low_income: bool, rented: bool, rng: random.Random
) -> tuple[list[str], str]:
    tags: list[str] = []
    elderly = person.age >= 60
    if elderly:
        tags.append("elderly")
        if alone:
            tags.append("elderly_alone")
    disabled = rng.random() < (0.06 if elderly else 0.012)
    if disabled:
        tags.append("disabled")
    if person.age < 3:
        tags.append("child_under_3")
    if low_income:
        tags.append("low_income")
    if person.gender == "male" and person.age >= 50 and rng.random() < 0.04:
        tags.append("veteran")
    if rented:
        tags.append("tenant")
    care = ""
    if elderly:
        if (person.age >= 80 and alone) or (disabled and person.age >= 75):
            care = "red"
        elif person.age >= 80 or alone or disabled:
            care = "yellow"
        else:
            care = "green"
    return tags, care
