"""Visits, calls and services given by a volunteer or a party member of the community (assigned on the plan's page
or through the API, seen and recorded on their phone, their time credited in the time bank once), and reassessment
on a schedule (the responsible worker told once per due date, overdue plans listed)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from linli.accounts.models import User
from linli.care import rules, services
from linli.care.choices import ContactKind, ContactState, VisitorKind
from linli.care.models import CareContact, CarePlan
from linli.core.models import AuditEntry, Notification
from linli.party import services as party
from linli.territory import services as territory
from linli.testing import Cast, at, square
from linli.volunteers.models import BankAccount
from linli.volunteers.services.people import volunteer_enrol

HOME = {"lng": 116.4021, "lat": 39.9021}  # a few metres from the cast's building (116.402, 39.902)
FAR = {"lng": 116.43, "lat": 39.93}


@pytest.fixture
def member(cast: Cast) -> User:
    """A party member of the community's branch, who signs in with the mobile number the branch keeps."""
    committee = party.party_org_create(
        actor=None, kind="committee", name="和平街道党工委", org_node=cast.street
    )
    branch = party.party_org_create(
        actor=None, kind="branch", name="幸福社区党支部", org_node=cast.community, parent=committee
    )
    party.party_member_create(actor=None, name="吴党员", party_org=branch, phone="13700000002")
    return User.objects.create_user(
        username="member", password="x", role="resident", phone="13700000002", display_name="吴党员"
    )


