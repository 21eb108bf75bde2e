"""Demo co-building: in every community a service menu, the three lists (needs from residents, visits and the
office; resources of the street's partner units, property companies, social organisations and skilled
residents), matches confirmed from the ranked suggestions and projects formed from them, service orders over the
past half year in every state (taken, refused, cancelled, fulfilled, rated, some late), small wishes in every
state, and a year of the community fund (`cobuild_fund.py`): donations, shared-parking and venue income, payments for projects under way with two
approvals (one waiting, one rejected) and a reversal. Every step is taken by a person through the services: the
community worker keeps the lists, the grid worker puts what they found on a visit on the needs list, and each
community's clerk (经办人, a second community worker, `communityN-clerk` with the demo password) asks for the
payments the community worker and the street officer approve. Projects carry milestones with photos; the street's partner
units are paired with the community with a commitment list each; last quarter's service stars are published.
"""

from __future__ import annotations

import datetime as dt
import io
import random
import time
from typing import TYPE_CHECKING

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image

from linli.accounts.models import User
from linli.accounts.services import staff_create
from linli.appeals.models import Appeal
from linli.cobuild import selectors, services
from linli.cobuild.models import Need, Project, Resource, ServiceItem, Wish
from linli.core.roles import Role
from linli.party import services as party
from linli.party.models import PartnerPairing
from linli.territory.choices import OrganisationKind
from linli.territory.models import Grid, Organisation, OrgNode, Visit

from .clock import at, travel
from .cobuild_fund import fund_year

if TYPE_CHECKING:
    from .parts import DemoRun

MENU = [
    ("小修小补", "repair", "水电、门锁、家具小修"),
    ("义诊", "health", "量血压、测血糖、健康咨询"),
    ("理发", "haircut", "老人、残疾人上门理发"),
    ("助浴", "bathing", "失能老人助浴"),
    ("家政", "housekeeping", "保洁、整理"),
    ("法律咨询", "legal", "律师值班答疑"),
]
# What each kind of organisation offers: (name, kind, category, skills, opening hours, capacity).
OFFERS = {
    "partner_unit": [
        ("党员志愿服务", "hours", "elderly", "探访、陪伴、助餐", "", 6),
        ("会议室开放", "venue", "space", "", "工作日 18:00–21:00，周末 9:00–17:00", 2),
        ("慰问物资", "goods", "elderly", "", "", 4),
    ],
    "property_company": [("上门维修", "skill", "repair", "水电、管道、门锁", "", 5)],
    "social_organisation": [
        ("上门助浴", "skill", "bathing", "助浴、护理", "", 3),
        ("法律援助", "skill", "legal", "法律咨询、调解", "", 4),
        ("四点半课堂", "skill", "children", "课业辅导、手工", "工作日 16:30–18:30", 3),
    ],
}
SKILLED = [
    ("张师傅维修", "repair", "水电、家电维修"),
    ("王阿姨理发", "haircut", "理发"),
    ("李医生义诊", "health", "量血压、慢病咨询"),
    ("赵大姐家政", "housekeeping", "保洁、收纳"),
]
NEEDS = [
    ("楼道声控灯不亮", "repair", "整栋楼道灯失灵，老人夜里上下楼不便", 24, 3),
    ("独居老人需要定期探访", "elderly", "几位独居老人希望每周有人来看看", 6, 2),
    ("孩子放学后没人看管", "children", "双职工家庭希望有课后托管", 15, 2),
    ("需要活动场地办书法班", "space", "老年书法队想找一处固定场地", 30, 1),
    ("失能老人洗澡困难", "bathing", "卧床老人家属希望有上门助浴", 3, 3),
    ("邻里纠纷想咨询律师", "legal", "租房押金纠纷，想先问问法律意见", 1, 1),
    ("单元门锁损坏", "repair", "单元门禁锁坏了，外人随意进出", 18, 3),
]
WISHES = [
    "想要一副老花镜",
    "想学用智能手机视频通话",
    "希望有人陪我去医院复查",
    "想要一个助行器",
    "孩子想要一套课外书",
    "想要一台收音机",
]
CLERKS = ["周晓梅", "吴建国", "郑丽华", "孙海燕", "冯志强", "韩秀英", "曹文静", "彭立新"]
RATING_COMMENTS = ["很及时，师傅很耐心", "服务很好", "按时上门，干活利索", "", "态度好"]


def _png(text: str) -> SimpleUploadedFile:
    buf = io.BytesIO()
    Image.new("RGB", (64, 48), (46, 157, 91)).save(buf, format="PNG")
    return SimpleUploadedFile(f"{text}.png", buf.getvalue(), content_type="image/png")


