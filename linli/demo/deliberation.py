"""Demo co-governance: a season of joint meetings in every stage, the residents' hall with topics and comments,
votes (one of them an owners' decision counted by floor area), and results with progress rolled up.

Everything goes through `linli.deliberation.services` (and accounts' household claims for the residents who take
part online), with the clock moved by time-machine to when each step happened, so a meeting's history, its
due dates in working days and its overdue warnings read exactly as real work would.
"""

from __future__ import annotations

import datetime as dt
import io
import random
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image, ImageDraw

from linli.accounts import services as accounts
from linli.accounts.models import User
from linli.appeals.models import Appeal
from linli.core.roles import Role
from linli.deliberation import jobs, services
from linli.deliberation.choices import InviteMethod
from linli.deliberation.models import AgendaSource, Meeting, Result, Topic, Vote
from linli.deliberation.selectors import households_of
from linli.deliberation.services.meetings import MONTH_NAMES, months_later
from linli.party.choices import MemberStatus, PartyOrgKind
from linli.party.models import PartyMember, PartyOrg
from linli.party.results import result_points
from linli.territory import services as territory
from linli.territory.models import Organisation, OrgNode

from .clock import at, travel
from .deliberation_texts import (
    ITEM_WORDS,
    OWN_QUESTION,
    RAISED,
    SEASON,
    SECOND_SEASON,
    SECOND_TOPICS,
    TOPICS,
    Pick,
    Plan,
    Season,
)

if TYPE_CHECKING:
    from .parts import DemoRun


def _at(today: dt.date, days_ago: float, hour: int = 10) -> dt.datetime:
    """A moment `days_ago` before `today` (the demo's today, read once: the clock moves while the demo runs)."""
    return at(today - dt.timedelta(days=days_ago), hour)


def _photo(text: str) -> SimpleUploadedFile:
    """A small PNG standing for the photo of a signed paper ballot or of finished work."""
    image = Image.new("RGB", (320, 200), (245, 245, 240))
    ImageDraw.Draw(image).rectangle((10, 10, 310, 190), outline=(120, 120, 120), width=3)
    buf = io.BytesIO()
    image.save(buf, format="PNG")
    return SimpleUploadedFile(f"{text}.png", buf.getvalue(), content_type="image/png")


def _residents(
    compound: OrgNode,
    worker: User,
    rng: random.Random,
    count: int,
    prefix: str = "resident",
    phone_prefix: str = "1990000",
) -> list[User]:
    """Resident accounts (`prefix`1, 2 … with the numbers `phone_prefix`0001 …) for some households of the
    compound, each claim verified by the community worker (the sign-in pages name resident1… and 1990000…)."""
    accounts_made: list[User] = []
    households = list(households_of(compound).order_by("code")[: count * 2])
    rng.shuffle(households)
    for i, household in enumerate(households[:count]):
        person = household.residents.order_by("birth_date").first()
        name = person.name if person else f"住户{i + 1}"
        user = User.objects.create_user(
            username=f"{prefix}{i + 1}",
            password=None,
            role=Role.RESIDENT,
            display_name=name,
            phone=f"{phone_prefix}{i + 1:04d}",
        )
        claim = accounts.household_claim(actor=user, household=household, claimant_name=name)
        accounts.household_claim_verify(actor=worker, claim=claim)
        user.refresh_from_db()
        accounts_made.append(user)
    return accounts_made


def _about(appeals: QuerySet[Appeal], words: tuple[str, ...]) -> Appeal | None:
    """The latest of `appeals` that says one of `words` and is on no agenda yet."""
    if not words:
        return None
    says = Q()
    for word in words:
        says |= Q(title__contains=word) | Q(description__contains=word)
    used = AgendaSource.objects.filter(appeal__isnull=False).values("appeal_id")
    return appeals.filter(says).exclude(pk__in=used).order_by("-created_at").first()


