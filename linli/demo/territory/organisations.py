"""The demo's departments, partner units, property companies and social organisations, and the staff accounts."""

from __future__ import annotations

from typing import TYPE_CHECKING

from linli.accounts.models import User
from linli.accounts.services import staff_create
from linli.core.roles import Role
from linli.party.choices import Specialty
from linli.territory import services as territory
from linli.territory.choices import OrganisationKind
from linli.territory.models import Organisation, OrgNode

from .street import _even

if TYPE_CHECKING:
    from .build import _Build

# (code, short code for the user name, name, duties)
DEPARTMENTS = [
    ("CGW", "城管委", "朝阳区城市管理委员会", "市容环境、违法建设、占道经营、环境卫生、园林绿化"),
    ("ZJW", "住建委", "朝阳区住房和城乡建设委员会", "物业管理、房屋安全、施工扰民、老旧小区改造"),
    ("SWJ", "水务局", "朝阳区水务局", "供水、排水、污水、防汛"),
    ("JTW", "交通委", "朝阳区交通委员会", "道路交通、停车管理、公交站点、共享单车"),
    ("SCJGJ", "市场监管局", "朝阳区市场监督管理局", "食品安全、价格、消费纠纷、特种设备"),
    ("STHJJ", "生态环境局", "朝阳区生态环境局", "大气、噪声、油烟、污水排放"),
    ("WJW", "卫健委", "朝阳区卫生健康委员会", "医疗服务、公共卫生、计划免疫"),
    ("MZJ", "民政局", "朝阳区民政局", "养老服务、社会救助、残疾人福利、社会组织"),
    ("GAFJ", "公安分局", "北京市公安局朝阳分局", "治安、户籍、交通秩序、消防协查"),
    ("GDGS", "供电公司", "国网北京朝阳供电公司", "供电抢修、电力设施、电费"),
]
PARTNER_UNITS = [
    "北京市第九十四中学",
    "朝阳区金台社区卫生服务中心",
    "北京银行光华路支行",
    "京华律师事务所",
    "北京热力集团朝阳分公司",
    "中建一局集团第三建筑公司",
    "北京市朝阳区图书馆",
    "光华路邮政支局",
]
PROPERTY_COMPANIES = [
    ("北京金台物业管理有限公司", "party-led"),
    ("北京光华安居物业服务有限公司", ""),
    ("首开鸿城物业朝阳项目部", "party-led"),
    ("北京红庙佳园物业管理有限公司", ""),
]
# The property company's staff account; its mobile number follows the demo residents' (19900000001–12) and the
# branch secretary's (19900000020).
PROPERTY_STAFF_USERNAME = "property1"
PROPERTY_STAFF_NAME = "孙立新"
PROPERTY_STAFF_PHONE = "19900000021"
# The first partner unit's contact (共建单位联络员): a department handler's account of that unit, as the product
# models a unit outside the tree; numbered after the property staff member.
PARTNER_STAFF_USERNAME = "partner1"
PARTNER_STAFF_NAME = "周文静"
PARTNER_STAFF_PHONE = "19900000022"
SOCIAL_ORGANISATIONS = ["金台街道志愿者协会", "朝阳区阳光社会工作事务所"]
WORKPLACES = [
    ("首都医科大学附属北京朝阳医院", Specialty.MEDICAL),
    ("北京市朝阳区中医医院", Specialty.MEDICAL),
    ("北京市朝阳区人民法院", Specialty.LEGAL),
    ("京华律师事务所", Specialty.LEGAL),
    ("北京市第八十中学", Specialty.EDUCATION),
    ("朝阳区实验小学", Specialty.EDUCATION),
    ("中国建设银行北京朝阳支行", Specialty.FINANCE),
    ("朝阳区税务局", Specialty.FINANCE),
    ("中国移动北京公司", Specialty.IT),
    ("北京数字政通科技有限公司", Specialty.IT),
    ("北京城建集团", Specialty.ENGINEERING),
    ("国网北京朝阳供电公司", Specialty.ENGINEERING),
    ("朝阳区文化馆", Specialty.CULTURE),
    ("朝阳区心理援助热线中心", Specialty.PSYCHOLOGY),
    ("朝阳区发展和改革委员会", Specialty.OTHER),
    ("北京市朝阳区商务局", Specialty.OTHER),
]
POSTS = {
    Specialty.LEGAL: "法律咨询志愿者",
    Specialty.MEDICAL: "健康咨询志愿者",
    Specialty.EDUCATION: "课业辅导志愿者",
    Specialty.ENGINEERING: "设施巡查员",
    Specialty.PSYCHOLOGY: "矛盾调解志愿者",
    Specialty.CULTURE: "文体活动组织员",
    Specialty.IT: "智能手机助老志愿者",
    Specialty.FINANCE: "防诈骗宣传员",
    Specialty.OTHER: "楼门长助理",
}


