"""The whole `linli demo` at scale 0.05, run once for this module's tests (every part, three months of appeals, as
`make run` builds it, only smaller): what the command prints, and what its parts made of the district. Each test
rolls back what it writes; the run is rolled back after the last one."""

from __future__ import annotations

import datetime as dt
import io
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command
from django.db.models import Sum
from django.test import RequestFactory, override_settings
from django.utils import timezone, translation

from linli.accounts.models import User
from linli.appeals.jobs import APPEAL_JOBS, PART_JOBS
from linli.appeals.models import Appeal
from linli.appeals.selectors import appeals_visible_to
from linli.care.choices import CaseOutcome, CaseState, ContactState
from linli.care.models import CareContact, CarePlan, MediationCase
from linli.cobuild.models import Order
from linli.cobuild.workflow import OPEN_STATES
from linli.core.models import OutboxMessage
from linli.core.roles import Role
from linli.core.snapshots import snapshots_forget
from linli.deliberation.models import Meeting
from linli.demo import appeals_deadlines, heartbeats, sensors
from linli.demo.territory.organisations import PROPERTY_STAFF_PHONE
from linli.demo.tests.care_day import a_day_of_care_is_due
from linli.party.models import BranchMeeting, BranchStarRating, MemberPointsEntry, PartyMember
from linli.sensors import services
from linli.sensors.models import Alarm, Device
from linli.territory.models import Grid, OrgNode, Resident, Venue, Visit
from linli.territory.selectors import grid_profile
from linli.testing.shared import refuse_unasked, shared_build
from linli.volunteers.models import Movement, PointsEntry, Signup, TeamJoinRequest, Volunteer, VolunteerTeam

# Built once for this module (shared_build): its tests stay on one xdist worker (`--dist loadgroup`).
pytestmark = pytest.mark.xdist_group("test_whole_demo")

# When the whole demo finished building (a check of "today" runs at that moment, not on the day after midnight).
BUILT_AT: list[dt.datetime] = []


def _run_the_demo_command(media: Path) -> str:
    """`linli demo --scale 0.05 --seed 3` (three months of appeals by default), its output."""
    out = io.StringIO()
    # An earlier test (or request) may leave English active in this thread; the command still speaks Chinese.
    with override_settings(MEDIA_ROOT=media), translation.override("en"):
        call_command("demo", "--scale", "0.05", "--seed", "3", stdout=out)
    BUILT_AT[:] = [timezone.now()]
    return out.getvalue()