def part(run: DemoRun) -> None:
    started = time.perf_counter()
    rng = random.Random(run.seed + 17)
    assert run.district is not None
    street_officer = User.objects.filter(role=Role.STREET_OFFICER).order_by("id").first()
    orders = 0
    for n, community in enumerate(run.district.communities):
        worker = User.objects.filter(role=Role.COMMUNITY_WORKER, org_node=community).order_by("id").first()
        clerk = _clerk(community, worker, CLERKS[n % len(CLERKS)])
        residents = list(
            User.objects.filter(
                role=Role.RESIDENT,
                household_verified_at__isnull=False,
                household__building__grid__org_node__path__startswith=community.path,
            ).order_by("id")
        )
        items = [
            ServiceItem.objects.create(community=community, name=n, category=c, description=d)
            for n, c, d in MENU
        ]
        resources = _resources(rng, community, worker, residents)
        _lists(rng, community, worker)
        _raised_by_residents(community, worker, residents)
        orders += _orders(rng, community, worker, items, residents, resources)
        _wishes(rng, community, worker, residents)
        fund_year(rng, community, worker, clerk, street_officer)
        _partners(community, worker)
        _stars(community, worker)
    run.say(
        _(
            "Co-building: %(needs)d needs, %(resources)d resources, %(orders)d orders, %(wishes)d wishes (%(s).1f s)."
        )
        % {
            "needs": Need.objects.count(),
            "resources": Resource.objects.count(),
            "orders": orders,
            "wishes": Wish.objects.count(),
            "s": time.perf_counter() - started,
        }
    )


def _clerk(community: OrgNode, worker: User | None, name: str) -> User | None:
    """The community's clerk (经办人): a second community worker, who asks for payments that the community worker
    and the street officer approve (no one approves what they asked for). Signs in with the demo password."""
    if worker is None:
        return None
    return staff_create(
        actor=None,
        username=f"{worker.username}-clerk",
        role=Role.COMMUNITY_WORKER,
        org_node=community,
        password_hash=worker.password,
        display_name=name,
    )


def _resources(
    rng: random.Random, community: OrgNode, worker: User | None, residents: list[User]
) -> list[Resource]:
    street_path = community.parent.path if community.parent else community.path
    made = []
    grids = list(Grid.objects.filter(org_node__path__startswith=community.path).order_by("id"))
    centre = (grids[0].centroid_lng, grids[0].centroid_lat) if grids else (116.4, 39.9)
    # The street's partner units and social organisations offer to each of its communities; a property company
    # only to the community whose compound it manages (its 上门维修 is for its own residents).
    units = (
        Organisation.objects.filter(org_node__path__startswith=street_path, kind__in=list(OFFERS))
        .exclude(~Q(org_node__path__startswith=community.path), kind=OrganisationKind.PROPERTY_COMPANY)
        .order_by("id")
    )
    for unit in units:
        for name, kind, category, skills, hours, cap in OFFERS[unit.kind][: rng.randint(1, 2)]:
            made.append(
                services.resource_create(
                    actor=worker,
                    community=community,
                    name=name,
                    provider_name=unit.name,
                    provider_kind=unit.kind,
                    organisation=unit,
                    kind=kind,
                    category=category,
                    skills=skills,
                    opening_hours=hours,
                    capacity=cap,
                    radius_m=rng.choice([1500, 2000, 3000]),
                    lng=centre[0] + rng.uniform(-0.006, 0.006),
                    lat=centre[1] + rng.uniform(-0.004, 0.004),
                    phone=unit.phone,
                )
            )
    # Skilled residents (社区能人) answer orders with their own accounts.
    for (name, category, skills), account in zip(SKILLED, residents[-len(SKILLED) :], strict=False):
        home = account.household.building if account.household else None
        made.append(
            services.resource_create(
                actor=worker,
                community=community,
                name=name[-2:],
                provider_name=name,
                provider_kind="skilled_resident",
                account=account,
                kind="skill",
                category=category,
                skills=skills,
                capacity=3,
                radius_m=1500,
                lng=home.lng if home else centre[0],
                lat=home.lat if home else centre[1],
                phone=account.phone,
            )
        )
    return made


