"""The pages as people use them: a resident registers, signs up (and reads why a second sign-up is refused),
checks in at the place, has hours confirmed and spends them; staff pages, scope and query counts."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.urls import reverse

from linli.accounts.models import User
from linli.core.roles import Role
from linli.core.todo import waiting_for
from linli.testing import Cast
from linli.volunteers import services
from linli.volunteers.models import Signup, Volunteer

from .conftest import LAT, LNG, World, at, funded, make_activity, stocked, ticked

pytestmark = pytest.mark.django_db


def test_a_resident_registers_as_a_volunteer(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for("resident")
    page = client.get(reverse("volunteers:home"))
    assert "成为志愿者" in page.content.decode()
    response = client.post(
        reverse("volunteers:home"),
        {
            "community": cast.community.pk,
            "name": "张三",
            "phone": "",
            "skills": "理发",
            "certificates": ["first_aid"],
        },
    )
    assert response.status_code == 302
    volunteer = Volunteer.objects.get(account=cast.resident)
    assert volunteer.certificates == ["first_aid"] and volunteer.bank_account.balance == 0


def test_registration_errors_keep_what_was_typed(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    response = client_for("resident").post(reverse("volunteers:home"), {"name": "张三", "skills": "理发"})
    body = response.content.decode()
    assert response.status_code == 422 and 'role="alert"' in body and "理发" in body
    assert not Volunteer.objects.exists()


def test_sign_up_and_see_why_an_overlapping_one_is_refused(world: World, client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for("resident")
    page = client.get(reverse("volunteers:activity", args=[world.activity.pk])).content.decode()
    assert "该岗位需要您尚未登记的证书" in page  # the medic role, before trying
    response = client.post(reverse("volunteers:signup", args=[world.steward.pk]), follow=True)
    assert "报名成功：引导员" in response.content.decode()
    # the role one holds reads as held, not as a refusal in red
    held = response.content.decode().split("引导员</strong>")[1].split("</li>")[0]
    assert 'class="vo-held"' in held and "vo-refusal" not in held and "您已报名该岗位" in held
    other = make_activity(world.cast, title="敬老院陪伴", starts=at(2, 10), roles=[("陪伴员", 5, "")])
    role = other.shifts.get().roles.get()
    page = client.get(reverse("volunteers:activity", args=[other.pk])).content.decode()
    assert 'data-reason="overlap"' in page and "您已报名同一时间的其他班次" in page
    response = client.post(reverse("volunteers:signup", args=[role.pk]), follow=True)
    assert "您已报名同一时间的其他班次" in response.content.decode()
    assert Signup.objects.filter(volunteer=world.me).count() == 1


def test_check_in_is_offered_from_half_an_hour_before_the_shift(world: World, client_for) -> None:  # type: ignore[no-untyped-def]
    """A volunteer signed up days ahead saw 签到 on their sign-ups and 在此签到 on the activity's code page, which
    then refused (“no shift to check in or out of now”); now both say when check-in opens."""
    services.signup_create(actor=world.cast.resident, volunteer=world.me, role=world.steward)
    url = reverse("volunteers:check_in", args=[world.activity.token])
    opens = f"{at(2, 9) - dt.timedelta(minutes=30):%m-%d %H:%M} 起可签到"
    resident = client_for("resident")
    mine = resident.get(reverse("volunteers:my_activities")).content.decode()
    assert f'href="{url}"' not in mine and opens in mine
    page = resident.get(url).content.decode()
    assert "在此签到" not in page and opens in page
    with time_machine.travel(at(2, 8) + dt.timedelta(minutes=40)):
        resident = client_for("resident")
        mine = resident.get(reverse("volunteers:my_activities")).content.decode()
        assert f'href="{url}"' in mine and opens not in mine
        assert "在此签到" in resident.get(url).content.decode()


def test_check_in_confirm_and_spend(world: World, client_for) -> None:  # type: ignore[no-untyped-def]
    resident = client_for("resident")
    resident.post(reverse("volunteers:signup", args=[world.steward.pk]))
    url = reverse("volunteers:check_in", args=[world.activity.token])
    with time_machine.travel(at(2, 9)):
        resident = client_for("resident")  # signed in on the day (a resident's session is short)
        far = resident.post(url, {"step": "in", "lng": LNG + 0.02, "lat": LAT}, follow=True)
        assert "米内签到" in far.content.decode()
        resident.post(url, {"step": "in", "lng": LNG, "lat": LAT})
    with time_machine.travel(at(2, 11)):
        resident = client_for("resident")
        resident.post(url, {"step": "out", "lng": LNG, "lat": LAT})
        staff = client_for("community_worker")
        page = staff.get(reverse("volunteers:staff_activity", args=[world.activity.pk])).content.decode()
        assert "确认时长" in page and 'value="2"' in page
        signup = Signup.objects.get(volunteer=world.me)
        staff.post(reverse("volunteers:staff_signup_confirm", args=[signup.pk]), {"hours": "2"})
    world.me.bank_account.refresh_from_db()
    assert world.me.bank_account.balance == 2
    resident = client_for("resident")
    ledger = resident.get(reverse("volunteers:my_ledger")).content.decode()
    assert "+2.00" in ledger and "社区环境整治" in ledger
    bank = services.community_bank(world.cast.community)
    response = resident.post(
        reverse("volunteers:spend"),
        {
            "payee_pick": bank.pk,
            "hours": "5",
            "category": "elder_care",
            "note": "为母亲预约陪护",
            "balance": "2",
        },
    )
    assert "低于下限" in response.content.decode() and "为母亲预约陪护" in response.content.decode()
    resident.post(
        reverse("volunteers:spend"),
        {
            "payee_pick": bank.pk,
            "hours": "1.5",
            "category": "elder_care",
            "note": "为母亲预约陪护",
            "balance": "2",
        },
    )
    world.me.bank_account.refresh_from_db()
    assert world.me.bank_account.balance == 0.5


def test_staff_pages_are_for_staff_and_scoped(world: World, client_for) -> None:  # type: ignore[no-untyped-def]
    assert client_for("resident").get(reverse("volunteers:staff_activities")).status_code == 403
    outsider = client_for("outsider")
    assert outsider.get(reverse("volunteers:staff_activity", args=[world.activity.pk])).status_code == 404
    assert "社区环境整治" not in outsider.get(reverse("volunteers:staff_activities")).content.decode()
    staff = client_for("community_worker")
    for name in ("staff_activities", "staff_volunteers", "staff_teams", "staff_bank", "staff_activity_new"):
        assert staff.get(reverse(f"volunteers:{name}")).status_code == 200, name
    assert (
        staff.get(reverse("volunteers:staff_activity_qr", args=[world.activity.pk]))["Content-Type"]
        == "image/png"
    )


def test_staff_creates_and_opens_an_activity(world: World, client_for) -> None:  # type: ignore[no-untyped-def]
    staff = client_for("community_worker")
    start = at(4)
    data = {
        "community": world.cast.community.pk,
        "team": world.team.pk,
        "title": "义务理发",
        "place": "社区活动室",
        "lng": LNG,
        "lat": LAT,
        "check_in_radius": 150,
        "signup_opens_at": at(0, 0).strftime("%Y-%m-%dT%H:%M"),
        "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": (start + dt.timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M"),
        "role_1": "理发师",
        "capacity_1": 3,
        "role_2": "引导员",
        "capacity_2": 2,
    }
    response = staff.post(reverse("volunteers:staff_activity_new"), data)
    assert response.status_code == 302
    activity = world.activity.__class__.objects.get(title="义务理发")
    assert activity.state == "draft" and activity.shifts.get().roles.count() == 2
    staff.post(reverse("volunteers:staff_activity_state", args=[activity.pk]), {"to": "open"})
    activity.refresh_from_db()
    assert activity.state == "open"
    # A bad shift comes back with the form and nothing lost.
    data.update(title="错误的班次", ends_at=data["starts_at"])
    response = staff.post(reverse("volunteers:staff_activity_new"), data)
    assert response.status_code == 422 and "错误的班次" in response.content.decode()


def test_an_activity_whose_shift_is_over_is_refused_on_the_page(world: World, client_for) -> None:  # type: ignore[no-untyped-def]
    """Last year typed for this year (2025-12-12 for 2026-12-12) made a draft nobody could ever sign up for;
    now the form comes back saying to check the date, with what was typed."""
    staff = client_for("community_worker")
    start = at(4) - dt.timedelta(days=365)
    data = {
        "community": world.cast.community.pk,
        "title": "冬季送温暖",
        "place": "社区活动室",
        "lng": LNG,
        "lat": LAT,
        "check_in_radius": 150,
        "signup_opens_at": (start - dt.timedelta(days=3)).strftime("%Y-%m-%dT%H:%M"),
        "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": (start + dt.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
        "role_1": "分发员",
        "capacity_1": 4,
    }
    response = staff.post(reverse("volunteers:staff_activity_new"), data)
    body = response.content.decode()
    assert response.status_code == 422
    assert "这个班次的结束时间已经过去" in body and "冬季送温暖" in body and "分发员" in body
    assert not world.activity.__class__.objects.filter(title="冬季送温暖").exists()


def test_many_to_one_transfer_page(world: World, client_for) -> None:  # type: ignore[no-untyped-def]
    staff = client_for("community_worker")
    bank = services.community_bank(world.cast.community)
    services.hours_transfer(
        actor=None,
        legs=[(bank, -6), (world.me.bank_account, 3), (world.other.bank_account, 3)],
        category="gift",
    )
    form = {
        "payers": "张三、王医生",
        "payee_pick": bank.pk,
        "hours": "1",
        "category": "elder_care",
        "note": "两位志愿者共同捐赠",
    }
    # Names typed show no balance: nothing is paid until the worker has seen them, ticked with their hours now.
    first = staff.post(reverse("volunteers:staff_bank"), form)
    html = first.content.decode()
    assert first.status_code == 422 and "还没有划转：已勾选张三、王医生" in html and "3.00 小时" in html
    assert ticked(html) == [f"{world.me.bank_account.pk}:3.00", f"{world.other.bank_account.pk}:3.00"]
    bank.refresh_from_db()
    assert bank.balance == -6
    response = staff.post(
        reverse("volunteers:staff_bank"), {**form, "payers": "", "payers_pick": ticked(html)}
    )
    assert response.status_code == 302
    bank.refresh_from_db()
    assert bank.balance == -4
    # the time bank speaks as the fund page does: a transfer is undone (撤销), not 冲正
    page = staff.get(reverse("volunteers:staff_account", args=[bank.pk])).content.decode()
    assert "撤销这笔" in page and "冲正" not in page


def test_list_pages_do_not_grow_queries_with_rows(
    world: World, client_for, django_assert_max_num_queries
) -> None:  # type: ignore[no-untyped-def]
    for i in range(6):
        make_activity(world.cast, title=f"活动{i}", starts=at(3 + i))
        services.volunteer_enrol(actor=None, community=world.cast.community, name=f"志愿者{i}")
    staff = client_for("community_worker")
    resident = client_for("resident")
    for client, name in (
        (staff, "staff_activities"),
        (staff, "staff_volunteers"),
        (staff, "staff_teams"),
        (staff, "staff_bank"),
        (resident, "activities"),
    ):
        with django_assert_max_num_queries(16):
            assert client.get(reverse(f"volunteers:{name}")).status_code == 200


def test_resident_home_links_to_volunteering(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    body = client_for("resident").get("/").content.decode()
    assert reverse("volunteers:home") in body


def test_a_staff_member_who_volunteers_uses_the_phone_pages(world: World, client) -> None:  # type: ignore[no-untyped-def]
    unit = User.objects.create_user(
        username="unitstaff", password="x-Pa55-word", role=Role.GRID_WORKER, org_node=world.cast.compound
    )
    services.volunteer_enrol(actor=None, community=world.cast.community, name="单位职工", account_id=unit.pk)
    client.force_login(unit)
    assert "社区环境整治" in client.get(reverse("volunteers:activities")).content.decode()


def test_a_worker_enrols_the_staff_of_a_partner_unit(world: World, client_for) -> None:  # type: ignore[no-untyped-def]
    from linli.territory import services as territory

    unit = territory.organisation_create(
        actor=None, kind="partner_unit", name="区供电公司", code="P-GD", org_node=world.cast.community
    )
    staff = client_for("community_worker")
    data = {
        "community": world.cast.community.pk,
        "name": "李电工",
        "kind": "unit_staff",
        "certificates": ["electrician"],
    }
    missing = staff.post(reverse("volunteers:staff_volunteer_new"), data)
    assert missing.status_code == 422 and "请填写该志愿者所在单位" in missing.content.decode()
    assert staff.post(reverse("volunteers:staff_volunteer_new"), {**data, "unit": unit.pk}).status_code == 302
    assert Volunteer.objects.get(name="李电工").unit == unit


def test_a_grid_worker_sees_the_volunteers_and_teams_of_their_community_read_only(
    world: World, client_for
) -> None:  # type: ignore[no-untyped-def]
    """A grid worker sits in a compound below the community the volunteers are registered with: they see its
    volunteers (phone masked) and teams, the ones they assign care visits to, but enrol and set up nothing."""
    services.volunteer_enrol(
        actor=world.cast.community_worker, community=world.cast.community, name="李热心", phone="13698765432"
    )
    services.volunteer_enrol(actor=None, community=world.cast.other_community, name="外社区志愿者")
    grid_worker = client_for("grid_worker")
    page = grid_worker.get(reverse("volunteers:staff_volunteers"))
    assert page.status_code == 200
    body = page.content.decode()
    assert "李热心" in body and "王医生" in body
    assert "外社区志愿者" not in body
    assert "136****5432" in body and "13698765432" not in body
    assert reverse("volunteers:staff_volunteer_new") not in body  # the community enrols, not the grid worker
    teams = grid_worker.get(reverse("volunteers:staff_teams")).content.decode()
    assert "幸福红色先锋队" in teams
    assert 'name="members"' not in teams  # no form to set up a team


@pytest.mark.parametrize(
    ("url", "tab"),
    [
        ("volunteers:home", "我的志愿服务"),
        ("volunteers:profile", "我的志愿服务"),
        ("volunteers:activities", "活动"),
        ("volunteers:my_activities", "我的报名"),
        ("volunteers:my_ledger", "时长与积分"),
        ("volunteers:spend", "时长与积分"),
        ("volunteers:store", "积分超市"),
    ],
)
def test_each_volunteering_page_marks_its_own_tab(world: World, client_for, url: str, tab: str) -> None:  # type: ignore[no-untyped-def]
    body = client_for("resident").get(reverse(url)).content.decode()
    nav = body[body.index('class="page-tabs"') : body.index("</nav>", body.index('class="page-tabs"'))]
    current = [part for part in nav.split("<a ")[1:] if 'aria-current="page"' in part]
    assert len(current) == 1 and f">{tab}</a>" in current[0]


def test_the_spend_form_says_whom_the_hours_are_paid_to_in_plain_words(world: World, client_for) -> None:  # type: ignore[no-untyped-def]
    funded(world, "2")
    form = client_for("resident").get(reverse("volunteers:spend")).content.decode()
    assert "付给" in form and "支付时长（小时）" in form and "转入" not in form


def test_opening_an_activitys_form_address_goes_to_the_activity_not_to_a_405(
    world: World, client_for
) -> None:  # type: ignore[no-untyped-def]
    """The addresses the activity page's forms post to (open or cancel, add a photo), opened by hand, from the
    address bar or a shared link, lead to the activity's page; other methods are still refused."""
    staff = client_for("community_worker")
    page = reverse("volunteers:staff_activity", args=[world.activity.pk])
    for name in ("staff_activity_state", "staff_photo_add"):
        url = reverse(f"volunteers:{name}", args=[world.activity.pk])
        opened = staff.get(url)
        assert opened.status_code == 302 and opened["Location"] == page
        assert staff.put(url).status_code == 405
    assert staff.get(page).status_code == 200