def _phone(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _todays_visit(plan: CarePlan) -> CareContact:
    return plan.contacts.get(kind=ContactKind.VISIT, due_on=timezone.localdate())


def _balance(account: User) -> Decimal:
    return BankAccount.objects.get(volunteer__account=account).balance


def test_the_plan_page_offers_the_communitys_volunteers_and_members(
    cast: Cast, plan: CarePlan, volunteer: User, member: User, client_for: Any
) -> None:
    page = client_for("community_worker").get(f"/care/plans/{plan.pk}/").content.decode()
    assert "周志愿" in page and "吴党员" in page and "王网格" in page
    listed = client_for("community_worker").get(f"/api/care/plans/{plan.pk}/visitors").json()
    assert {(v["name"], v["kind"]) for v in listed} >= {("周志愿", "volunteer"), ("吴党员", "member")}


def test_a_grid_worker_is_offered_the_communitys_volunteers_and_members_and_assigns_one(
    cast: Cast, plan: CarePlan, volunteer: User, member: User, client_for: Any
) -> None:
    """The grid worker sits on their compound, the volunteers are registered with the community: the grid worker
    of the resident's grid is still offered them (and the community's party members) and may assign them."""
    worker = client_for("grid_worker")
    page = worker.get(f"/care/plans/{plan.pk}/").content.decode()
    assert "周志愿" in page and "吴党员" in page
    listed = worker.get(f"/api/care/plans/{plan.pk}/visitors").json()
    assert {(v["name"], v["kind"]) for v in listed} >= {("周志愿", "volunteer"), ("吴党员", "member")}
    assert worker.post(f"/care/plans/{plan.pk}/visitor/", {"caregiver": volunteer.pk}).status_code == 302
    plan.refresh_from_db()
    assert plan.caregiver == volunteer and plan.caregiver_kind == VisitorKind.VOLUNTEER
    assert _todays_visit(plan).assignee == volunteer
    answer = worker.post(
        f"/api/care/contacts/{_todays_visit(plan).pk}/assign",
        {"account_id": member.pk},
        content_type="application/json",
    )
    assert answer.status_code == 200 and answer.json()["assignee_kind"] == "member"


def test_a_grid_worker_is_not_offered_another_grids_volunteers_nor_another_communitys(
    cast: Cast, plan: CarePlan, volunteer: User, client_for: Any
) -> None:
    """Scoped still: a volunteer serving another grid of the community, or of another community, is refused."""
    from linli.volunteers.models import Volunteer

    other = territory.grid_create(
        actor=None, code="G003", name="阳光二网格", org_node=cast.compound, boundary=square(116.42, 39.90)
    )
    Volunteer.objects.get(account=volunteer).grids.set([other])
    elsewhere = User.objects.create_user(username="v3", password="x", role="resident", phone="13700000004")
    volunteer_enrol(actor=None, community=cast.other_community, name="外社区志愿者", account_id=elsewhere.pk)
    worker = client_for("grid_worker")
    names = {v["name"] for v in worker.get(f"/api/care/plans/{plan.pk}/visitors").json()}
    assert "周志愿" not in names and "外社区志愿者" not in names
    for account in (volunteer, elsewhere):
        answer = worker.put(
            f"/api/care/plans/{plan.pk}/visitor", {"account_id": account.pk}, content_type="application/json"
        )
        assert answer.status_code == 422


def test_a_resident_with_care_visits_to_do_finds_them_in_the_menu(
    cast: Cast, plan: CarePlan, volunteer: User, client_for: Any
) -> None:
    """A volunteer (a resident's account) assigned visits has a "关爱探访" entry in the resident menu leading to
    their day; a resident with none has no such entry, and neither has it once the visits are taken back."""
    entry = 'href="/care/" class="nav-care'
    assert entry not in _phone(volunteer).get("/").content.decode()
    services.care_plan_visitor_set(actor=cast.community_worker, plan=plan, visitor=volunteer)
    home = _phone(volunteer).get("/").content.decode()
    assert entry in home and "关爱探访" in home
    day = _phone(volunteer).get("/care/").content.decode()
    assert 'href="/care/" class="nav-care active" aria-current="page"' in day
    assert entry not in _phone(cast.resident).get("/").content.decode()
    services.care_plan_visitor_set(actor=cast.community_worker, plan=plan, visitor=None)
    assert entry not in _phone(volunteer).get("/").content.decode()
    staff = client_for("community_worker").get("/").content.decode()
    assert staff.count('class="nav-care') == 1  # staff keep their one "关爱" item


def test_a_volunteer_assigned_sees_records_and_earns_the_hours_once(
    cast: Cast, plan: CarePlan, volunteer: User, client_for: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        answer = client_for("community_worker").post(
            f"/care/plans/{plan.pk}/visitor/", {"caregiver": volunteer.pk}
        )
    assert answer.status_code == 302
    visit = _todays_visit(plan)
    assert visit.assignee == volunteer and visit.assignee_kind == VisitorKind.VOLUNTEER
    assert Notification.objects.filter(user=volunteer, title__contains="张三").exists()

    phone = _phone(volunteer)
    day = phone.get("/care/").content.decode()
    assert "张三" in day and f"/care/contacts/{visit.pk}/" in day
    assert "分钟" in phone.get(f"/care/contacts/{visit.pk}/").content.decode()  # asked how long it took
    # The position is checked: none, or far from the home, is refused with a message; the home is accepted.
    refused = phone.post(f"/care/contacts/{visit.pk}/", {"found": "老人精神很好，聊了半小时"})
    assert refused.status_code == 422 and "位置" in refused.content.decode()
    far = phone.post(f"/care/contacts/{visit.pk}/", {"found": "老人精神很好，聊了半小时", **FAR})
    assert far.status_code == 422
    done = phone.post(
        f"/care/contacts/{visit.pk}/", {"found": "老人精神很好，聊了半小时", "minutes": 45, **HOME}
    )
    assert done.status_code == 302
    visit.refresh_from_db()
    assert visit.state == ContactState.DONE and visit.done_by == volunteer and visit.minutes == 45
    assert AuditEntry.objects.filter(action="care_contact_read", actor=volunteer).exists()

    assert _balance(volunteer) == 0
    assert services.care_contact_hours_hand_over() == 1
    assert services.care_contact_hours_hand_over() == 0  # once
    assert _balance(volunteer) == Decimal("0.75")


def test_a_volunteers_refused_visit_earns_no_hours(cast: Cast, plan: CarePlan, volunteer: User) -> None:
    services.care_plan_visitor_set(actor=cast.community_worker, plan=plan, visitor=volunteer)
    visit = _todays_visit(plan)
    done = services.care_contact_record(
        actor=volunteer, contact=visit, found="老人隔着门说不需要人来", outcome="refused", minutes=20, **HOME
    )
    assert done.state == ContactState.DONE and done.outcome == "refused"
    # A refusal is no visit made: nothing goes to the time bank.
    assert services.care_contact_hours_hand_over() == 0
    assert _balance(volunteer) == 0


def test_a_party_member_assigned_through_the_api_records_on_the_phone(
    cast: Cast, plan: CarePlan, member: User, client_for: Any
) -> None:
    visit = _todays_visit(plan)
    answer = client_for("community_worker").post(
        f"/api/care/contacts/{visit.pk}/assign", {"account_id": member.pk}, content_type="application/json"
    )
    assert answer.status_code == 200 and answer.json()["assignee_kind"] == "member"
    phone = _phone(member)
    assert [c["id"] for c in phone.get("/api/care/today").json()["items"]] == [visit.pk]
    recorded = phone.post(
        f"/api/care/contacts/{visit.pk}/record",
        {"found": "血压正常，需要买药", "needs_raised": "代购降压药", **HOME},
        content_type="application/json",
    )
    assert recorded.status_code == 200 and recorded.json()["state"] == "done"
    # A member who is not a registered volunteer is handed over but paid nothing; never handed twice.
    assert services.care_contact_hours_hand_over() == 0
    visit.refresh_from_db()
    assert visit.served_at is not None


def test_someone_else_gets_404_and_the_visitor_no_more_once_reassigned(
    cast: Cast, plan: CarePlan, volunteer: User, member: User
) -> None:
    visit = _todays_visit(plan)
    services.care_contact_assign(actor=cast.community_worker, contact=visit, assignee=volunteer)
    assert _phone(member).get(f"/care/contacts/{visit.pk}/").status_code == 404
    stranger = _phone(cast.resident)
    assert stranger.get(f"/care/contacts/{visit.pk}/").status_code == 404
    assert stranger.get("/api/care/today").json() == {"count": 0, "items": []}
    answer = stranger.post(
        f"/api/care/contacts/{visit.pk}/record",
        {"found": "冒名记录一下", **HOME},
        content_type="application/json",
    )
    assert answer.status_code == 404
    assert _phone(volunteer).get(f"/care/plans/{plan.pk}/").status_code == 403  # staff pages stay staff's
    services.care_contact_assign(actor=cast.community_worker, contact=visit, assignee=cast.grid_worker)
    assert _phone(volunteer).get(f"/care/contacts/{visit.pk}/").status_code == 404
    # Nothing of the person's left to do: their plan is closed to the volunteer (no alert raised on it either).
    plan.contacts.filter(assignee=volunteer).update(assignee=cast.grid_worker, assignee_kind="worker")
    alert = _phone(volunteer).post(
        f"/api/care/plans/{plan.pk}/alert", {"kind": "fall"}, content_type="application/json"
    )
    assert alert.status_code == 404


def test_a_volunteer_of_another_community_cannot_be_assigned(
    cast: Cast, plan: CarePlan, client_for: Any
) -> None:
    elsewhere = User.objects.create_user(username="v2", password="x", role="resident", phone="13700000003")
    volunteer_enrol(actor=None, community=cast.other_community, name="外社区志愿者", account_id=elsewhere.pk)
    answer = client_for("community_worker").put(
        f"/api/care/plans/{plan.pk}/visitor", {"account_id": elsewhere.pk}, content_type="application/json"
    )
    assert answer.status_code == 422 and "志愿者" in answer.json()["message"]
    assert not plan.contacts.filter(assignee=elsewhere).exists()


def test_a_service_given_by_a_volunteer_is_marked_given_on_their_phone_and_paid_once(
    cast: Cast, plan: CarePlan, volunteer: User, client_for: Any
) -> None:
    booked = client_for("community_worker").post(
        f"/api/care/plans/{plan.pk}/services",
        {
            "kind": "cleaning",
            "provider": "志愿服务队",
            "scheduled_on": str(timezone.localdate()),
            "volunteer_id": volunteer.pk,
        },
        content_type="application/json",
    )
    assert booked.status_code == 201
    phone = _phone(volunteer)
    assert "志愿服务队" in phone.get("/care/").content.decode()
    assert [s["id"] for s in phone.get("/api/care/services/today").json()["items"]] == [booked.json()["id"]]
    assert _phone(cast.resident).get("/api/care/services/today").json() == {"count": 0, "items": []}
    given = phone.post(
        f"/care/services/{booked.json()['id']}/deliver/", {"hours": "2", "note": "打扫厨房和卫生间"}
    )
    assert given.status_code == 302
    assert services.care_service_hours_hand_over() == 1
    assert services.care_service_hours_hand_over() == 0
    assert _balance(volunteer) == Decimal("2.00")


# ---- reassessment on a schedule ------------------------------------------------------------------------------


def test_the_reassessment_reminder_fires_once_at_the_due_date_and_again_after_a_new_level(
    cast: Cast, client_for: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with time_machine.travel(at(2026, 1, 5, 9), tick=False):
        plan = services.care_plan_confirm(
            actor=cast.grid_worker, resident=cast.resident_record, level="red", reason="独居高龄，需每周探访"
        )
    due = dt.date(2026, 1, 5) + dt.timedelta(days=rules.reassess_after("red"))
    assert plan.reassess_on == due

    def run(day: dt.date) -> int:
        with (
            time_machine.travel(at(day.year, day.month, day.day, 2), tick=False),
            django_capture_on_commit_callbacks(execute=True),
        ):
            return services.care_reassessments_remind()

    assert run(due - dt.timedelta(days=1)) == 0
    assert not Notification.objects.filter(title__contains="复评").exists()
    assert run(due) == 1
    assert run(due) == 0 and run(due + dt.timedelta(days=3)) == 0  # once per due date
    told = Notification.objects.filter(title__contains="复评")
    assert list(told.values_list("user__username", flat=True)) == ["gridworker"]
    with time_machine.travel(at(due.year, due.month, due.day + 3, 9), tick=False):
        page = client_for("community_worker").get("/care/plans/").content.decode()
        assert "已超期" in page and "张三" in page
        api = client_for("community_worker").get("/api/care/reassessments").json()["items"]
        assert api[0]["plan_id"] == plan.pk and api[0]["overdue"] is True
        services.care_plan_confirm(
            actor=cast.grid_worker, resident=cast.resident_record, level="yellow", reason="已有子女同住照料"
        )
    plan.refresh_from_db()
    assert plan.reassess_on == due + dt.timedelta(days=3 + rules.reassess_after("yellow"))
    assert run(due + dt.timedelta(days=4)) == 0
    assert run(plan.reassess_on) == 1


def test_the_reassessment_interval_is_configurable(cast: Cast, settings: Any) -> None:
    settings.LINLI_CARE_REASSESS_DAYS = {"red": 30, "yellow": 60, "green": 120}
    plan = services.care_plan_confirm(
        actor=cast.grid_worker, resident=cast.resident_record, level="red", reason="独居高龄，需每周探访"
    )
    assert plan.reassess_on == timezone.localdate() + dt.timedelta(days=30)


def test_a_grid_worker_reassessing_keeps_the_volunteer_they_cannot_list(
    cast: Cast, plan: CarePlan, volunteer: User, client_for: Any
) -> None:
    services.care_plan_visitor_set(actor=cast.community_worker, plan=plan, visitor=volunteer)
    worker = client_for("grid_worker")
    form = worker.get(f"/care/residents/{cast.resident_record.pk}/assess/").content.decode()
    assert f'value="{volunteer.pk}" selected' in form
    answer = worker.post(
        f"/care/residents/{cast.resident_record.pk}/assess/",
        {"level": "yellow", "reason": "子女已搬来同住", "caregiver": volunteer.pk},
    )
    assert answer.status_code == 302
    plan.refresh_from_db()
    assert plan.caregiver == volunteer and plan.caregiver_kind == VisitorKind.VOLUNTEER
    upcoming = plan.contacts.filter(state=ContactState.DUE)
    assert upcoming.exists() and all(c.assignee_kind == VisitorKind.VOLUNTEER for c in upcoming)


# Instants on which the menu's check once failed: a few minutes before midnight, the visit due that day stayed
# with the volunteer once it was past (as care_plan_visitor_set says), so the menu still showed care to give.
MENU_ON = [None, "2026-12-31 23:58:30 +08:00"]


@pytest.mark.parametrize("on", MENU_ON, ids=["now", *(d[:16] for d in MENU_ON[1:] if d)])
def test_the_menu_asks_whether_a_resident_gives_care_once_in_a_while_not_on_every_page(
    on: str | None, db: None, request: pytest.FixtureRequest, django_assert_num_queries: Any
) -> None:
    """`gives_care` cost a query on every page a resident opened; it is kept in their session for a few minutes
    (their day at /care/ asks again), so the second page costs one query less than the first and nothing of care;
    whatever the hour."""
    if on is None:
        _menu_asks_once_in_a_while(request, django_assert_num_queries)
        return
    with time_machine.travel(on, tick=True):
        _menu_asks_once_in_a_while(request, django_assert_num_queries)


def _menu_asks_once_in_a_while(request: pytest.FixtureRequest, django_assert_num_queries: Any) -> None:
    cast: Cast = request.getfixturevalue("cast")
    plan: CarePlan = request.getfixturevalue("plan")
    volunteer: User = request.getfixturevalue("volunteer")
    services.care_plan_visitor_set(actor=cast.community_worker, plan=plan, visitor=volunteer)
    client = _phone(volunteer)
    with CaptureQueriesContext(connection) as first:
        assert 'class="nav-care' in client.get("/").content.decode()
    assert any("care_carecontact" in q["sql"] for q in first.captured_queries)
    with CaptureQueriesContext(connection) as second:
        assert 'class="nav-care' in client.get("/").content.decode()
    assert not any("care_" in q["sql"] for q in second.captured_queries)
    with django_assert_num_queries(len(second.captured_queries)):
        client.get("/")
    # Taken off the plan now (every visit of theirs, all from today on, goes back to the grid worker): the menu
    # keeps its answer for a while, then asks again.
    services.care_plan_visitor_set(actor=cast.community_worker, plan=plan, visitor=None)
    assert 'class="nav-care' in client.get("/").content.decode()
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=6)):
        assert 'class="nav-care' not in client.get("/").content.decode()


def test_a_volunteer_with_nothing_due_today_sees_the_visits_coming_up(
    cast: Cast, plan: CarePlan, volunteer: User, client_for: Any
) -> None:
    """An empty day does not read as nothing assigned: the next visits and calls assigned to them are listed."""
    client_for("community_worker").post(f"/care/plans/{plan.pk}/visitor/", {"caregiver": volunteer.pk})
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    plan.contacts.filter(assignee=volunteer, due_on__lte=timezone.localdate()).update(due_on=tomorrow)
    day = _phone(volunteer).get("/care/").content.decode()
    assert "目前没有分配给您的关爱探访" not in day and "今天没有要做的探访和电话问候" in day
    coming = day[day.index("接下来的探访和电话") :]
    assert "张三" in coming and f"定于 {tomorrow:%m-%d}" in coming
    assert "接下来的探访和电话" not in _phone(cast.resident).get("/care/").content.decode()


def test_a_visitor_not_signed_in_goes_to_the_phone_sign_in_and_the_api_asks_to_sign_in(db: None) -> None:
    """The visitor's pages are core's signed-in pages (a volunteer signs in by phone and comes back), the API's
    anyone-signed-in endpoints core's signed-in account: nothing of care's own copies of them."""
    anonymous = Client()
    for path in ("/care/", "/care/contacts/1/", "/care/services/1/deliver/"):
        answer = anonymous.get(path)
        assert answer.status_code == 302 and answer["Location"] == f"/accounts/resident/login/?next={path}"
    for method, path in (("get", "/api/care/today"), ("post", "/api/care/contacts/1/record")):
        refused = getattr(anonymous, method)(path, content_type="application/json")
        assert refused.status_code == 401 and refused.json()["code"] == "unauthenticated"