def _lists(rng: random.Random, community: OrgNode, worker: User | None) -> None:
    """Needs from the office and from grid visits; matches confirmed for most; two projects formed from them."""
    today = timezone.localdate()
    grid = Grid.objects.filter(org_node__path__startswith=community.path).order_by("id").first()
    needs = []
    for i, (title, category, description, households, urgency) in enumerate(NEEDS):
        with travel(at(today - dt.timedelta(days=80 - i * 9), 10)):
            needs.append(
                services.need_create(
                    actor=worker,
                    community=community,
                    title=title,
                    category=category,
                    description=description,
                    households=households,
                    urgency=urgency,
                    lng=grid.centroid_lng + rng.uniform(-0.002, 0.002) if grid else None,
                    lat=grid.centroid_lat + rng.uniform(-0.002, 0.002) if grid else None,
                    place=grid.name if grid else "",
                )
            )
    visit = (
        Visit.objects.filter(
            grid__org_node__path__startswith=community.path,
            household__isnull=False,
            visitor__role=Role.GRID_WORKER,
        )
        .select_related("grid__org_node", "household__building")
        .order_by("id")
        .first()
    )
    if visit is not None:
        needs.append(
            services.need_from_visit(
                actor=visit.visitor, visit=visit, category="elderly", title="走访发现：独居老人需要助餐"
            )
        )
    matches = []
    for need in needs[:-2]:
        suggestions = selectors.suggestions_for(need)
        if suggestions:
            matches.append(services.match_confirm(actor=worker, need=need, resource=suggestions[0].resource))
    if len(matches) >= 3:
        p1 = services.project_create(
            actor=worker,
            community=community,
            title="楼道照明与门禁改造",
            budget="12000",
            pledge=True,
            matches=[m for m in matches if m.need.category == "repair"],
            description="为民办实事：更换声控灯、修复单元门禁",
        )
        _milestones(p1, worker, today, reached=2)
        p2 = services.project_create(
            actor=worker,
            community=community,
            title="一老一小关爱行动",
            budget="8000",
            matches=[m for m in matches if m.need.category in ("elderly", "children")],
            description="独居老人探访与四点半课堂",
        )
        _milestones(p2, worker, today, reached=3)
        p3 = services.project_create(
            actor=worker,
            community=community,
            title="社区花园微更新",
            budget="5000",
            description="居民议事确定的口袋花园改造，待开工",
        )
        _milestones(p3, worker, today, reached=0)
    # A need that will not be met here, closed with its reason.
    services.need_close(actor=worker, need=needs[-1], reason="居民已自行解决")
    # A suggestion about the surroundings (the rubbish station, the greenery), taken up as an environment need:
    # not the first suggestion whatever it says (a hospital's bills are no need of the community's).
    about_surroundings = Q()
    for word in ENVIRONMENT_WORDS:
        about_surroundings |= Q(category__name__contains=word)
    suggestion = (
        Appeal.objects.filter(kind="suggestion", org_path__startswith=community.path, grid__isnull=False)
        .filter(about_surroundings)
        .order_by("id")
        .first()
    )
    if suggestion is not None:
        services.need_from_appeal(
            actor=worker, appeal_pk=suggestion.pk, category="environment", households=20
        )


# Needs residents raise on their phones (提需求), the first resident's followed on 我的需求: one the community found
# help for, one still open; the second resident's, closed with its reason. (title, category, description, days ago)
RESIDENT_NEEDS = [
    (
        "母亲腿脚不便，想找人每周帮忙买一次菜",
        "elderly",
        "母亲一个人住在楼里，我工作日上班，周末才能回来。",
        26,
    ),
    ("楼下儿童滑梯螺丝松动，希望修一修", "repair", "小区中心花园的滑梯，孩子玩的时候晃得厉害。", 4),
    ("想找人教家里老人用手机挂号", "health", "老人常去社区卫生服务站，想学会在手机上预约。", 15),
]


def _raised_by_residents(community: OrgNode, worker: User | None, residents: list[User]) -> None:
    """Residents' own needs, raised through the phone page's service, so a resident's 我的需求 shows each state."""
    if not residents or worker is None:
        return
    today = timezone.localdate()
    raisers = [residents[0], residents[0], residents[1] if len(residents) > 1 else residents[0]]
    needs = []
    for resident, (title, category, description, days) in zip(raisers, RESIDENT_NEEDS, strict=True):
        with travel(at(today - dt.timedelta(days=days), 20)):
            needs.append(
                services.need_raise(actor=resident, title=title, category=category, description=description)
            )
    found = selectors.suggestions_for(needs[0])
    if found:
        with travel(at(today - dt.timedelta(days=24), 10)):
            services.match_confirm(actor=worker, need=needs[0], resource=found[0].resource)
    with travel(at(today - dt.timedelta(days=12), 15)):
        services.need_close(
            actor=worker, need=needs[2], reason="社区卫生服务站每周三下午开设老年人智能手机课，已告知居民报名"
        )