def test_an_activity_that_is_over_reads_so_and_is_no_longer_offered_for_cancelling(
    world: World, client_for
) -> None:  # type: ignore[no-untyped-def]
    """Past activities stayed "开放报名" with a cancel button (cancelling one told volunteers who had served); now
    they read 已结束, the service refuses to cancel them, and the past list goes by pages."""
    staff = client_for("community_worker")
    coming = staff.get(reverse("volunteers:staff_activity", args=[world.activity.pk])).content.decode()
    assert "开放报名" in coming and "取消活动" in coming
    with time_machine.travel(at(-50)):  # made then, all over now: the latest first
        made = [make_activity(world.cast, title=f"往期活动{n}", starts=at(1 + n)) for n in range(31)]
    page = reverse("volunteers:staff_activity", args=[made[-1].pk])
    over = staff.get(page).content.decode()
    assert "已结束" in over and "开放报名" not in over and "取消活动" not in over
    refused = staff.post(
        reverse("volunteers:staff_activity_state", args=[made[-1].pk]),
        {"to": "cancelled", "reason": "下雨"},
        HTTP_REFERER=page,
        follow=True,
    )
    assert "活动已经结束，不能再取消。" in refused.content.decode()
    made[-1].refresh_from_db()
    assert made[-1].state == "open"
    first = staff.get(reverse("volunteers:staff_activities")).content.decode()
    past = first[first.index('id="past"') :]
    assert "已结束" in past and "开放报名" not in past and "社区环境整治" not in past  # that one is coming up
    assert "?past=2" in past and "往期活动30" in past and "往期活动0<" not in past
    second = staff.get(reverse("volunteers:staff_activities") + "?past=2").content.decode()
    assert "往期活动0<" in second