def _carry(
    meeting: Meeting,
    target: str,
    people: _People,
    rng: random.Random,
    plan: list[Plan],
    appeals: QuerySet[Appeal],
    raised: dict[str, Topic],
) -> None:
    """Live one meeting from 民意征集 to `target`: opinions collected in the days before, the meeting on its
    evening, the work in the weeks after it, the residents' ratings, the filing and the street's answer."""
    worker, street, residents = people.worker, people.street, people.residents
    steps = ["collect", "deliberate", "implement", "evaluate", "file", "filed"].index(target)
    day0 = meeting.scheduled_at
    # Members of a meeting whose invitations went out days ago were told by the secretary in person or by phone
    # (recorded so, no text message); only invitations due now go out by text message. (Read before the clock moves.)
    told = timezone.now() > day0 - dt.timedelta(days=5)
    method = InviteMethod.IN_PERSON if told else InviteMethod.SMS
    with travel(day0 - dt.timedelta(days=5)):
        for title, _decision, _unit, _parts in plan:
            said = _about(appeals.filter(created_at__lte=timezone.now()), ITEM_WORDS.get(title, ()))
            services.agenda_item_add(
                actor=worker,
                meeting=meeting,
                title=title,
                summary="居民通过诉求、议事厅和网格走访反映。",
                appeal_numbers=[said.tracking_number] if said else [],
                topic_ids=[raised[title].pk] if title in raised else [],
                other_sources=[("visit", "网格员入户走访收集意见")],
            )
        # Two members of the convening branch sit for it and as a residents' representative: marked present,
        # they are the members credited (party's decision points) once the meeting's results are delivered.
        first, second = [*people.members, None, None][:2]
        for side, name, unit, phone in [
            ("compound_branch", *_member_seat(first, "王建国", "小区党支部")),
            ("owners_committee", "李秀英", "业主委员会", ""),
            ("property_company", "赵强", "物业服务中心", ""),
            ("representative", *_member_seat(second, "陈淑华", "议事代表")),
            ("partner_unit", "刘明", people.partner.name if people.partner else "共建单位", ""),
        ]:
            services.participant_add(
                actor=worker, meeting=meeting, side=side, name=name, unit=unit, phone=phone
            )
        services.participants_invite(actor=worker, meeting=meeting, method=method)
    if steps < 1:
        return
    roots: list[tuple[Result, list[tuple[str, int]]]] = []
    with travel(day0):
        services.meeting_transition(actor=worker, meeting=meeting, action="open_deliberation")
        for p in meeting.participants.all()[:4]:
            services.participant_mark_present(actor=worker, participant=p)
        for resident in residents[:3]:
            services.meeting_sign_in(actor=resident, token=meeting.sign_in_token)
        if steps < 2:
            return
        services.minutes_save(
            actor=worker,
            meeting=meeting,
            minutes="与会各方逐项协商议题，听取居民代表意见，形成决定事项，明确责任单位和完成时限。",
        )
        for item, (_title, decision, unit, parts) in zip(meeting.agenda.all(), plan, strict=True):
            made = services.decision_add(
                actor=worker,
                meeting=meeting,
                text_=decision,
                responsible_name=unit,
                # Time for the work, done fifteen days after the meeting (below): by its due date. A decision
                # given five or ten working days was late every time, and the overview's 按期完成 read 0/4.
                working_days=rng.choice([12, 15, 20]),
                item=item,
                topic=raised.get(item.title),
            )
            roots.append((made.results.get(), parts))
        services.meeting_transition(actor=worker, meeting=meeting, action="start_implementation")
        leaves: list[Result] = []
        for root, parts in roots:
            if parts:
                leaves += [
                    services.result_part_add(actor=worker, parent=root, title=t, weight=w) for t, w in parts
                ]
            else:
                leaves.append(root)
    with travel(day0 + dt.timedelta(days=7)):
        for i, leaf in enumerate(leaves):
            if steps >= 3 or i % 3 != 2:  # still under way: one part not started yet
                services.result_progress(
                    actor=worker, result=leaf, progress=40 + 20 * (i % 2), note="正在施工"
                )
    if steps < 3:
        with travel(day0 + dt.timedelta(days=12)):
            services.result_progress(
                actor=worker, result=leaves[0], progress=100, note="已完成", photo=_photo("done")
            )
            # A part agreed at the meeting and dropped later, with the reason on its timeline.
            extra = services.result_part_add(
                actor=worker, parent=roots[0][0], title="楼道内加装储物架", weight=1
            )
            services.result_progress(
                actor=worker,
                result=extra,
                progress=0,
                dropped=True,
                note="消防部门意见：楼道内不得设置储物架，本项不再实施",
            )
        return
    with travel(day0 + dt.timedelta(days=15)):
        for leaf in leaves:
            services.result_progress(
                actor=worker, result=leaf, progress=100, note="全部完成并验收", photo=_photo("done")
            )
    with travel(day0 + dt.timedelta(days=18)):
        if meeting.title in OWN_QUESTION:
            questions = [q.text for q in meeting.questions.all()] + [OWN_QUESTION[meeting.title]]
            services.survey_questions_set(actor=worker, meeting=meeting, questions=questions)
        services.meeting_transition(actor=worker, meeting=meeting, action="open_evaluation")
        asked = [q.pk for q in meeting.questions.all()]
        for resident in residents:
            if rng.random() < 0.75:
                scale = ["satisfied", "basic", "unsatisfied"]
                services.meeting_rate(
                    actor=resident,
                    meeting=meeting,
                    rating=rng.choices(scale, [7, 2, 1])[0],
                    answers={str(q): rng.choices(scale, [6, 3, 1])[0] for q in asked},
                )
    with travel(day0 + dt.timedelta(days=21)):
        services.meeting_transition(actor=worker, meeting=meeting, action="submit_filing")
    if target == "file":  # the street has not answered yet
        return
    with travel(day0 + dt.timedelta(days=23)):
        if target == "evaluate":  # the street returned it: the attendance sheet is missing
            services.meeting_transition(
                actor=street, meeting=meeting, action="return_filing", note="请补充签到表照片后重新报备"
            )
        else:
            services.meeting_transition(actor=street, meeting=meeting, action="acknowledge_filing")


