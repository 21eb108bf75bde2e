"""Demo volunteering: in every community six colour-coded teams (党员红、医务白、助残橙、助老黄、环保绿、安全蓝) of
residents and party members, a season of activities lived through the real services with the clock moved
(sign-up, check-in at the place, check-out, the organiser confirming the hours, no-shows), the time bank's ledger
that follows (hours earned; the hours spent and given, and the points store, in volunteers_bank.py), points, the
branches' meetings over the year, and each branch's star rating: assessed by the branch, then most of last
year's approved by the street, and this year's unassessed ones reminded.
The demo's resident accounts (household verified) are volunteers too, so a demo resident signs in as one.
"""

from __future__ import annotations

import datetime as dt
import io
import random
import time
from typing import TYPE_CHECKING

import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import override_settings
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image, ImageDraw

from linli.accounts.models import User
from linli.core.models import OutboxChannel
from linli.core.outbox import outbox_discard
from linli.core.roles import Role
from linli.party import selectors as party_selectors
from linli.party import services as party
from linli.party.choices import MemberStatus, PartyOrgKind, StarState
from linli.party.models import PartyMember, PartyOrg
from linli.territory.models import OrgNode, Resident
from linli.volunteers import selectors, services
from linli.volunteers.choices import Refusal, TeamColour
from linli.volunteers.models import (
    Activity,
    Signup,
    Volunteer,
    VolunteerTeam,
)

from .clock import at, travel
from .territory.party import SECRETARY_PHONE, STAR_STATEMENTS
from .volunteers_bank import bank_lived, store_lived

if TYPE_CHECKING:
    from .parts import DemoRun

TEAM_NAMES = {
    "red": "党员先锋队",
    "white": "医务志愿队",
    "orange": "助残服务队",
    "yellow": "助老服务队",
    "green": "环保志愿队",
    "blue": "平安巡逻队",
}
# What each team does: (title, roles as (name, capacity, certificate)), one picked per activity.
TEAM_WORK: dict[str, list[tuple[str, list[tuple[str, int, str]]]]] = {
    "red": [("楼道堆物清理", [("清理员", 6, "")]), ("政策宣讲进楼门", [("宣讲员", 3, "")])],
    "white": [
        ("社区义诊", [("医生", 2, "medical"), ("引导员", 3, "")]),
        ("急救知识培训", [("培训员", 2, "first_aid")]),
    ],
    "orange": [("助残出行陪同", [("陪同员", 4, "")]), ("无障碍设施巡查", [("巡查员", 3, "")])],
    "yellow": [("独居老人探访", [("探访员", 6, "")]), ("老年餐桌送餐", [("送餐员", 4, "driver")])],
    "green": [("垃圾分类桶前值守", [("值守员", 6, "")]), ("绿地认养补种", [("补种员", 8, "")])],
    "blue": [("夜间平安巡逻", [("巡逻员", 6, "")]), ("电动车充电隐患排查", [("排查员", 3, "electrician")])],
}
SKILLS = ["理发", "维修", "烹饪", "书法", "摄影", "计算机", "心理疏导", "法律咨询", "驾驶", "手工"]
CERTIFICATES = ["first_aid", "electrician", "medical", "driver", "fire_safety", "counsellor"]
AVAILABILITY = ["周末上午", "工作日晚上", "每天下午", "周末全天", "随叫随到"]


def _committee(community: OrgNode) -> PartyOrg | None:
    return PartyOrg.objects.filter(org_node=community).exclude(kind=PartyOrgKind.GROUP).order_by("id").first()