def test_steps_that_cannot_be_undone_ask_first(world: World, client_for) -> None:  # type: ignore[no-untyped-def]
    staff = client_for("community_worker")
    page = staff.get(reverse("volunteers:staff_activity", args=[world.activity.pk])).content.decode()
    assert 'data-confirm="确定取消这项活动吗？' in page
    services.signup_create(actor=world.cast.resident, volunteer=world.me, role=world.steward)
    mine = client_for("resident").get(reverse("volunteers:my_activities")).content.decode()
    assert 'data-confirm="确定取消报名吗？' in mine
    stocked(world)
    shelf = staff.get(reverse("volunteers:staff_store")).content.decode()
    # Taking an item off the store says so in the store's word (it read 撤回, appeals' word for a withdrawal).
    assert 'data-confirm="确定将洗衣液从积分超市下架吗？' in shelf and ">下架</button>" in shelf


def test_a_worker_finds_a_volunteer_by_the_end_of_their_mobile_number(world: World, client_for) -> None:  # type: ignore[no-untyped-def]
    """A volunteer rings the office: the worker types the last digits of the number on the volunteers list, as
    they may when adding team members (the list searched only names and skills); the phone stays masked."""
    staff = client_for("community_worker")
    url = reverse("volunteers:staff_volunteers")
    found = staff.get(url, {"q": "5678"}).content.decode()
    assert "张三" in found and "138****5678" in found and "13812345678" not in found and "王医生" not in found
    assert "张三" in staff.get(url, {"q": "1234 5678"}).content.decode()
    assert "张三" not in staff.get(url, {"q": "678"}).content.decode()  # three digits say too little