def _hall(
    today: dt.date, compound: OrgNode, worker: User, grid_worker: User | None, residents: list[User]
) -> dict[str, int]:
    with travel(_at(today, 20)):
        topics = _topics(TOPICS, residents, residents)
        rude = services.comment_add(actor=residents[-1], topic=topics[1], body="跳舞的人素质太差，都该赶走！")
        for reporter in residents[:3]:
            services.content_report(actor=reporter, comment=rude, reason="人身攻击，不文明")
        ad = services.topic_create(
            actor=residents[-2], title="低价出售二手家电", body="全新冰箱洗衣机，欢迎联系。"
        )
        for reporter in residents[2:5]:
            services.content_report(actor=reporter, topic=ad, reason="商业广告")
        services.content_moderate(actor=worker, topic=ad, decision="remove", reason="议事厅不发布商业广告")
    # Votes: a closed single choice, an open multiple choice, and two owners' decisions.
    floor_areas(compound)
    with travel(_at(today, 30)):
        site = services.vote_create(
            actor=worker,
            node=compound,
            title="快递柜设在哪个门",
            method="single",
            options=["东门", "北门", "南门"],
            closes_at=_at(today, 23),
            topic=topics[0],
        )
        gates = [o.pk for o in site.options.all()]  # 东门, 北门, 南门: most want the east gate
        _ballots(site, residents, grid_worker, lambda rng: rng.choices(gates, [5, 3, 2]), doorstep=0.55)
    jobs_close(_at(today, 22))
    with travel(_at(today, 12)):
        renew = services.vote_create(
            actor=worker,
            node=compound,
            title="是否续聘现物业服务企业",
            method="owners",
            matter="ordinary",
            closes_at=_at(today, 2),
            description="物业服务合同年底到期，按《民法典》第二百七十八条由业主共同决定。",
        )
        _ballots(renew, residents, grid_worker, _owners(renew, agree_share=0.8))
    jobs_close(_at(today, 1))
    with travel(_at(today, 3)):
        lift = services.vote_create(
            actor=worker,
            node=compound,
            title="使用专项维修资金为1号楼加装电梯",
            method="owners",
            matter="special",
            closes_at=_at(today, -7),
            topic=topics[2],
            description="拟使用专项维修资金，需经参与表决专有部分面积四分之三以上且人数四分之三以上的业主同意。",
        )
        _ballots(lift, residents[: len(residents) // 2], grid_worker, _owners(lift, agree_share=0.75))
        rooms = services.vote_create(
            actor=worker,
            node=compound,
            title="活动室开放哪些项目",
            method="multiple",
            anonymous=True,
            options=["棋牌", "书画", "舞蹈", "儿童阅读"],
            closes_at=_at(today, -5),
            results_hidden=True,
        )
        # Anonymous: no signed paper forms; in its first days most of the residents online have voted.
        activities = [o.pk for o in rooms.options.all()]
        _ballots(rooms, residents[:9], None, lambda rng: rng.sample(activities, rng.randint(1, 3)))
    return {"topics": len(topics) + 1 + len(RAISED), "votes": Vote.objects.filter(node=compound).count()}


def _topics(
    texts: list[tuple[str, str, list[str]]], authors: list[User], residents: list[User]
) -> list[Topic]:
    """Hall topics raised by `authors` in turn, each commented on by the residents after its author's place."""
    topics = []
    for n, (title, body, comments) in enumerate(texts):
        topic = services.topic_create(actor=authors[n % len(authors)], title=title, body=body)
        for k, text in enumerate(comments):
            services.comment_add(actor=residents[(n + k + 1) % len(residents)], topic=topic, body=text)
        topics.append(topic)
    return topics


def floor_areas(compound: OrgNode) -> None:
    """The register's floor areas of the compound's households (the owners' votes count by them)."""
    rng = random.Random(compound.pk)
    for household in households_of(compound).filter(floor_area__isnull=True):
        territory.household_update(
            actor=None, household=household, floor_area=rng.choice([58, 62.5, 75, 88, 96, 110.4, 126])
        )


def _owners(vote: Vote, agree_share: float) -> Pick:
    """An owner's choice: agree with `agree_share`, otherwise disagree or abstain."""
    keys = {o.key: o.pk for o in vote.options.all()}
    return lambda rng: [keys["agree" if rng.random() < agree_share else rng.choice(["disagree", "abstain"])]]


def _ballots(
    vote: Vote, residents: list[User], grid_worker: User | None, pick: Pick, doorstep: float = 0.78
) -> None:
    """Online ballots from the residents, then (when a grid worker goes round) paper ballots from the doorstep for
    the `doorstep` share of the other households, each choosing by `pick`."""
    rng = random.Random(vote.pk)
    voted: set[int] = set()
    for resident in residents:
        services.ballot_cast(actor=resident, vote=vote, option_ids=pick(rng))
        if resident.household_id:
            voted.add(resident.household_id)
    if grid_worker is None:
        return
    others = list(
        households_of(vote.node).exclude(pk__in=voted).select_related("building__grid").order_by("code")
    )
    first_worker: dict[int, User | None] = {}  # grid pk → its first grid worker, read once per grid
    for household in others[: int(len(others) * doorstep)]:
        # The grid worker of the household's own grid knocks on the door.
        grid = household.building.grid
        if grid.pk not in first_worker:
            first_worker[grid.pk] = grid.workers.first()
        visitor = first_worker[grid.pk] or grid_worker
        services.ballot_record_paper(
            actor=visitor,
            vote=vote,
            household=household,
            option_ids=pick(rng),
            photo=_photo(f"ballot-{household.code}"),
        )


def jobs_close(moment: dt.datetime) -> None:
    with travel(moment):
        jobs.close_due_votes()


@dataclass
class _People:
    worker: User
    street: User
    residents: list[User]
    partner: Organisation | None
    members: list[PartyMember] = field(default_factory=list)  # of the branch convening the meetings


@dataclass
class Held:
    """Where a community's season is held: the community, the convening branch, the room, the community's appeals
    (an agenda item names one that speaks of it) and the hall topics raised for an item."""

    community: OrgNode
    branch: PartyOrg | None
    place: str
    appeals: QuerySet[Appeal]
    raised: dict[str, Topic]


def _season(season: Season, held: Held, people: _People, rng: random.Random, today: dt.date) -> None:
    """Each meeting of a season called six days before it by the community worker and carried to its stage. A
    monthly meeting is named by the month of its date (it was 十一月每月一议 on a December date when the demo was
    built in December); the next of a series is a month after the one before it."""
    monthly: dt.datetime | None = None
    for title, kind, days_ago, target, plan in season:
        if days_ago is None:
            assert monthly is not None, title
            when = timezone.localtime(months_later(monthly, 1))
        else:
            when = _at(today, days_ago, 19)
        if kind == "monthly":
            monthly = when
        with travel(when - dt.timedelta(days=6, hours=10)):
            meeting = services.meeting_create(
                actor=people.worker,
                node=held.community,
                convener=held.branch,
                kind=kind,
                title=title.format(month=MONTH_NAMES[when.month - 1]),
                scheduled_at=when,
                place=held.place,
            )
        _carry(meeting, target, people, rng, plan, held.appeals, held.raised)


def _branch_members(branch: PartyOrg | None) -> list[PartyMember]:
    """The first two active members of the branch convening a community's meetings (they sit for it)."""
    if branch is None:
        return []
    members = PartyMember.objects.filter(party_org=branch, status=MemberStatus.ACTIVE)
    return list(members.select_related("party_org").order_by("id")[:2])


def _member_seat(member: PartyMember | None, name: str, unit: str) -> tuple[str, str, str]:
    """A meeting seat (name, unit, mobile) for a party member, or for a named neighbour when there is none."""
    if member is None:
        return name, unit, ""
    phone = member.phone if len(member.phone) == 11 and member.phone.isdigit() else ""
    return member.name, member.party_org.name, phone


def part(run: DemoRun) -> None:
    """The demo's co-governance part: a season of meetings, topics and votes in the first community, and a
    shorter one in the second (`_second_community`)."""
    district = run.district
    assert district is not None
    rng = random.Random(run.seed + 15)
    today = timezone.localdate()
    community = district.communities[0]
    compounds = [c for c in district.compounds if c.parent_id == community.pk]
    compound = min(compounds, key=lambda c: households_of(c).count())
    worker = User.objects.get(username=district.usernames["community_worker"][0])
    grid_worker = User.objects.filter(role=Role.GRID_WORKER, org_node=compound).first()
    with travel(_at(today, 90)):
        residents = _residents(compound, worker, rng, 12)
    branch = PartyOrg.objects.filter(kind=PartyOrgKind.BRANCH, org_node=compound).order_by("id").first()
    members = _branch_members(branch)
    people = _People(
        worker,
        User.objects.get(username="street"),
        residents,
        Organisation.objects.filter(kind="partner_unit").first(),
        members,
    )
    appeals = Appeal.objects.filter(org_path__startswith=community.path)
    raised: dict[str, Topic] = {}
    with travel(_at(today, 40)):
        for item_title, (title, body, comments) in RAISED.items():
            raised[item_title] = services.topic_create(actor=residents[4], title=title, body=body)
            for k, text in enumerate(comments):
                services.comment_add(actor=residents[5 + k], topic=raised[item_title], body=text)
    held = Held(community, branch, "社区党群服务中心议事厅", appeals, raised)
    _season(SEASON, held, people, rng, today)
    second = _second_community(run, rng, today, people.street)
    warned = jobs.warn_overdue_results()
    result_points()  # party's job: decision points for the members present at meetings whose results are in
    figures = _hall(today, compound, worker, grid_worker, residents)
    run.say(
        _(
            "Deliberation: %(meetings)d meetings, %(topics)d topics, %(votes)d votes, %(warned)d overdue results."
        )
        % {
            "meetings": len(SEASON) + len(SECOND_SEASON),
            "topics": figures["topics"] + second["topics"],
            "votes": figures["votes"] + second["votes"],
            "warned": warned,
        }
    )


def _second_community(run: DemoRun, rng: random.Random, today: dt.date, street: User) -> dict[str, int]:
    """The second community (光华里, where the demo party secretary lives): its own residents online, a joint
    meeting carried to the street's acknowledgement, this month's monthly meeting under way, a few hall topics
    with comments (one the secretary's) and an open vote with online and doorstep ballots."""
    district = run.district
    assert district is not None
    community = district.communities[1]
    compounds = [c for c in district.compounds if c.parent_id == community.pk]
    compound = min(compounds, key=lambda c: households_of(c).count())
    worker = User.objects.get(username=district.usernames["community_worker"][1])
    grid_worker = User.objects.filter(role=Role.GRID_WORKER, org_node=compound).first()
    with travel(_at(today, 90)):
        residents = _residents(compound, worker, rng, 6, prefix="guanghua", phone_prefix="1980000")
    branch = PartyOrg.objects.filter(kind=PartyOrgKind.BRANCH, org_node=compound).order_by("id").first()
    partner = Organisation.objects.filter(kind="partner_unit").first()
    people = _People(worker, street, residents, partner, _branch_members(branch))
    appeals = Appeal.objects.filter(org_path__startswith=community.path)
    _season(SECOND_SEASON, Held(community, branch, "光华里社区居委会议事室", appeals, {}), people, rng, today)
    secretary = User.objects.filter(username="secretary1", household_verified_at__isnull=False).first()
    authors = [secretary, *residents] if secretary else residents
    with travel(_at(today, 15)):
        _topics(SECOND_TOPICS, authors, residents)
    with travel(_at(today, 4)):
        benches = services.vote_create(
            actor=worker,
            node=compound,
            title="东侧花园长椅放在哪里",
            method="single",
            options=["树荫下步道旁", "健身器材旁", "儿童游乐区旁"],
            closes_at=_at(today, -6),
        )
        places = [o.pk for o in benches.options.all()]
        _ballots(benches, residents, grid_worker, lambda rng: rng.choices(places, [5, 3, 2]), doorstep=0.3)
    return {"topics": len(SECOND_TOPICS), "votes": 1}