ENVIRONMENT_WORDS = (
    "垃圾",
    "绿化",
    "环境",
    "卫生",
    "噪声",
    "污染",
)  # appeal categories a community can act on
STEPS = [("方案与报价", -40), ("材料进场", -20), ("施工完成", 10)]


def _milestones(project: Project, worker: User | None, today: dt.date, *, reached: int) -> None:
    """Three milestones, the first `reached` of them reported with a photo (progress follows)."""
    steps = [
        services.milestone_add(
            actor=worker, project=project, title=title, due_on=today + dt.timedelta(days=offset)
        )
        for title, offset in STEPS
    ]
    for step in steps[:reached]:
        services.milestone_reach(
            actor=worker, milestone=step, note=f"{step.title}已完成", photo=_png(f"milestone{step.pk}")
        )


def _partners(community: OrgNode, worker: User | None) -> None:
    """The street's partner units paired with the community (结对共建), each with this year's commitment list:
    a need and a project claimed, lines written out, some kept."""
    street_path = community.parent.path if community.parent else community.path
    units = list(
        Organisation.objects.filter(org_node__path__startswith=street_path, kind="partner_unit").order_by(
            "id"
        )[:2]
    )
    needs = list(selectors.open_needs(community).order_by("id"))
    projects = list(selectors.public_projects(community).order_by("id"))
    for i, unit in enumerate(units):
        pairing = PartnerPairing.objects.filter(
            partner=unit, community=community, ended_on__isnull=True
        ).first()
        if pairing is None:
            pairing = party.partner_pairing_create(
                actor=None,
                community=community,
                partner=unit,
                kind="alliance" if i else "paired",
                member_count=12 + 7 * i,
                contact_name="联络员",
                contact_phone=unit.phone or "13800000000",
                since=timezone.localdate().replace(month=1, day=1),
                note="党建联建、志愿服务、资源共享",
            )
        written = [
            services.commitment_add(actor=worker, pairing=pairing, title=title)
            for title in (
                ["每季度一次健康义诊", "重阳节慰问独居老人"] if i == 0 else ["每月开放会议室给居民议事"]
            )
        ]
        services.commitment_fulfil(actor=worker, commitment=written[0], note="已开展，居民60余人参加")
        if needs[i : i + 1]:
            services.commitment_add(actor=worker, pairing=pairing, need=needs[i])
        for project in projects[i::2][:2]:
            services.commitment_add(actor=worker, pairing=pairing, project=project)


def _stars(community: OrgNode, worker: User | None) -> None:
    """Last quarter's service stars, reviewed and published (when enough orders were rated in it)."""
    today = timezone.localdate()
    start, _end = selectors.quarter_bounds(today)
    last = selectors.quarter_bounds(start - dt.timedelta(days=1))[0]
    candidates = selectors.service_stars(community, last, top=10)
    if not candidates:
        return
    left_out = {candidates[-1]["provider_id"]: "有一单差评正在回访核实"} if len(candidates) > 3 else {}
    services.stars_publish(actor=worker, community=community, quarter_start=last, left_out=left_out)