def test_a_refused_sign_up_comes_back_to_the_activity(world: World, client_for) -> None:  # type: ignore[no-untyped-def]
    """A second tap on 报名 (or a page opened before the role filled up) was refused on the list of all activities,
    away from the activity the volunteer was reading; now the refusal is said on the activity's own page."""
    client = client_for("resident")
    page = reverse("volunteers:activity", args=[world.activity.pk])
    assert f'name="next" value="{page}"' in client.get(page).content.decode()
    client.post(reverse("volunteers:signup", args=[world.steward.pk]), {"next": page})
    again = client.post(reverse("volunteers:signup", args=[world.steward.pk]), {"next": page}, follow=True)
    assert again.redirect_chain == [(page, 302)]
    said = [str(m) for m in again.context["messages"]]
    assert said[-1] == "您已报名该岗位。"
    assert Signup.objects.filter(volunteer=world.me).count() == 1


def test_a_second_tap_on_cancel_says_the_sign_up_is_cancelled(world: World, client_for) -> None:  # type: ignore[no-untyped-def]
    """The second tap on 取消报名 (or the page reloaded) read “状态为‘已取消’的报名不能变为‘已取消’。”, the state
    machine's words; now it says the sign-up is cancelled, and it is cancelled (and audited) once."""
    from linli.core.models import AuditEntry

    made = services.signup_create(actor=world.cast.resident, volunteer=world.me, role=world.steward)
    client = client_for("resident")
    cancel = reverse("volunteers:signup_cancel", args=[made.pk])
    client.post(cancel, follow=True)
    again = client.post(cancel, follow=True)
    said = [str(m) for m in again.context["messages"]]
    assert said == ["已取消报名。"], said
    made.refresh_from_db()
    assert made.state == "cancelled"
    assert AuditEntry.objects.filter(action="volunteers.signup_cancel").count() == 1


