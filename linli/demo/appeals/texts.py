"""What the demo's appeals say and how often: texts from the triage starter corpus (urban ones only), the
mix of kinds, channels and outcomes, and a handler's notes."""

from __future__ import annotations

import csv
import random
import re
from pathlib import Path

from linli.appeals.choices import Channel, Outcome, Rating

CORPUS = Path(__file__).resolve().parents[2] / "triage" / "data" / "starter_corpus.csv"
FALLBACK = [
    (
        "楼道灯坏了",
        "3号楼2单元楼道灯坏了一个星期了，晚上很黑，老人上下楼不安全。",
        "property_management.property_service",
    ),
    ("小区垃圾清运不及时", "小区东门垃圾桶已经满了三天没人清运，味道很大。", "environment.waste"),
    ("夜间施工噪音", "工地每天晚上十一点以后还在施工，吵得孩子睡不着觉。", "environment.noise"),
    ("停水没有通知", "整栋楼停水两天了，没有任何通知，请尽快恢复供水。", "utilities.water_supply"),
    (
        "邻里漏水纠纷",
        "楼上卫生间漏水把我家天花板泡坏了，协商不成，请社区调解。",
        "public_safety.neighbour_disputes",
    ),
]
# Vague appeals with no category chosen: the classifier is not sure, so they wait in the triage queue.
VAGUE = [
    ("想反映个情况", "有个情况想反映一下，电话里说不清楚，麻烦工作人员联系我。"),
    ("咨询", "想咨询一下这个事情该找哪个部门，谢谢。"),
]
# Texts of the corpus that do not belong in a city street: villages, farmland, rural housing, scenic areas.
RURAL = re.compile(
    r"村|乡|农田|农民|庄稼|耕地|承包地|宅基地|青苗|养殖|鱼塘|牲畜|化肥|农药|县城|镇上|集市|A市|景区"
)
RURAL_CATEGORIES = {
    "urban_construction.rural_housing",
    "environment.ecology",
    "commerce_tourism.scenic_spots",
}
# Appeals a day at scale 1 (a street of 20,000 residents): about one a year for every 40 residents.
APPEALS_PER_DAY = 6.0
KINDS = [("complaint", 45), ("help", 30), ("consultation", 15), ("suggestion", 10)]
CHANNELS = [
    (Channel.WEB, 35),
    (Channel.QR, 15),
    (Channel.HOTLINE, 30),
    (Channel.PATROL, 15),
    (Channel.API, 5),
]
OUTCOMES = [
    (Outcome.FIXED, 86),
    (Outcome.NOT_OUR_RESPONSIBILITY, 6),
    (Outcome.NO_FURTHER_ACTION, 5),
    (Outcome.ANSWERED, 3),
]
# How residents rate: the first time, and again after an unsatisfied rating sent the appeal back for rework (less
# kindly); each with what an unsatisfied resident says.
RATINGS = [
    ([(Rating.SATISFIED, 74), (Rating.BASICALLY, 17), (Rating.UNSATISFIED, 9)], "问题没有彻底解决"),
    ([(Rating.SATISFIED, 45), (Rating.BASICALLY, 30), (Rating.UNSATISFIED, 25)], "整改后问题依旧，仍不满意"),
]
NOTES = {
    Outcome.FIXED: "已现场处置完毕，问题已解决，并向诉求人反馈。",
    Outcome.ANSWERED: "已向诉求人详细解答相关政策。",
    Outcome.NOT_OUR_RESPONSIBILITY: "经核实属于私人产权范围，已告知诉求人处理途径。",
    Outcome.NO_FURTHER_ACTION: "经现场核查情况已消除，无需进一步处理。",
}


def _texts() -> list[tuple[str, str, str]]:
    rows: list[tuple[str, str, str]] = []
    if CORPUS.exists():
        with CORPUS.open(encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                text = (row.get("text") or "").strip()
                urban = not RURAL.search(text + (row.get("title") or ""))
                if len(text) >= 5 and urban and row.get("category") not in RURAL_CATEGORIES:
                    rows.append(((row.get("title") or "").strip(), text[:2000], row.get("category", "")))
    return rows or list(FALLBACK)


def _pick[T](rng: random.Random, weighted: list[tuple[T, int]]) -> T:
    return rng.choices([v for v, _w in weighted], weights=[w for _v, w in weighted])[0]


# Recurring problems (每月一题): the same trouble in one compound, raised again and again by its residents in the
# words each would use, so that the weekly job finds them as candidates and a street adopts one as this month's
# topic. Each: category, title, what residents say (one a time, in turn), how many in the last four weeks and in
# the four before (the trend), and the plan a street adopting it would write.
RECURRING: list[tuple[str, str, tuple[str, ...], int, int, str]] = [
    (
        "environment.waste",
        "东门垃圾站又满了",
        (
            "小区东门垃圾站的垃圾又堆满了，溢到路上，味道很大，一直没人清运。",
            "东门垃圾站垃圾堆满了溢出来，天一热味道很大，清运太不及时了。",
            "东门垃圾站又堆满了，垃圾溢到路上没人清运，味道熏得开不了窗。",
            "东门垃圾站的垃圾堆满了好几天，没人清运，路上全是垃圾，味道很大。",
            "又是东门垃圾站，垃圾满了溢到路上，清运不及时，味道很大。",
        ),
        5,
        2,
        "街道城管科牵头，环卫所、物业公司、社区三方会商：东门垃圾站改为每日两次清运，增设两组分类桶，"
        "社区组织志愿者在晚高峰值守，一个月后回访居民。",
    ),
    (
        "property_management.property_service",
        "地下车库一下雨就积水",
        (
            "地下车库一下雨就积水，车都泡了，物业说排水泵坏了一直没修。",
            "一下雨地下车库就积水没过脚踝，排水泵坏了物业一直不修。",
            "地下车库又积水了，排水泵还是坏的，车停不了，物业没人管。",
            "下雨后地下车库积水很深，排水泵坏了好久物业也没修。",
        ),
        4,
        1,
        "街道房管所督促物业公司两周内更换排水泵并疏通排水沟，社区牵头业委会监督验收，雨季前再查一次。",
    ),
    (
        "environment.noise",
        "夜里工地施工噪音",
        (
            "小区旁边的工地夜里十一点以后还在施工，噪音太大，孩子睡不着觉。",
            "工地夜里施工噪音太大了，十二点还在打桩，孩子睡不着觉。",
            "旁边工地夜里还在施工，噪音吵得老人孩子都睡不着觉。",
        ),
        3,
        0,
        "",
    ),
]