def _volunteers(rng: random.Random, community: OrgNode, count: int) -> list[Volunteer]:
    """Residents and party members of the community, enrolled with skills, certificates and their grid."""
    members = list(
        PartyMember.objects.filter(
            party_org__org_node__path__startswith=community.path,
            status=MemberStatus.ACTIVE,
            resident__isnull=False,
        ).select_related("resident")[: count // 3]
    )
    taken = [m.resident_id for m in members if m.resident_id is not None]
    residents = [
        r
        for r in Resident.objects.filter(grid__org_node__path__startswith=community.path, is_demo=True)
        .exclude(pk__in=taken)
        .order_by("id")[: count * 3]
        if 1946 <= r.birth_date.year <= 2006
    ]
    rng.shuffle(residents)
    out = []
    people: list[tuple[Resident, PartyMember | None]] = [(m.resident, m) for m in members if m.resident] + [
        (r, None) for r in residents[: max(0, count - len(members))]
    ]
    for resident, member in people:
        certificates = rng.sample(CERTIFICATES, k=rng.choice((0, 0, 1, 1, 2)))
        out.append(
            services.volunteer_enrol(
                actor=None,
                community=community,
                name=resident.name,
                phone=resident.phone,
                resident=resident,
                party_member=member,
                skills="、".join(rng.sample(SKILLS, k=rng.randint(1, 2))),
                certificates=certificates,
                availability=rng.choice(AVAILABILITY),
                grids=[resident.grid],
            )
        )
    Volunteer.objects.filter(pk__in=[v.pk for v in out]).update(is_demo=True)
    return out


def _with_accounts(community: OrgNode) -> list[Volunteer]:
    """The demo's resident accounts of the community (the earlier parts made them, household verified) become
    volunteers too, so a demo resident signs in and finds their activities, hours and points: an account whose
    person was enrolled above claims that record as registering would (`volunteer_claim`: given the account's
    number if it had none), the others are enrolled."""
    added = []
    users = User.objects.filter(
        role=Role.RESIDENT,
        household__isnull=False,
        household_verified_by__isnull=False,
        household__building__grid__org_node__path__startswith=community.path,
    ).order_by("id")
    for user in users:
        if user.household_id is None or Volunteer.objects.filter(account=user).exists():
            continue
        resident = (
            Resident.objects.filter(household_id=user.household_id, name=user.display_name)
            .order_by("id")
            .first()
        )
        if resident is None:
            continue
        # The resident registering finds the record enrolled above (her verified household and name): linked to
        # her account, given its number when the register had none, rather than a second record.
        if services.volunteer_claim(actor=user, community=community) is not None:
            continue
        volunteer = services.volunteer_enrol(
            actor=None,
            community=community,
            name=resident.name,
            phone=user.phone,
            account_id=user.pk,
            resident=resident,
            availability=AVAILABILITY[user.pk % len(AVAILABILITY)],
            grids=[resident.grid],
        )
        Volunteer.objects.filter(pk=volunteer.pk).update(is_demo=True)
        added.append(volunteer)
    return added


# The team a demo resident leads in a community with residents' accounts: the green one, whose planting in a few
# days has places left (`_recruiting`).
RESIDENT_LED = TeamColour.GREEN


def _resident_leader(people: list[Volunteer]) -> Volunteer | None:
    """The volunteer of the community's first demo resident account (resident1 in 金台里社区; not the branch
    secretary's, whose story is the branch), to lead a team: a leader's own pages (the members and their hours, the
    activities, the requests to join to answer) are then seen on a resident's phone. None without such an account."""
    return (
        Volunteer.objects.filter(pk__in=[v.pk for v in people], account__role=Role.RESIDENT)
        .exclude(account__phone=SECRETARY_PHONE)
        .order_by("account_id")
        .first()
    )


def _teams(rng: random.Random, community: OrgNode, people: list[Volunteer]) -> list[VolunteerTeam]:
    committee = _committee(community)
    resident = _resident_leader(people)
    teams = []
    for ci, (colour, _label) in enumerate(TeamColour.choices):
        members = [v for i, v in enumerate(people) if i % 6 == ci]
        if colour == "red":  # the party red team is the members'
            members = [v for v in people if v.party_member_id] or members
        leader = members[0] if members else None
        if colour == RESIDENT_LED and resident is not None:
            leader = resident  # a member from the start (team_create adds them), so they serve in its season
        teams.append(
            services.team_create(
                actor=None,
                community=community,
                name=f"{community.name}{TEAM_NAMES[colour]}",
                colour=colour,
                party_org=committee,
                leader=leader,
                members=members,
            )
        )
    return teams


def _activity(
    rng: random.Random, team: VolunteerTeam, starts: dt.datetime, place: tuple[str, float, float]
) -> Activity:
    title, roles = rng.choice(TEAM_WORK[team.colour])
    hours = rng.choice((2, 2, 3, 4)) if team.colour != "blue" else 3
    activity = services.activity_create(
        actor=None,
        community=team.community,
        team=team,
        title=title,
        description=_("Organised by %(team)s.") % {"team": team.name},
        place=place[0],
        lng=place[1],
        lat=place[2],
        signup_opens_at=starts - dt.timedelta(days=7),
        bad_weather=rng.random() < 0.08,
        shifts=[services.ShiftIn(starts, starts + dt.timedelta(hours=hours), roles)],
    )
    activity.is_demo = True
    activity.save(update_fields=["is_demo"])
    return services.activity_open(actor=None, activity=activity)


def _live(rng: random.Random, activity: Activity, pool: list[Volunteer], worker: User | None) -> int:
    """Sign volunteers up (the day before), check them in and out at the place, confirm their hours. One still to
    come has some of its places taken by now (once its sign-up opened), the rest left for whoever signs in."""
    shift = activity.shifts.get()
    signups: list[Signup] = []
    now = timezone.now()
    upcoming = shift.starts_at > now
    signed_at = min(shift.starts_at - dt.timedelta(days=1), now - dt.timedelta(minutes=30))
    if signed_at < activity.signup_opens_at:
        return 0
    with time_machine.travel(signed_at, tick=False):
        for role in shift.roles.all():
            candidates = [v for v in pool if not role.certificate or role.certificate in v.certificates]
            rng.shuffle(candidates)
            for v in candidates[: role.capacity // 2 if upcoming else role.capacity + 1]:
                # The service says why not under the role's lock (the demo does not ask it first as well); told the
                # role is full, about half ask for the waiting list, as a resident does on the activity's page.
                try:
                    signups.append(services.signup_create(actor=None, volunteer=v, role=role))
                except services.SignupRefused as refused:
                    if refused.reason == Refusal.FULL and rng.random() < 0.5:
                        services.signup_create(actor=None, volunteer=v, role=role, wait=True)
    if shift.ends_at > timezone.now():
        return 0
    came = []
    for s in signups:
        if rng.random() < 0.1:
            continue  # marked absent below
        with time_machine.travel(shift.starts_at - dt.timedelta(minutes=rng.randint(0, 20)), tick=False):
            services.signup_check_in(
                actor=None, volunteer=s.volunteer, activity=activity, lng=activity.lng, lat=activity.lat
            )
        with time_machine.travel(shift.ends_at + dt.timedelta(minutes=rng.randint(0, 10)), tick=False):
            services.signup_check_out(
                actor=None, volunteer=s.volunteer, activity=activity, lng=activity.lng, lat=activity.lat
            )
        came.append(s)
    with time_machine.travel(shift.ends_at + dt.timedelta(hours=2), tick=False):
        for s in signups:
            if s in came:
                services.signup_confirm_hours(actor=worker, signup=s)
            else:
                services.signup_mark_no_show(actor=worker, signup=s)
    return len(came)


def _recruiting(
    rng: random.Random,
    teams: list[VolunteerTeam],
    places: list[tuple[str, float, float]],
    people: list[Volunteer],
) -> int:
    """The green team's planting in three days, open for sign-up since the week before and a third full: every
    community, and so every demo resident's, has an activity they may join when they sign in."""
    team = next(t for t in teams if t.colour == TeamColour.GREEN)
    day = timezone.localdate() + dt.timedelta(days=3)
    starts = dt.datetime.combine(day, dt.time(9), tzinfo=timezone.get_current_timezone())
    place = rng.choice(places)
    with time_machine.travel(timezone.now() - dt.timedelta(days=2), tick=False):
        activity = services.activity_create(
            actor=None,
            community=team.community,
            team=team,
            title="绿地认养补种",
            description=_("Organised by %(team)s.") % {"team": team.name},
            place=place[0],
            lng=place[1],
            lat=place[2],
            signup_opens_at=timezone.now() - dt.timedelta(days=1),
            shifts=[services.ShiftIn(starts, starts + dt.timedelta(hours=2), [("补种员", 9, "")])],
        )
        Activity.objects.filter(pk=activity.pk).update(is_demo=True)
        activity = services.activity_open(actor=None, activity=activity)
    # A few neighbours signed up already; not the demo's resident accounts, who find places left.
    role = activity.shifts.get().roles.get()
    with time_machine.travel(timezone.now() - dt.timedelta(hours=5), tick=False):
        signed = 0
        for volunteer in (v for v in people if v.account_id is None):
            try:
                services.signup_create(actor=None, volunteer=volunteer, role=role)
            except services.SignupRefused:
                continue
            signed += 1
            if signed == 3:
                break
    return 1


# What the branches' meetings took up, by kind (三会一课): the register of a branch read one topic, 学习研讨, on every row.
MEETING_TOPICS = {
    "assembly": (
        "学习贯彻党的二十届三中全会精神",
        "预备党员转正表决",
        "通报党费收缴和使用情况",
        "年度民主评议党员",
    ),
    "committee": (
        "研究发展党员工作",
        "部署楼道环境整治和垃圾分类督导",
        "研究党员认领居民微心愿的分工",
        "讨论党员联系服务群众分工",
        "研究老旧小区加装电梯的协调工作",
        "部署冬季供暖和独居老人入户走访",
    ),
    "lesson": (
        "书记讲党课：基层治理中的党员先锋作用",
        "学习《中国共产党纪律处分条例》",
        "观看红色教育影片并交流体会",
        "党史学习：北平和平解放",
    ),
}


def _meetings(rng: random.Random, today: dt.date) -> int:
    """Each branch's meetings of this year and last, with who attended (a few branches hold fewer)."""
    made = 0
    for branch in PartyOrg.objects.filter(kind=PartyOrgKind.BRANCH).order_by("id"):
        members = list(branch.members.filter(status=MemberStatus.ACTIVE))
        diligence = rng.choice((0.4, 0.7, 0.9, 1.0, 1.0))
        for year in (today.year - 1, today.year):
            for kind, per_year in (("assembly", 4), ("committee", 12), ("lesson", 4)):
                for i in range(per_year):
                    held_on = dt.date(year, 1 + i * 12 // per_year, rng.randint(5, 25))
                    if held_on > today or rng.random() > diligence:
                        continue
                    attendees = [m for m in members if rng.random() < 0.8]
                    topics = MEETING_TOPICS[kind]
                    with travel(at(held_on, 19)):
                        party.branch_meeting_record(
                            actor=None,
                            branch=branch,
                            kind=kind,
                            held_on=held_on,
                            topic=topics[(i + branch.pk) % len(topics)],
                            attendees=attendees,
                        )
                    made += 1
    return made


def part(run: DemoRun) -> None:
    started = time.perf_counter()
    rng = random.Random(run.seed + 13)
    assert run.district is not None
    today = timezone.localdate()
    per_community = max(12, int(36 * run.scale))
    street = User.objects.filter(role=Role.STREET_OFFICER).order_by("id").first()
    activities = served = 0
    for community in run.district.communities:
        worker = User.objects.filter(role=Role.COMMUNITY_WORKER, org_node=community).order_by("id").first()
        people = _volunteers(rng, community, per_community) + _with_accounts(community)
        teams = _teams(rng, community, people)
        places = [
            (f"{compound.name}{spot}", lng, lat)
            for compound in OrgNode.objects.filter(parent=community)
            for spot, lng, lat in _spots(compound)
        ] or [(community.name, 116.4, 39.9)]
        # A season: two activities a week over the past twelve weeks, and a few still to come.
        for week in range(-12, 2):
            for _slot in range(2):
                team = rng.choice(teams)
                day = today + dt.timedelta(weeks=week, days=rng.randint(0, 6))
                hour = 19 if team.colour == "blue" else rng.choice((9, 14))
                starts = dt.datetime.combine(day, dt.time(hour), tzinfo=timezone.get_current_timezone())
                if starts < timezone.now() - dt.timedelta(days=90) or (week >= 0 and starts < timezone.now()):
                    continue
                with time_machine.travel(starts - dt.timedelta(days=8), tick=False):
                    activity = _activity(rng, team, starts, rng.choice(places))
                pool = list(team.members.all()) or people
                served += _live(rng, activity, pool, worker)
                activities += 1
        activities += _recruiting(rng, teams, places, people)
        _join_requests(teams, people)
        bank_lived(rng, community, people, worker)
        store_lived(community, people, worker)
        _photos(community)
    meetings = _meetings(rng, today)
    ratings = _stars(today, street)
    run.say(
        _("Volunteering: %(volunteers)d volunteers, %(activities)d activities, %(served)d shifts served.")
        % {"volunteers": Volunteer.objects.count(), "activities": activities, "served": served}
    )
    run.say(
        _("Branch meetings: %(meetings)d; branch ratings: %(ratings)d (%(seconds).1f s).")
        % {"meetings": meetings, "ratings": ratings, "seconds": time.perf_counter() - started}
    )


def _join_requests(teams: list[VolunteerTeam], people: list[Volunteer]) -> None:
    """Two residents with an account ask to join a team they are not in, from its page: requests waiting for the
    team's leader or the community to answer. Where a resident leads a team (`_resident_leader`), two others ask to
    join theirs, so that leader answers them on their phone."""
    led = next((t for t in teams if t.colour == RESIDENT_LED and t.leader and t.leader.account_id), None)
    asking = [v for v in people if v.account_id and not (led and led.members.filter(pk=v.pk).exists())]
    for volunteer, note in zip(asking[:2], (_("I have weekends free."), _("I can drive.")), strict=False):
        team = led or next((t for t in teams if not t.members.filter(pk=volunteer.pk).exists()), None)
        if team is not None:
            services.team_join_ask(actor=volunteer.account, team=team, note=note)


def _photo_of(activity: Activity) -> SimpleUploadedFile:
    """A picture standing for a photo of the activity: a field in its team's colour."""
    colour = TeamColour.colour_of(activity.team.colour if activity.team else "") or "#8a96a3"
    image = Image.new("RGB", (640, 420), colour)
    ImageDraw.Draw(image).rectangle((24, 24, 616, 396), outline=(255, 255, 255), width=6)
    buf = io.BytesIO()
    image.save(buf, format="JPEG")
    return SimpleUploadedFile(f"activity-{activity.pk}.jpg", buf.getvalue(), content_type="image/jpeg")


def _photos(community: OrgNode) -> None:
    """The organiser's photos of the three latest past activities: two published once everyone pictured agreed,
    the latest still awaiting that consent (so staff see both states and the public only the consented ones)."""
    latest = list(selectors.past_activities(Activity.objects.filter(community=community, state="open"))[:3])
    for n, activity in enumerate(latest):
        photo = services.activity_photo_add(
            actor=None, activity=activity, photo=_photo_of(activity), caption=f"{activity.title}现场"
        )
        if n > 0:
            services.activity_photo_consent(
                actor=None, photo=photo, consent=True, note="照片中的志愿者当场同意公开，签字单存社区"
            )


def _spots(compound: OrgNode) -> list[tuple[str, float, float]]:
    """Places in a compound: its first buildings' doors (where the activities meet)."""
    from linli.territory.models import Building

    return [
        (f"{b.name}前", b.lng, b.lat) for b in Building.objects.filter(compound=compound).order_by("id")[:2]
    ]


def _stars(today: dt.date, street: User | None) -> int:
    """Each branch's rating of last year and this year's so far, as the street runs 星级党支部创评: the branch
    assesses itself first (its secretary submits, here the system on the branch's behalf where the territory part
    left last year's unassessed), then the street approves last year's (all it was sent, a few branches never
    assessed); this year's that wait for the
    branch (not assessed, or returned) get the street's reminder where the branch has a secretary (the demo
    secretary's 我的支部 shows it). The reminders' texts to the made-up phones never leave."""
    count = 0
    reminded: set[str] = set()
    with transaction.atomic(), override_settings(LINLI_OUTBOX_SEND_ON_COMMIT=False):
        for n, branch in enumerate(PartyOrg.objects.filter(kind=PartyOrgKind.BRANCH).order_by("id")):
            rating = party.branch_stars_compute(actor=None, branch=branch, year=today.year - 1)
            # Last year's are closed: the street approved every self-assessment it was sent (none waits for it a
            # year on); a few branches never assessed themselves, and those the street left as computed.
            if street is not None and (rating.pk % 5 or rating.state == StarState.SUBMITTED):
                if rating.state == StarState.COMPUTED:
                    rating = party.branch_stars_submit(
                        actor=_leader_account(branch),
                        rating=rating,
                        claimed_stars=rating.computed_stars,
                        statement=STAR_STATEMENTS[n % len(STAR_STATEMENTS)],
                    )
                party.branch_stars_approve(actor=street, rating=rating, note=_("Evidence checked"))
            rating = party.branch_stars_compute(actor=None, branch=branch, year=today.year)
            leaders = [m.phone for m in party_selectors.branch_leaders(branch)]
            if street is not None and rating.state in WAITING_FOR_BRANCH and leaders:
                party.branch_stars_remind(actor=street, rating=rating)
                reminded.update(leaders)
            count += 2
        outbox_discard(channel=OutboxChannel.SMS, recipients=reminded)
    return count


WAITING_FOR_BRANCH = (StarState.COMPUTED, StarState.RETURNED)


def _leader_account(branch: PartyOrg) -> User | None:
    """The account that leads the branch (the demo secretary's), else None: the system for the branch."""
    accounts = party_selectors.leader_accounts(branch)
    return accounts[0] if accounts else None