def test_hours_waiting_for_the_organiser_are_on_the_staff_home_and_the_activities_list(
    world: World, client_for
) -> None:  # type: ignore[no-untyped-def]
    """A volunteer checked out and was told the organiser would confirm their hours, but nothing told the
    organiser: the activity sat among the past ones, its hours never paid. Now the staff's home names the hours to
    confirm (one who checked out; one still checked in after the shift ended, who forgot to check out) and the
    activities list names the activity at its top, linked to its roster."""
    services.signup_create(actor=world.cast.resident, volunteer=world.me, role=world.steward)
    services.signup_create(actor=world.cast.community_worker, volunteer=world.other, role=world.medic)
    scan = {"activity": world.activity, "lng": LNG, "lat": LAT}
    with time_machine.travel(at(2, 9)):
        services.signup_check_in(actor=world.cast.resident, volunteer=world.me, **scan)
        services.signup_check_in(actor=None, volunteer=world.other, **scan)
    with time_machine.travel(at(2, 10)):
        services.signup_check_out(actor=world.cast.resident, volunteer=world.me, **scan)
        # the one checked out waits at once; the one still checked in only once the shift has ended
        line = next(w for w in waiting_for(world.cast.community_worker) if w.name == "volunteers.hours")
        assert line.count == 1
    with time_machine.travel(at(2, 12)):
        line = next(w for w in waiting_for(world.cast.community_worker) if w.name == "volunteers.hours")
        assert line.count == 2 and line.href == reverse("volunteers:staff_activities")
        staff = client_for("community_worker")
        home = staff.get("/").content.decode()
        assert "待确认的志愿服务时长" in home
        page = staff.get(reverse("volunteers:staff_activities")).content.decode()
        roster = reverse("volunteers:staff_activity", args=[world.activity.pk]) + "#roster"
        assert f'href="{roster}"' in page and "2 人等待确认时长" in page
        assert all(w.name != "volunteers.hours" for w in waiting_for(world.cast.resident))
        services.signup_confirm_hours(
            actor=world.cast.community_worker, signup=Signup.objects.get(volunteer=world.me)
        )
        forgot = Signup.objects.get(volunteer=world.other)  # never checked out: the organiser says how long
        services.signup_confirm_hours(actor=world.cast.community_worker, signup=forgot, amount="1")
        assert not any(w.name == "volunteers.hours" for w in waiting_for(world.cast.community_worker))


