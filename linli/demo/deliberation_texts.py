"""What the demo's co-governance says: the meetings of each community's season with their agenda items, decisions
and parts, the words that link an item to the appeals it answers, and the hall's topics and comments."""

from __future__ import annotations

import random
from collections.abc import Callable

Plan = tuple[str, str, str, list[tuple[str, int]]]
Pick = Callable[[random.Random], list[int]]  # a ballot's choice, drawn

# The words an agenda item's appeals speak of: an item is linked to an appeal of the community that says one of
# them (received before the item was put on the agenda), never to whatever appeal came last.
ITEM_WORDS: dict[str, tuple[str, ...]] = {
    "小区停车位不足、夜间乱停": ("停车", "乱停"),
    "电动自行车充电难": ("充电",),
    "北门道路坑洼积水": ("积水", "坑洼", "路面"),
    "楼道堆物占用消防通道": ("堆物", "楼道", "杂物"),
    "消防设施老化": ("消防", "灭火器"),
    "广场舞噪音扰民": ("广场舞", "噪音", "音响"),
    "老旧小区加装电梯意愿摸底": ("电梯",),
    "垃圾分类驿站离南区太远": ("垃圾",),
}

# Meetings of the season: (title, kind, days ago, the stage to carry it to, agenda items with their decisions).
# A monthly meeting's title names the month of its date ({month}: 十二月); its days ago None is a month after the
# season's monthly meeting before it (the next of the series, as 召集下月会议 convenes it).
Season = list[tuple[str, str, int | None, str, list[Plan]]]
SEASON: Season = [
    (
        "停车难与充电桩联席会议",
        "joint",
        70,
        "filed",
        [
            (
                "小区停车位不足、夜间乱停",
                "错时共享周边单位停车位80个",
                "社区居委会",
                [("对接共建单位停车场", 2), ("制定错时停车公约", 1)],
            ),
            (
                "电动自行车充电难",
                "东门增设集中充电桩20个",
                "物业服务中心",
                [("选址与电力增容", 1), ("安装充电桩", 2)],
            ),
        ],
    ),
    (
        "北门道路硬化坝坝会",
        "yard",
        45,
        "evaluate",
        [
            (
                "北门道路坑洼积水",
                "北门道路硬化并疏通雨水井",
                "街道城建科",
                [("路面硬化", 3), ("雨水井疏通", 1)],
            ),
        ],
    ),
    (
        "垃圾分类驿站选址联席会议",
        "joint",
        33,
        "file",  # submitted for filing, waiting in the street's queue
        [
            (
                "垃圾分类驿站离南区太远",
                "南门增设垃圾分类驿站并安排定时督导",
                "社区居委会",
                [("驿站选址与建设", 2), ("志愿者定时督导", 1)],
            ),
        ],
    ),
    (
        "楼道堆物与消防通道板凳议事会",
        "bench",
        25,
        "implement",
        [
            (
                "楼道堆物占用消防通道",
                "开展楼道堆物集中清理",
                "物业服务中心",
                [("一至三号楼", 1), ("四至六号楼", 1)],
            ),
            ("消防设施老化", "更换老化灭火器并张贴消防通道标识", "社区居委会", []),
        ],
    ),
    (
        "{month}每月一议",
        "monthly",
        0,
        "deliberate",
        [
            ("广场舞噪音扰民", "", "", []),
        ],
    ),
    (
        "{month}每月一议",
        "monthly",
        None,
        "collect",
        [
            ("老旧小区加装电梯意愿摸底", "", "", []),
        ],
    ),
]

# The second community's (光华里, the demo party secretary's): a joint meeting carried through the five steps to
# the street's acknowledgement, and this month's monthly topic being discussed now.
SECOND_SEASON: Season = [
    (
        "非机动车棚改造联席会议",
        "joint",
        40,
        "filed",
        [
            (
                "电动自行车充电难",
                "9号楼北侧车棚改造并加装智能充电插座",
                "物业服务中心",
                [("车棚清理与选址", 1), ("电力增容与安装插座", 2)],
            ),
        ],
    ),
    (
        "光华里{month}每月一议",
        "monthly",
        0,
        "deliberate",
        [("楼道堆物占用消防通道", "", "", [])],
    ),
]
SECOND_TOPICS = [
    (
        "车棚里的僵尸自行车能清一清吗",
        "9号楼车棚停满了落灰的旧自行车，电动车只能推到楼道里，希望物业组织清理。",
        ["同意，清理前贴个告示，让车主认领。", "清出来的位置最好装上充电插座。"],
    ),
    (
        "小区东侧能不能加几张长椅",
        "东侧花园老人多，走累了没地方坐，建议添几张带靠背的长椅。",
        ["支持，最好放在树荫下。"],
    ),
]

TOPICS = [
    (
        "建议在东门增设快递柜",
        "快递经常堆在门岗，老人取件不方便，建议物业在东门增设智能快递柜。",
        ["赞成，上次我的快递就丢了。", "快递柜要考虑收费问题。"],
    ),
    (
        "广场舞音乐晚上太吵",
        "每天晚上八点到十点音乐声很大，家里有学生要写作业，希望能商量个时间和音量。",
        ["可以约定九点前结束，音量小一点。", "老人也需要锻炼，找个远一点的场地吧。"],
    ),
    (
        "1号楼想加装电梯",
        "1号楼住了很多老人，上下楼困难，想了解加装电梯的流程和补贴。",
        ["支持！我家在六楼。", "一楼住户的采光问题也要考虑。"],
    ),
    (
        "小区绿化带改成停车位可以吗",
        "车越来越多，能不能把北侧一小块绿化带改成停车位？",
        ["绿化不能随便改，要业主表决。"],
    ),
]


# A hall topic raised before a meeting: it becomes the source of the agenda item of that title, and the item's
# decision answers it (its author and commenters are told).
RAISED = {
    "楼道堆物占用消防通道": (
        "楼道里堆满杂物，消防通道被堵",
        "3号楼二单元楼道堆了旧家具和纸箱，晚上看不清，万一着火跑不出去，希望社区管一管。",
        ["我们单元也一样，电动车还在楼道充电。"],
    ),
}

# The yard meeting's secretary asks one question of her own besides the usual ones.
OWN_QUESTION = {"北门道路硬化坝坝会": "施工期间出行是否得到妥善安排？"}
