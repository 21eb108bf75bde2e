from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from linli.core.choices import ColouredChoices


class PartyOrgKind(ColouredChoices):
    """Party red: a committee solid, its branches light, a party group the pale gold of a small unit."""

    COMMITTEE = "committee", "#c8242b", _("Party committee")
    GENERAL_BRANCH = "general_branch", "#fdecec", "#9b1c1c", _("General branch")
    BRANCH = "branch", "#fdecec", "#9b1c1c", _("Branch")
    GROUP = "group", "#fff6e6", "#7a5310", _("Party group")


class PartyOrgCategory(ColouredChoices):
    """What sets an organisation apart from the ordinary ones laid over the tree (a regular one has no badge)."""

    REGULAR = "regular", _("Regular")
    PROPERTY = "property", "#fff1f0", "#8f1b20", _("Property company (party-led property)")
    MOBILE = "mobile", "#fff1f0", "#8f1b20", _("Mobile members")


class MemberStatus(models.TextChoices):
    ACTIVE = "active", _("On the roll")  # 在册: not "党员", the word of the position beside it
    LEFT = "left", _("Left")


class MemberPosition(ColouredChoices):
    """A post in the branch's committee stands out in party red; a plain member has no badge."""

    MEMBER = "member", _("Member")
    SECRETARY = "secretary", "#c8242b", _("Secretary")
    DEPUTY_SECRETARY = "deputy_secretary", "#c8242b", _("Deputy secretary")
    COMMITTEE_MEMBER = "committee_member", "#c8242b", _("Committee member")


class MemberEventKind(models.TextChoices):
    JOINED = "joined", _("Joined")
    TRANSFERRED = "transferred", _("Transferred")
    LEFT = "left", _("Left")
    POSITION = "position", _("Position changed")


class RegistrationStatus(ColouredChoices):
    PENDING = "pending", "#d9a400", _("Pending")
    APPROVED = "approved", "#2f6fb5", _("Approved, awaiting a post")
    ACTIVE = "active", "#2e9d5b", _("Active")
    REFUSED = "refused", "#d23c3c", _("Refused")
    ENDED = "ended", "#8a8f98", _("Ended")


# A registration in one of these states is open: the member cannot register again meanwhile.
OPEN_REGISTRATION_STATES = (
    RegistrationStatus.PENDING,
    RegistrationStatus.APPROVED,
    RegistrationStatus.ACTIVE,
)


class RefusalReason(models.TextChoices):
    ALREADY_REGISTERED = "already_registered", _("Already registered with a community")
    NOT_A_MEMBER = "not_a_member", _("Not confirmed as a party member")
    WRONG_COMMUNITY = "wrong_community", _("Does not live in this community")
    INCOMPLETE = "incomplete", _("Details incomplete or wrong")
    OTHER = "other", _("Other reason")


class RegistrationSource(models.TextChoices):
    STAFF = "staff", _("Recorded by staff")
    PAGE = "page", _("Online form")
    QR = "qr", _("Scanned the community's QR code")


class Availability(models.TextChoices):
    WEEKENDS = "weekends", _("Weekends")
    EVENINGS = "evenings", _("Weekday evenings")
    FLEXIBLE = "flexible", _("Flexible, by appointment")
    MONTHLY = "monthly", _("A few times a month")


class Specialty(models.TextChoices):
    LEGAL = "legal", _("Legal advice")
    MEDICAL = "medical", _("Medical care")
    EDUCATION = "education", _("Education and tutoring")
    ENGINEERING = "engineering", _("Engineering and repairs")
    PSYCHOLOGY = "psychology", _("Counselling")
    CULTURE = "culture", _("Culture and sports")
    IT = "it", _("IT and digital help")
    FINANCE = "finance", _("Finance and accounting")
    OTHER = "other", _("Other")


# The post a community usually gives a registered member of each specialty, and its duties (editable).
SPECIALTY_POSTS: dict[str, tuple[str, str]] = {
    "legal": ("法律咨询岗", "每月在网格服务站坐班一次，解答居民法律问题，参与矛盾调解。"),
    "medical": ("健康服务岗", "为网格内老人测量血压、讲解健康知识，协助组织义诊。"),
    "education": ("课业辅导岗", "周末为网格内儿童辅导功课，参与“四点半课堂”。"),
    "engineering": ("维修服务岗", "协助排查楼道和设施安全隐患，为困难家庭提供小修小补。"),
    "psychology": ("心理疏导岗", "为独居老人和困难群众提供心理疏导，参与矛盾化解。"),
    "culture": ("文体活动岗", "组织网格内文体活动，参与社区文化建设。"),
    "it": ("数字助老岗", "教老人使用智能手机、线上挂号和缴费，协助网格信息化工作。"),
    "finance": ("财务咨询岗", "为居民提供理财防诈咨询，协助社区基金账目公开。"),
    "other": ("网格志愿服务岗", "参与网格巡查、政策宣传和入户走访。"),
}


class PairingKind(models.TextChoices):
    PAIRED = "paired", _("Paired co-building")
    ALLIANCE = "alliance", _("Party-building alliance")


# --- member points and branch stars ------------------------------------------------------------------------


class MeetingKind(models.TextChoices):
    """三会一课: the member assembly, the branch committee, the party group meeting and the party lesson."""

    ASSEMBLY = "assembly", _("Member assembly")
    COMMITTEE = "committee", _("Branch committee meeting")
    GROUP = "group", _("Party group meeting")
    LESSON = "lesson", _("Party lesson")


class MemberPointsKind(models.TextChoices):
    SERVICE_HOURS = "service_hours", _("Service hours (member registration)")
    MEETING = "meeting", _("Attended a branch meeting")
    APPEAL = "appeal", _("Appeal handled")
    WISH = "wish", _("Wish adopted")
    DECISION = "decision", _("Joint-meeting decision delivered")
    SECRETARY = "secretary", _("Entry by the branch secretary")


# Points a member earns per unit of each kind unless a rule row says otherwise (per hour for service hours).
MEMBER_POINTS_DEFAULTS = {
    "service_hours": 2,
    "meeting": 3,
    "appeal": 5,
    "wish": 5,
    "decision": 8,
}


class StarState(ColouredChoices):
    """A branch's yearly rating: computed from the records, assessed by the branch itself (自评), reviewed by the
    street, which approves it or returns it to the branch to be assessed again (退回修改)."""

    COMPUTED = "computed", "#d9a400", _("Computed, awaiting the branch's self-assessment")
    SUBMITTED = "submitted", "#2f6fb5", _("Self-assessed, awaiting the street's review")
    RETURNED = "returned", "#d23c3c", _("Returned to the branch")
    APPROVED = "approved", "#2e9d5b", _("Approved by the street")