def test_a_waiting_list_place_that_never_came_free_reads_so_once_the_shift_is_over(
    world: World, client_for
) -> None:  # type: ignore[no-untyped-def]
    """After the activity, a volunteer still on its waiting list read 候补中 among what they had done, as if a
    place might yet come free, and so did the organiser's roster: now both say 未轮到名额."""
    services.signup_create(actor=world.cast.community_worker, volunteer=world.other, role=world.medic)
    services.volunteer_update(
        actor=world.cast.resident, volunteer=world.me, skills="", certificates=["first_aid"], availability=""
    )
    world.me.refresh_from_db()
    services.signup_create(actor=world.cast.resident, volunteer=world.me, role=world.medic, wait=True)
    mine = client_for("resident").get(reverse("volunteers:my_activities")).content.decode()
    assert "候补中" in mine and "未轮到名额" not in mine  # before the shift a place may still come free
    with time_machine.travel(at(3, 9)):
        mine = client_for("resident").get(reverse("volunteers:my_activities")).content.decode()
        heading, past = mine.split('id="past"')[1].split("</h2>", 1)
        assert "未轮到名额" in past and "候补中" not in past
        assert "往期班次" in heading  # a wait that never came to a place is past, not 已完成
        roster = client_for("community_worker").get(
            reverse("volunteers:staff_activity", args=[world.activity.pk])
        )
        assert "未轮到名额" in roster.content.decode() and "候补中" not in roster.content.decode()