def _make_organisations(b: _Build) -> None:
    """Departments serve the district; partner units pair with communities; property companies run compounds."""
    rng = b.rng
    for code, _short, name, duties in DEPARTMENTS:
        b.departments.append(
            territory.organisation_create(
                actor=None,
                kind=OrganisationKind.DEPARTMENT,
                name=name,
                code=code,
                org_node=b.district,
                phone=f"010-6{rng.randrange(10**6, 10**7)}",
                duties=duties,
            )
        )
    for i, name in enumerate(PARTNER_UNITS):
        territory.organisation_create(
            actor=None,
            kind=OrganisationKind.PARTNER_UNIT,
            name=name,
            code=f"PU{i + 1:02d}",
            org_node=b.communities[i % len(b.communities)],
            phone=f"010-8{rng.randrange(10**6, 10**7)}",
        )
    for i, (name, flavour) in enumerate(PROPERTY_COMPANIES):
        territory.organisation_create(
            actor=None,
            kind=OrganisationKind.PROPERTY_COMPANY,
            name=name,
            code=f"PC{i + 1:02d}",
            org_node=b.compounds[i * len(b.compounds) // len(PROPERTY_COMPANIES)],
            duties="红色物业：党组织领导下的物业服务" if flavour else "物业服务",
        )
    for i, name in enumerate(SOCIAL_ORGANISATIONS):
        territory.organisation_create(
            actor=None,
            kind=OrganisationKind.SOCIAL_ORGANISATION,
            name=name,
            code=f"SO{i + 1:02d}",
            org_node=b.street,
        )


def _make_staff(b: _Build) -> None:
    """An account per role, all with the one demo password: leader, street, communityN, dept-xxx, gridNNN.
    Created through accounts' staff_create (placement rules, audit), with the password hashed once."""

    def staff(
        username: str,
        role: str,
        *,
        org_node: OrgNode | None = None,
        organisation: Organisation | None = None,
        name: str = "",
        phone: str = "",
    ) -> User:
        return staff_create(
            actor=None,
            username=username,
            role=role,
            org_node=org_node,
            organisation=organisation,
            password_hash=b.password_hash,
            display_name=name or b.staff_name(),
            phone=phone or b.people.mobile(),
        )

    b.accounts = [
        staff("leader", Role.DISTRICT_LEADER, org_node=b.district),
        staff("street", Role.STREET_OFFICER, org_node=b.street),
    ]
    for i, community in enumerate(b.communities):
        worker = staff(f"community{i + 1}", Role.COMMUNITY_WORKER, org_node=community)
        b.community_workers[community.pk] = worker
        b.accounts.append(worker)
    b.accounts += [
        staff(f"dept-{code.lower()}", Role.DEPARTMENT_HANDLER, organisation=d)
        for (code, *_rest), d in zip(DEPARTMENTS, b.departments, strict=True)
    ]
    b.grids_per_compound = _even(b.plan.grids, len(b.compounds))
    b.rng.shuffle(b.grids_per_compound)
    width = max(3, len(str(b.plan.grids)))
    b.grid_worker_names = [f"grid{n:0{width}d}" for n in range(1, b.plan.grids + 1)]
    # Grid worker n looks after grid n, in its compound.
    owners = [ki for ki, count in enumerate(b.grids_per_compound) for _j in range(count)]
    b.grid_workers = [
        staff(name, Role.GRID_WORKER, org_node=b.compounds[ki])
        for name, ki in zip(b.grid_worker_names, owners, strict=True)
    ]
    b.accounts += b.grid_workers
    # The first property company's staff member (物业) and the first partner unit's contact (共建单位), named and
    # numbered outright so that the district drawn from the seed stays the same as before the accounts were added.
    for kind, username, role, name, phone in (
        (
            OrganisationKind.PROPERTY_COMPANY,
            PROPERTY_STAFF_USERNAME,
            Role.PROPERTY_STAFF,
            PROPERTY_STAFF_NAME,
            PROPERTY_STAFF_PHONE,
        ),
        (
            OrganisationKind.PARTNER_UNIT,
            PARTNER_STAFF_USERNAME,
            Role.DEPARTMENT_HANDLER,
            PARTNER_STAFF_NAME,
            PARTNER_STAFF_PHONE,
        ),
    ):
        unit = Organisation.objects.filter(kind=kind).order_by("code").first()
        if unit is not None:
            b.accounts.append(staff(username, role, organisation=unit, name=name, phone=phone))