def _orders(
    rng: random.Random,
    community: OrgNode,
    worker: User | None,
    items: list[ServiceItem],
    residents: list[User],
    resources: list[Resource],
) -> int:
    """Half a year of orders lived through the loop; the last few still open or withdrawn, one or two late."""
    if not residents:
        return 0
    today = timezone.localdate()
    made = 0
    customers = residents[: max(1, len(residents) - len(SKILLED))]
    for k in range(24):
        item = items[0] if k % 3 == 0 else rng.choice(items)  # small repairs are asked for most
        providers = [r for r in resources if r.category == item.category and r.kind == "skill"]
        # Half a year back (last quarter's service stars need rated orders in it), the newest days ago.
        back = 170 - k * 8 if k < 21 else 88 - k * 4
        day = today - dt.timedelta(days=back + rng.randint(0, 2))
        while day.weekday() >= 5:
            day -= dt.timedelta(days=1)
        resident = rng.choice(customers)
        with travel(at(day, rng.choice((9, 10, 14, 15)))):
            order = services.order_place(actor=resident, item=item, note=rng.choice(_NOTES[item.category]))
        made += 1
        fate = rng.random()
        if k >= 21:  # the newest stay open at different steps, one withdrawn by the resident
            if k == 23:
                with travel(at(day, 12)):
                    services.order_cancel(actor=resident, order=order, reason="邻居帮忙修好了")
            if k == 22 and providers:
                with travel(at(day, 16)):
                    services.order_assign(actor=worker, order=order, provider=rng.choice(providers))
            continue
        if not providers or fate < 0.08:
            with travel(at(day, 16)):
                services.order_refuse(actor=worker, order=order, reason="本社区暂无该项服务人员，已转介街道")
            continue
        provider = rng.choice(providers)
        late = fate > 0.9
        with travel(at(day + dt.timedelta(days=2 if late else 0), 16)):
            if late:
                services.order_deadlines()
            services.order_assign(actor=worker, order=order, provider=provider)
        fulfilled = at(day + dt.timedelta(days=rng.randint(1, 3)), 11)
        with travel(fulfilled):
            services.order_fulfil(
                actor=provider.account or worker,
                order=order,
                fulfilment="part" if fate > 0.85 else "whole",
                minutes=rng.choice([30, 45, 60, 90]),
                report="已上门处理，缺少配件下次再来" if fate > 0.85 else "已上门处理完毕",
                photo=_png(order.number),
            )
        # The worker's job (every few seconds) hands the time spent to the time bank a minute later: the hours are
        # paid when the work was done (handed over at the build's end, all read today on a provider's statement).
        with travel(fulfilled + dt.timedelta(minutes=1)):
            services.order_hours_hand_over()
        if k < 19:
            stars = rng.choice([5, 5, 5, 4, 4, 3]) if fate < 0.85 else 2
            with travel(at(day + dt.timedelta(days=4), 20)):
                services.order_rate(
                    actor=resident,
                    order=order,
                    rating=stars,
                    comment=rng.choice(RATING_COMMENTS) if stars > 2 else "配件没带齐，跑了两趟",
                )
    return made


_NOTES = {
    "repair": ["厨房水龙头漏水", "卫生间灯不亮", "门锁不好开", "窗户关不严"],
    "health": ["想量量血压", "帮老人测个血糖", "咨询高血压用药"],
    "haircut": ["老人行动不便，请上门理发", "给卧床父亲理发"],
    "bathing": ["母亲卧床，需要助浴"],
    "housekeeping": ["大扫除需要帮忙", "老人家里需要整理"],
    "legal": ["租房押金纠纷咨询", "赡养问题咨询"],
}


def _wishes(rng: random.Random, community: OrgNode, worker: User | None, residents: list[User]) -> None:
    """Wishes in every state: waiting, adopted, a problem reported, fulfilled, thanked, withdrawn, lived over the
    last four weeks (posted, adopted the next evening, fulfilled two days on, answered the next morning): the wish
    bonuses the worker's round credits are dated on the days the wishes were met."""
    if worker is None:
        return
    today = timezone.localdate()
    helpers = residents[-len(SKILLED) :] or [worker]
    for i, title in enumerate(WISHES):
        posted = today - dt.timedelta(days=WISH_DAYS - 4 * i)
        with travel(at(posted, 10)):
            wish = services.wish_post_for(
                actor=worker,
                community=community,
                title=title,
                wisher_name=rng.choice(["王奶奶", "刘大爷", "陈阿姨", "小明"]),
                address=f"{community.name}{rng.randint(1, 12)}号楼{rng.randint(1, 6)}0{rng.randint(1, 4)}室",
                phone="",
            )
        if i == 0:
            continue
        helper = helpers[i % len(helpers)]
        adopted = posted + dt.timedelta(days=1)
        with travel(at(adopted, 19)):
            services.wish_adopt(actor=helper, wish=wish, adopter_name=helper.display_name)
        if i == 1:
            continue
        if i == len(WISHES) - 1:  # the last one the family met themselves: withdrawn, its adopter told why
            with travel(at(adopted + dt.timedelta(days=1), 9)):
                services.wish_withdraw(actor=worker, wish=wish, reason="家里人已经给买了，谢谢您的好意")
            continue
        fulfilled = adopted + dt.timedelta(days=2)
        with travel(at(fulfilled, 15)):
            services.wish_fulfil(actor=helper, wish=wish, photo=_png(f"wish{wish.pk}"))
        with travel(at(fulfilled + dt.timedelta(days=1), 9)):
            if i == 2:
                services.wish_reply(
                    actor=worker, wish=wish, thanks=False, message="助行器尺寸不合适，想换一个"
                )
            if i >= 4:  # the fourth is fulfilled and waits for the wisher's word
                services.wish_reply(actor=worker, wish=wish, thanks=True, message="谢谢好心人！")


# How many days ago the first wish was posted (the last six days ago): every one met within the look-back of the
# wish credits (`volunteers.credits.LOOKBACK`, 30 days) that the worker's round runs at now.
WISH_DAYS = 26