def test_refused_hours_come_back_to_the_roster_with_what_was_typed(world: World, client_for) -> None:  # type: ignore[no-untyped-def]
    """The organiser typed more hours than the shift lasted: the refusal sent them to the list of all activities,
    the hours typed lost; now it is said on the activity's own page, the hours typed back in that row's field."""
    services.signup_create(actor=world.cast.resident, volunteer=world.me, role=world.steward)
    with time_machine.travel(at(2, 9)):
        services.signup_check_in(
            actor=world.cast.resident, volunteer=world.me, activity=world.activity, lng=LNG, lat=LAT
        )
    signup = Signup.objects.get(volunteer=world.me)
    with time_machine.travel(at(2, 12)):
        staff = client_for("community_worker")
        page = reverse("volunteers:staff_activity", args=[world.activity.pk])
        roster = staff.get(page).content.decode()
        assert f'name="next" value="{page}#roster"' in roster
        refused = staff.post(
            reverse("volunteers:staff_signup_confirm", args=[signup.pk]),
            {"hours": "7", "next": f"{page}#roster"},
            follow=True,
        )
    assert refused.redirect_chain == [(f"{page}#roster", 302)]
    html = refused.content.decode()
    assert "最多 2 小时" in html and 'name="hours" inputmode="decimal" aria-label="时长" value="7"' in html
    signup.refresh_from_db()
    assert signup.state == "checked_in"


def _sent_twice(client, url: str, form: dict[str, object]) -> str:  # type: ignore[no-untyped-def]
    """The same payment form posted twice (a double tap, the page sent again): the first pays and goes on, the
    second is refused (422) saying it may have been sent twice; the refused page's text."""
    assert client.post(url, form).status_code == 302
    again = client.post(url, form)
    html: str = again.content.decode()
    assert again.status_code == 422 and "是否提交了两次" in html
    return html


def test_the_spend_form_sent_twice_pays_once(world: World, client_for) -> None:  # type: ignore[no-untyped-def]
    """使用时长 carries the balance the volunteer saw; the same form sent again finds it changed and pays nothing,
    saying why (the form comes back with what was typed); a form without the balance pays nothing either."""
    bank = services.community_bank(world.cast.community)
    funded(world, "3")
    resident = client_for("resident")
    page = resident.get(reverse("volunteers:spend")).content.decode()
    assert 'name="balance" value="3.00"' in page
    form = {
        "payee_pick": bank.pk,
        "hours": "1",
        "category": "elder_care",
        "note": "为母亲预约陪护",
        "balance": "3.00",
    }
    html = _sent_twice(resident, reverse("volunteers:spend"), form)
    assert "为母亲预约陪护" in html
    assert 'name="balance" value="2.00"' in html  # sent again from here, it pays
    world.me.bank_account.refresh_from_db()
    assert world.me.bank_account.balance == 2
    missing = resident.post(reverse("volunteers:spend"), {**form, "balance": ""})
    assert missing.status_code == 422
    world.me.bank_account.refresh_from_db()
    assert world.me.bank_account.balance == 2


def test_the_staff_transfer_sent_twice_pays_once(world: World, client_for) -> None:  # type: ignore[no-untyped-def]
    """The staff's 划转 carries the balance each payer's tick box showed; the same form sent again finds it changed
    and pays nothing, saying why, with what was typed kept and the balance now ticked to send again."""
    staff = client_for("community_worker")
    funded(world, "3")
    found = staff.get(reverse("volunteers:staff_bank_find"), {"field": "payers", "payers": "张三"})
    tick = re.search(r'name="payers_pick" value="([^"]+)"', found.content.decode())
    assert (
        tick and tick.group(1) == f"{world.me.bank_account.pk}:3.00" and "3.00 小时" in found.content.decode()
    )
    form = {
        "payers_pick": tick.group(1),
        "payee_pick": world.other.bank_account.pk,
        "hours": "1",
        "category": "gift",
        "note": "结对互助",
    }
    html = _sent_twice(staff, reverse("volunteers:staff_bank"), form)
    assert 'value="结对互助"' in html
    assert f'value="{world.me.bank_account.pk}:2.00" checked' in html  # sent again from here, it pays
    world.me.bank_account.refresh_from_db()
    world.other.bank_account.refresh_from_db()
    assert world.me.bank_account.balance == 2 and world.other.bank_account.balance == 1