@pytest.fixture(scope="module")
def whole_demo(
    django_db_setup: None, django_db_blocker: Any, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """What the demo command printed; its demo is in the database for this module's tests."""
    media = tmp_path_factory.mktemp("demo-media")
    yield from shared_build(django_db_blocker, lambda: _run_the_demo_command(media), "whole_demo")


@pytest.fixture
def printed(whole_demo: str, db: None) -> Iterator[str]:
    snapshots_forget()
    yield whole_demo
    snapshots_forget()


@pytest.fixture(autouse=True)
def _only_where_asked(request: pytest.FixtureRequest) -> None:
    refuse_unasked(request, "whole_demo")


def test_the_demo_command_prints_the_password_once_and_the_user_names_in_the_deployment_language(
    printed: str,
) -> None:
    text = printed
    lines = text.splitlines()
    # Each part says so as it starts (`make run` is otherwise silent for minutes), then what it made.
    assert lines[0] == "[1/13] 辖区：街道、网格、房屋、居民、党组织和工作人员……"
    assert lines[1].startswith("演示辖区已导入")
    assert [line.split()[0] for line in lines if line.startswith("[")] == [f"[{n}/13]" for n in range(1, 14)]
    first_bar = next(i for i, line in enumerate(lines) if line.startswith("===="))
    password = lines[first_bar + 2].strip()  # the bar, the heading, then the password
    assert len(password) >= 12 and text.count(password) == 1
    for name in ["leader", "street", "community1", "community2", "dept-cgw", "grid001", "grid010"]:
        assert name in text
    assert "网格员: grid001 至 grid010（共 10 个账号）" in text
    assert "物业人员: property1" in text and "19900000001" in text and "19900000020" in text
    assert "共建单位: partner1" in text
    assert authenticate(RequestFactory().post("/"), username="street", password=password) is not None
    # The command also generates appeal history over the demo district, in several states.
    assert "诉求历史" in text
    assert "后台任务首轮：" in text  # every registered job once at now, before the overview counts
    assert "一网统览：已统计诉求" in text  # the last part, so the overview is full before any worker runs
    assert "一网统览：已统计诉求 0 件" not in text  # the round left the counting to it
    assert Appeal.objects.count() > 50
    assert Appeal.objects.values("state").distinct().count() >= 5


def test_the_demo_command_refuses_a_database_that_already_has_an_org_tree(printed: str) -> None:
    before = Resident.objects.count()
    district = OrgNode.objects.get(kind="district")
    with pytest.raises(CommandError, match="只能导入空数据库"):
        call_command("demo", "--scale", "0.05", stdout=io.StringIO())
    assert Resident.objects.count() == before and OrgNode.objects.filter(pk=district.pk).exists()


def test_every_grid_has_venues_and_its_worker_logged_visits_this_month(printed: str) -> None:
    grids = Grid.objects.all()
    assert all(Venue.objects.filter(grid=g).count() >= 4 for g in grids)
    staffed = [g for g in grids if g.workers.exists()]
    assert staffed and all(Visit.objects.filter(grid=g).exists() for g in staffed)
    visit = Visit.objects.select_related("grid").first()
    assert visit is not None and visit.visitor in visit.grid.workers.all()
    # the grid log spans this month; care's visits (recorded into the same log) go back to the start of care's month
    care_visits = CareContact.objects.filter(visit__isnull=False).values("visit")
    patrol = Visit.objects.exclude(pk__in=care_visits)
    assert patrol.exists() and all((timezone.now() - v.visited_at).days < 30 for v in patrol)
    # Care's visits in the same log: each at its own moment in working hours, most follow-ups done one to four days
    # after, a few still open (mostly the last days').
    now = timezone.now()
    cared = list(Visit.objects.filter(pk__in=care_visits))
    moments = [timezone.localtime(v.visited_at) for v in cared]
    assert cared and all(9 <= m.hour < 18 for m in moments)
    assert len(set(moments)) > len(moments) / 2
    asked = [v for v in cared if v.follow_up]
    done = [v for v in asked if v.follow_up_done_at is not None]
    assert len(done) > len(asked) / 2
    for v in done:
        assert v.follow_up_done_at is not None
        assert dt.timedelta(hours=23) <= v.follow_up_done_at - v.visited_at < dt.timedelta(days=5)
    old = [v for v in asked if now - v.visited_at >= dt.timedelta(days=7)]
    assert old and sum(v.follow_up_done_at is None for v in old) < len(old) / 10
    assert any(v.follow_up_done_at is None for v in asked)
    profile = grid_profile(staffed[0])
    assert profile["venues"] >= 4 and profile["visits_30d"] >= 4


def test_the_demo_has_care_plans_a_month_of_visits_and_cases_in_every_state(printed: str) -> None:
    assert "关爱与调解" in printed
    assert CarePlan.objects.exists()
    assert set(CarePlan.objects.values_list("level", flat=True)) <= {"red", "yellow", "green"}
    states = set(CareContact.objects.values_list("state", flat=True))
    assert {ContactState.DONE, ContactState.ESCALATED, ContactState.DUE} <= states
    assert CareContact.objects.filter(state=ContactState.DONE, visit__isnull=False).exists()
    assert set(MediationCase.objects.values_list("state", flat=True)) == set(CaseState.values)
    assert set(MediationCase.objects.exclude(outcome="").values_list("outcome", flat=True)) == set(
        CaseOutcome.values
    )
    assert MediationCase.objects.filter(outcome="settled", amount_recovered__gt=0).exists()
    # The rest of care, in every state: services, alerts, children waiting, legal aid, the rota, talks.
    from linli.care.choices import EnrolmentState, LegalAidOutcome, LegalAidState, ServiceState
    from linli.care.models import (
        CareAlert,
        CareService,
        Enrolment,
        LegalAidApplication,
        LegalTalk,
        OnCallProfessional,
    )

    assert set(CareService.objects.values_list("state", flat=True)) == set(ServiceState.values)
    assert CareService.objects.filter(state="delivered", volunteer__isnull=False).exists()
    assert CareAlert.objects.exclude(appeal_number="").exists()
    assert CarePlan.objects.exclude(alert_token="").exists()
    assert set(Enrolment.objects.values_list("state", flat=True)) >= {
        EnrolmentState.ENROLLED,
        EnrolmentState.WAITING,
    }
    assert set(LegalAidApplication.objects.values_list("state", flat=True)) == set(LegalAidState.values)
    assert {LegalAidOutcome.WON, LegalAidOutcome.SETTLED} <= set(
        LegalAidApplication.objects.values_list("outcome", flat=True)
    )
    assert LegalTalk.objects.exists() and OnCallProfessional.objects.filter(kind="lawyer").exists()
    # A volunteer (a demo resident who signs in) visits someone in care from today, and was paid for a service.
    volunteered = CarePlan.objects.filter(caregiver_kind="volunteer")
    assert volunteered.exists()
    assert CareContact.objects.filter(plan__in=volunteered, assignee_kind="volunteer", state="due").exists()
    from linli.volunteers.models import BankAccount

    given = CareService.objects.filter(
        state="delivered", plan__in=volunteered, served_at__isnull=False
    ).first()
    assert (
        given is not None
        and BankAccount.objects.filter(volunteer__account=given.volunteer, balance__gt=0).exists()
    )


def test_the_demo_queues_texts_only_for_what_is_due_now(printed: str) -> None:
    """A built demo leaves in the outbox only the text messages a real deployment would send now: none for a
    meeting already held or invited days ago, a fire alarm long over or an alert of days ago (the appeals part
    drops those of its made-up residents). An administrator who then configures a real SMS gateway sends nothing
    stale."""
    now = timezone.now()
    texts = list(OutboxMessage.objects.filter(channel="sms"))
    # Nothing queued at a moment of the demo's past: a text queued days ago would have left days ago.
    assert [m.payload["text"] for m in texts if m.created_at < now - dt.timedelta(hours=3)] == []
    said = [m.payload["text"] for m in texts]
    # Meetings: only the coming one's invitation; those already held were told in person or by phone.
    for meeting in Meeting.objects.all():
        invitations = [t for t in said if f"邀请您参加{meeting.title}" in t]
        if meeting.scheduled_at > now and meeting.stage == "collect":
            assert meeting.participants.filter(invited_by="sms").exists()
        else:
            assert invitations == [], meeting.title
            assert not meeting.participants.filter(invited_by="sms").exists()
    # Fire alarms: texts only about the one sounding now, none about an alarm that is over.
    sounding = {
        f"sensors.alarm:{pk}" for pk in Alarm.objects.filter(state="active").values_list("pk", flat=True)
    }
    about = {m.payload["about"] for m in texts if "about" in m.payload}
    assert about <= sounding
    over = Alarm.objects.exclude(state="active")
    assert over.filter(device__grid__workers__phone__gt="").exists()  # whose workers were texted at the time
    # Care: the alerts raised in the last hours tell their emergency contacts now.
    assert any("一键呼叫" in t for t in said)


def test_demo_residents_and_the_property_staff_find_their_own_appeals(printed: str) -> None:
    """Each of residents 1–6 signs in to appeals of their own (one waiting, one being handled, one closed and
    rated), and the property company's staff account to work sent to its company."""
    for n in range(1, 7):
        resident = User.objects.get(username=f"resident{n}")
        mine = appeals_visible_to(resident).filter(resident=resident)
        assert sorted(mine.values_list("state", flat=True)) == ["closed", "dispatched", "in_progress"], n
        closed = mine.get(state="closed")
        assert closed.ratings.get().value == ("basically" if n == 4 else "satisfied")
        assert closed.events.filter(action="close").exists()  # by the worker, a day after the rating
    # Residents 7–12 have none of their own (they take part in the hall and volunteering instead).
    assert not appeals_visible_to(User.objects.get(username="resident7")).exists()

    staff = User.objects.get(username="property1")
    assert staff.role == "property_staff" and staff.phone == PROPERTY_STAFF_PHONE
    assert staff.organisation is not None and staff.organisation.kind == "property_company"
    theirs = appeals_visible_to(staff)
    assert sorted(theirs.values_list("state", flat=True)) == ["closed", "dispatched", "in_progress"]
    assert {a.unit_org_id for a in theirs} == {staff.organisation.pk}
    assert all(a.events.filter(action="return").exists() for a in theirs)  # the grid worker sent them on


def test_members_present_at_joint_meetings_earn_decision_points(printed: str) -> None:
    """The co-governance part names members of the convening branch among those present at its joint meetings, so
    party's decision-points job credits them once the meetings' results are delivered."""
    filed = Meeting.objects.get(title="停车难与充电桩联席会议")
    assert filed.convener is not None
    members = PartyMember.objects.filter(party_org=filed.convener)
    present = set(filed.participants.filter(signed_in_at__isnull=False).values_list("name", flat=True))
    named = present & set(members.values_list("name", flat=True))
    assert named
    credited = MemberPointsEntry.objects.filter(kind="decision")
    theirs = credited.filter(member__party_org=filed.convener)
    assert theirs.exists()
    assert set(theirs.values_list("member__name", flat=True)) <= named
    assert all(e.points > 0 and e.source for e in credited)
    # The second community's branch sits for its own meetings: only conveners' members are credited.
    conveners = Meeting.objects.exclude(convener=None).values_list("convener", flat=True)
    assert not credited.exclude(member__party_org__in=conveners).exists()


def test_an_agenda_item_s_appeal_speaks_of_it_and_came_before_it(printed: str) -> None:
    """Every meeting's first agenda item named the community's latest appeal (a noise complaint on the agenda of
    a meeting about parking, about roads, about a lift, and received after the meeting): an item names an appeal
    that speaks of its subject, received before the item, and each appeal sits on one agenda only."""
    from linli.deliberation.models import AgendaSource

    linked = list(AgendaSource.objects.filter(appeal__isnull=False).select_related("appeal", "item"))
    assert linked  # the community's appeals do speak of parking, charging, roads…
    for source in linked:
        appeal, item = source.appeal, source.item
        assert appeal is not None and appeal.created_at <= item.created_at, item.title
    subjects = {
        "小区停车位不足、夜间乱停": "停",
        "电动自行车充电难": "充电",
        "老旧小区加装电梯意愿摸底": "电梯",
    }
    for source in linked:
        if source.item.title in subjects:
            said = f"{source.appeal.title}{source.appeal.description}"  # type: ignore[union-attr]
            assert subjects[source.item.title] in said, (source.item.title, said)
    assert max(Counter(s.appeal_id for s in linked).values()) == 1


def test_the_volunteering_demo(printed: str) -> None:
    """Six colours of teams in each community, a season lived through the services, a ledger that sums to zero,
    branch ratings (assessed by the branch, then most approved by the street)."""
    resident = User.objects.get(
        username="resident1"
    )  # a verified claim on a household (the deliberation part)
    volunteer = Volunteer.objects.get(account=resident)  # the demo resident signs in as a volunteer
    assert volunteer.resident is not None and volunteer.name == resident.display_name
    communities = list(OrgNode.objects.filter(kind="community").order_by("pk"))
    for community in communities:
        colours = set(VolunteerTeam.objects.filter(community=community).values_list("colour", flat=True))
        assert colours == {"red", "white", "orange", "yellow", "green", "blue"}
    states = set(Signup.objects.values_list("state", flat=True))
    assert {"done", "no_show", "confirmed"} <= states
    assert Movement.objects.aggregate(t=Sum("amount"))["t"] == 0
    assert Movement.objects.filter(transfer__category="elder_care").exists()
    # Residents' requests to join a team wait for an answer, where the leader and the community see them.
    assert TeamJoinRequest.objects.filter(state="pending", volunteer__account__isnull=False).exists()
    assert PointsEntry.objects.exists() and BranchMeeting.objects.exists()
    ratings = BranchStarRating.objects.all()
    assert ratings.filter(state="approved").exists() and ratings.filter(stars__gte=1).exists()
    # 自查自评, then 街道审定: every approved rating carries the branch's self-assessment; this year's that wait for
    # the branch (with a secretary) were reminded by the street, and no reminder's text went to the made-up phones.
    approved = ratings.filter(state="approved")
    assert (
        not approved.filter(claimed_stars=None).exists() and not approved.filter(submitted_at=None).exists()
    )
    # Last year's assessment is over: none waits for the street a year on.
    assert not ratings.filter(year__lt=timezone.localdate().year, state="submitted").exists()
    reminded = ratings.filter(reminders=1, reminded_at__isnull=False)
    assert reminded.exists() and set(reminded.values_list("state", flat=True)) <= {"computed", "returned"}
    from linli.core.models import OutboxMessage

    texts = OutboxMessage.objects.filter(channel="sms").values_list("payload", flat=True)
    assert not [t for t in texts if "街道提醒" in str(t.get("text", ""))]
    # Photos of past activities: on the public page only those everyone pictured agreed to.
    from linli.volunteers.models import ActivityPhoto
    from linli.volunteers.selectors import public_photos

    per_community = len(communities)
    assert ActivityPhoto.objects.count() == 3 * per_community
    assert public_photos().count() == 2 * per_community
    assert set(public_photos().values_list("consent", flat=True)) == {True}
    # The points store: a few donated items with their points and stock, bought through the services.
    from linli.volunteers.models import Redemption, StoreItem

    community = communities[0]
    store = {i.name: i for i in StoreItem.objects.filter(community=community, active=True)}
    assert {"洗衣液（2 千克）", "理发券", "米面油礼包"} <= set(store)
    assert store["米面油礼包"].points == 200 and store["米面油礼包"].stock == 12
    assert Redemption.objects.filter(item__community=community, state="handed").exists()
    # The demo resident finds an activity still to come, open for sign-up, with places left, in their community.
    from linli.volunteers.models import ShiftRole
    from linli.volunteers.services import signup_refusal

    now = timezone.now()
    joinable = [
        role
        for role in ShiftRole.objects.filter(
            shift__activity__community=volunteer.community,
            shift__activity__state="open",
            shift__starts_at__gt=now,
        )
        if signup_refusal(volunteer, role) is None
    ]
    assert joinable
    # Nobody signed up in the future.
    assert not Signup.objects.filter(created_at__gt=now).exists()


def test_heartbeats_keep_the_demo_sensors_online_but_the_silent_few(
    printed: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """While `make run` serves the demo, its sensors keep sending heartbeats: the worker finds none of them silent
    but the few the demo left offline, nothing is sent for sensors the demo did not make or without the demo."""
    offline = set(Device.objects.filter(online=False).values_list("code", flat=True))
    assert len(offline) == 3
    venue = Venue.objects.filter(sensors__isnull=False).first()
    assert venue is not None
    theirs = services.device_register(  # a sensor the demo did not make
        actor=None, code="ACME-0001", kind="electrical", venue=venue
    )
    # Registered by a real user beside the demo's: a code of the demo's scheme, an installer of the demo's.
    community = next(n for n in venue.grid.org_node.chain() if n.kind == "community")
    # (the community's first worker: the whole demo also has its clerk, community1-clerk)
    worker = User.objects.filter(role=Role.COMMUNITY_WORKER, org_node=community).order_by("pk").first()
    assert worker is not None
    lookalike = services.device_register(
        actor=worker,
        code=f"EL-{venue.grid.code}-9999",
        kind="electrical",
        venue=venue,
        installer=sensors.INSTALLERS[0],
    )
    assert not theirs.is_demo and not lookalike.is_demo
    services.readings_ingest([{"device": d.code, "type": "heartbeat"} for d in (theirs, lookalike)])
    later = timezone.now() + dt.timedelta(hours=2)
    with time_machine.travel(later, tick=False):
        out = io.StringIO()
        call_command("demo_heartbeats", "--once", "--direct", stdout=out)
        demo_alive = Device.objects.filter(is_demo=True).count() - 3
        assert f"{demo_alive} heartbeats sent (ingest)" in out.getvalue()
        assert services.devices_mark_offline() == 2  # theirs: nobody sent their heartbeats
    real = {theirs.code, lookalike.code}
    assert set(Device.objects.filter(online=False).values_list("code", flat=True)) == offline | real
    assert Device.objects.filter(is_demo=True, online=True).count() == demo_alive
    # Without them, the gas and electrical monitors would be silent by then.
    with time_machine.travel(later + dt.timedelta(hours=2), tick=False):
        assert services.devices_mark_offline() > 0

    # Through the broker when one answers (the listener writes them), as heartbeats without a battery reading.
    published: list[dict[str, Any]] = []

    class Publisher:
        def __init__(self, url: str, *, client_id: str = "") -> None:
            self.url = url

        def start(self, *, wait: float = 10.0) -> bool:
            return True

        def publish_all(self, messages: list[dict[str, Any]]) -> int:
            published.extend(messages)
            return len(messages)

        def stop(self) -> None:
            pass

    monkeypatch.setattr(heartbeats.mqtt, "broker_reachable", lambda url: url == "mqtt://broker:1883")
    monkeypatch.setattr(heartbeats.mqtt, "Publisher", Publisher)
    seen = dict(Device.objects.values_list("code", "last_seen_at"))
    codes = heartbeats.alive_codes()
    assert real.isdisjoint(codes) and len(codes) == demo_alive
    assert heartbeats.beat(url="mqtt://broker:1883") == (len(codes), "broker")
    assert sorted(m["device"] for m in published) == codes and offline.isdisjoint(codes)
    assert {m["type"] for m in published} == {"heartbeat"} and not any("battery" in m for m in published)
    assert dict(Device.objects.values_list("code", "last_seen_at")) == seen
    assert heartbeats.beat(url="mqtt://elsewhere:1883")[1] == "ingest"  # no broker answers there

    # Nothing without the demo district.
    Resident.objects.update(is_demo=False)
    seen = dict(Device.objects.values_list("code", "last_seen_at"))
    out = io.StringIO()
    call_command("demo_heartbeats", "--once", stdout=out)
    assert "no demo sensors" in out.getvalue()
    assert dict(Device.objects.values_list("code", "last_seen_at")) == seen


def test_sensor_orders_past_their_deadline_are_marked_late_at_it(printed: str) -> None:
    """The demo runs the appeals' jobs on the work orders its later parts opened before the overview counts them: a
    fire-alarm order past its deadline is marked late at its deadline, as the worker would have marked it."""
    now = timezone.now()
    for name, job in {**APPEAL_JOBS, **PART_JOBS}.items():
        assert not job.rows().filter(job.due(now)).exists(), name  # type: ignore[attr-defined]
    late = Appeal.objects.filter(channel="sensor", breached_at__isnull=False)
    assert late.exists()
    for a in late:  # marked at its deadline, not now
        assert a.breached_at is not None and a.resolve_due_at is not None
        assert dt.timedelta(0) <= a.breached_at - a.resolve_due_at < dt.timedelta(hours=1)


def test_the_demo_leaves_no_service_order_past_its_deadline_unrecorded(printed: str) -> None:
    """The worker's first round at the demo's end records the breach of every co-building order left open past its
    deadline, as the worker would the moment the demo is served."""
    now = timezone.now()
    due = Order.objects.filter(state__in=OPEN_STATES, due_at__lte=now)
    assert not due.filter(breached_at__isnull=True).exists()


def test_a_volunteers_care_hours_are_handed_to_the_time_bank_the_day_they_were_given(printed: str) -> None:
    """The care services volunteers gave were handed over at the end of the build, so their time bank entries read
    today; the worker's job now passes the day each was given, as it would have."""
    from linli.care.models import CareService

    given = list(CareService.objects.filter(volunteer__isnull=False, served_at__isnull=False))
    assert given
    for service in given:
        assert service.served_at is not None
        assert (
            timezone.localdate(service.served_at) == service.scheduled_on < timezone.localdate(BUILT_AT[0])
        ), service.pk


def test_the_deadline_catch_up_finds_what_each_job_finds_in_two_queries(
    printed: str, django_assert_num_queries: Any
) -> None:
    """The catch-up asks the jobs over the appeals together, and those over the summoned parts together: a fortnight
    on, it finds exactly the rows (and due times) each job's own filter finds, in one query per kind of row."""
    later = timezone.now() + dt.timedelta(days=14)
    expected = {
        (at, name, row.pk)
        for name, job in appeals_deadlines.JOBS.items()
        for row in job.rows().filter(job.due(later))
        if (at := job.at(row)) is not None
    }
    with django_assert_num_queries(2):
        found = appeals_deadlines._due(later, set())
    assert {(at, name, row.pk) for at, name, row in found} == expected
    names = {name for _at, name, _pk in expected}
    assert len(names) >= 3  # several jobs find rows by then
    # What was tried at its time is not found again.
    first = min(names)
    tried = {(name, pk, at) for at, name, pk in expected if name == first}
    assert not any(name == first for _at, name, _row in appeals_deadlines._due(later, tried))


def test_each_grid_worker_finds_a_day_of_care_due_today_in_every_colour(printed: str) -> None:
    """The demo's 今日探访 of a grid worker on the day the demo is built (other days: test_care)."""
    with time_machine.travel(BUILT_AT[0], tick=False):
        a_day_of_care_is_due()