def test_an_ended_activity_does_not_ask_for_its_code_to_be_put_up(world: World, client_for) -> None:  # type: ignore[no-untyped-def]
    """While the activity is to come its check-in code is shown to print and put up; once every shift has ended
    the card says the activity has ended instead (no code to print)."""
    staff = client_for("community_worker")
    url = reverse("volunteers:staff_activity", args=[world.activity.pk])
    qr = reverse("volunteers:staff_activity_qr", args=[world.activity.pk])
    page = staff.get(url).content.decode()
    assert "打印后张贴" in page and qr in page
    with time_machine.travel(at(3)):
        page = client_for("community_worker").get(url).content.decode()
    assert "打印后张贴" not in page and qr not in page and "活动已结束" in page


def test_the_activity_page_cancels_ones_own_sign_up(world: World, client_for) -> None:  # type: ignore[no-untyped-def]
    """After signing up, the activity page offers 取消报名 for the volunteer's own sign-up (asking first, as 我的报名
    does) and comes back to the activity; through the same service, so a started shift is not offered it."""
    resident = client_for("resident")
    url = reverse("volunteers:activity", args=[world.activity.pk])
    resident.post(reverse("volunteers:signup", args=[world.steward.pk]))
    signup = Signup.objects.get(volunteer=world.me)
    page = resident.get(url).content.decode()
    cancel = reverse("volunteers:signup_cancel", args=[signup.pk])
    assert f'action="{cancel}"' in page and "data-confirm=" in page and "取消报名" in page
    response = resident.post(cancel, {"next": url})
    assert response.status_code == 302 and response["Location"] == url
    signup.refresh_from_db()
    assert signup.state == "cancelled"
    assert f'action="{cancel}"' not in resident.get(url).content.decode()
    resident.post(reverse("volunteers:signup", args=[world.steward.pk]))
    again = Signup.objects.get(volunteer=world.me, state="confirmed")
    with time_machine.travel(at(2, 10)):  # the shift has started
        page = client_for("resident").get(url).content.decode()
    assert "引导员" in page and reverse("volunteers:signup_cancel", args=[again.pk]) not in page


def test_the_volunteers_list_names_the_community_only_for_a_reader_of_several(
    world: World, client_for
) -> None:  # type: ignore[no-untyped-def]
    """As the activities and accounts lists do: a worker of one community is not told its name on every row (a
    column of 幸福社区 beside each volunteer); the street's officer, who reads several communities, is."""
    services.volunteer_enrol(actor=None, community=world.cast.other_community, name="外社区志愿者")
    url = reverse("volunteers:staff_volunteers")
    mine = client_for("community_worker").get(url).content.decode()
    assert "<th>社区</th>" not in mine and "王医生" in mine
    street = client_for("street_officer").get(url).content.decode()
    assert "<th>社区</th>" in street and "外社区志愿者" in street


def test_the_home_says_the_skills_and_marks_my_teams(world: World, client_for) -> None:  # type: ignore[no-untyped-def]
    """A volunteer who had typed their skills but held no certificate read 技能与证书 · 尚未登记 on their home, as if
    nothing was registered; and among the community's teams nothing said which were theirs. The home now says the
    skills (and certificates), and marks the teams they are in (我在这支队) and the one they lead (我是队长)."""
    services.volunteer_update(
        actor=world.cast.community_worker,
        volunteer=world.me,
        skills="理发、维修",
        certificates=[],
        availability="",
        active=True,
    )
    services.team_create(actor=None, community=world.cast.community, name="幸福环保志愿队", colour="green")
    led = services.team_create(
        actor=None, community=world.cast.community, name="幸福助老服务队", colour="yellow", leader=world.me
    )
    home = client_for("resident").get(reverse("volunteers:home")).content.decode()
    skills = home.split("技能与证书", 1)[1].split("</a>", 1)[0]
    assert "理发、维修" in skills and "尚未登记" not in skills
    teams = home.split('id="teams"', 1)[1].split("</section>", 1)[0]
    rows = {name: row for row in teams.split("<li>")[1:] for name in TEAMS if name in row}
    assert "我在这支队" in rows["幸福红色先锋队"] and "我是队长" in rows[led.name]
    assert "我在这支队" not in rows["幸福环保志愿队"] and "我是队长" not in rows["幸福环保志愿队"]


TEAMS = ("幸福红色先锋队", "幸福环保志愿队", "幸福助老服务队")
