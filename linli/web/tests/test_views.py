"""Sign-in, the landing page per role, navigation and the friendly error pages."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from linli.core.roles import Role
from linli.testing import PASSWORD, Cast

pytestmark = pytest.mark.django_db


def stat(page: str, key: str) -> int:
    match = re.search(rf'stat-{key}">\s*<div class="stat-value">(\d+)</div>', page)
    assert match, f"no {key} count on the page"
    return int(match.group(1))


def test_sign_in_with_a_wrong_password_shows_an_error_in_chinese(cast: Cast) -> None:
    response = Client().post("/login/", {"username": "communityworker", "password": "not-the-password"})
    assert response.status_code == 200
    page = response.content.decode()
    assert 'role="alert"' in page
    assert "用户名" in page and "密码" in page


def test_sign_in_lands_on_the_home_page_with_my_scope(cast: Cast) -> None:
    client = Client()
    response = client.post("/login/", {"username": "communityworker", "password": PASSWORD}, follow=True)
    page = response.content.decode()
    assert response.redirect_chain[-1][0] == "/"
    assert "刘社工" in page and "社区工作者" in page
    assert "幸福社区" in page and "和平街道" in page  # my node and its chain
    assert stat(page, "grids") == 1
    assert stat(page, "buildings") == 1
    assert stat(page, "households") == 1
    assert stat(page, "residents") == 1
    assert stat(page, "party_members") == 0


def test_street_officer_sees_both_communities_in_the_counts(client_for) -> None:
    page = client_for("street_officer").get("/").content.decode()
    assert stat(page, "grids") == 2
    assert stat(page, "residents") == 2


def test_department_handler_home_names_the_department_and_no_territory(client_for) -> None:
    page = client_for("department_handler").get("/").content.decode()
    assert "区城管委" in page
    assert "部门承办人" in page
    assert "stat-residents" not in page


def test_navigation_marks_the_current_page_and_links_import_export(client_for) -> None:
    page = client_for("community_worker").get("/territory/map/").content.decode()
    assert re.search(
        r'<a href="/territory/map/" class="nav-map active" aria-current="page">网格地图</a>', page
    )
    assert 'href="/territory/tree/"' in page
    assert 'href="/territory/residents/"' in page
    assert "/admin/" not in page  # only Django-admin staff see the administration link
    assert "/admin/" in client_for("admin").get("/").content.decode()


def test_residents_get_a_friendly_403_page_with_their_own_navigation(client_for) -> None:
    response = client_for("resident").get("/territory/map/")
    assert response.status_code == 403
    page = response.content.decode()
    assert "此页面仅供社区工作人员使用" in page
    assert 'href="/territory/' not in page  # no staff navigation
    assert re.search(r'<a class="btn btn-primary" href="/">', page)  # back to the resident's home


def test_a_guest_at_the_root_gets_the_public_front_page() -> None:
    response = Client().get("/")
    assert response.status_code == 200
    page = response.content.decode()
    for href in ("/appeals/new/", "/appeals/track/", "/accounts/resident/login/", "/login/", "/public/"):
        assert f'href="{href}"' in page, href
    assert 'name="password"' not in page  # the staff login form is one link away, not the front page


def test_a_guest_at_the_root_finds_member_registration_and_the_community_s_pages(cast: Cast) -> None:
    """A first-time resident or party member on the front page finds 在职党员双报到, the places near them, the
    volunteer activities, small wishes, the residents' hall and the meetings made public; each link leads to its
    page, or to the resident sign-in by phone that comes back to it, never to the staff's password sign-in."""
    client = Client()
    page = client.get("/").content.decode()
    links = re.findall(r'<a class="front-action[^"]*" href="([^"]+)"', page)
    for href in (
        "/party/join/",
        "/places/near/",
        "/volunteers/p/",
        "/cobuild/wishes/",
        "/accounts/resident/login/?next=/deliberation/hall/",
        "/deliberation/public/",
    ):
        assert href in links, href
    assert "在职党员双报到" in page and "居民议事厅" in page and "微心愿" in page
    for href in links:
        response = client.get(href, follow=True)
        assert response.status_code == 200, href
        assert not response.request["PATH_INFO"].startswith("/login/"), href


def test_a_resident_at_the_root_gets_their_home_with_their_appeals_and_household(cast: Cast) -> None:
    from linli.appeals.tests.factories import submit

    submit(cast, title="楼道灯坏了")
    client = Client()
    client.force_login(cast.resident)
    response = client.get("/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "楼道灯坏了" in page and "已派单" in page
    assert 'href="/appeals/new/"' in page and 'href="/appeals/mine/"' in page
    assert 'href="/appeals/track/"' in page and 'href="/public/"' in page
    assert 'href="/places/near/"' in page and "15 分钟步行圈" in page
    assert "尚未绑定住户" in page and 'href="/accounts/resident/me/"' in page
    assert 'class="nav-home active"' in page  # the resident's own navigation, home marked


def test_a_resident_finds_their_unread_messages_on_the_home_and_in_the_menu(cast: Cast) -> None:
    """What was said of their appeals and orders (请评价, 已派单) waits in the inbox, which was only a small link on
    their appeals' page: the home says how many are unread and the menu has 消息."""
    from linli.core.outbox import notification_create, notifications_mark_read

    client = Client()
    client.force_login(cast.resident)
    page = client.get("/").content.decode()
    assert '<a href="/appeals/inbox/" class="nav-inbox">消息</a>' in page
    assert 'id="home-inbox"' not in page  # nothing unread, nothing said
    for title in ("您的订单已办结，请评价", "已派至街道办理"):
        notification_create(user=cast.resident, title=title, url="/appeals/mine/")
    page = client.get("/").content.decode()
    assert re.search(r'id="home-inbox" href="/appeals/inbox/">\s*未读消息：2 条\s*</a>', page)
    assert client.get("/appeals/inbox/").status_code == 200
    notifications_mark_read(actor=cast.resident)
    assert 'id="home-inbox"' not in client.get("/").content.decode()


def test_a_resident_with_a_household_to_claim_is_led_to_it_before_the_services(cast: Cast) -> None:
    """A resident tied to no household, with no claim waiting, finds the claim first (it was under nine tiles and
    their appeals); once a claim waits, and once verified, their household goes back below their appeals."""
    from linli.accounts import services

    client = Client()
    client.force_login(cast.resident)

    def order() -> tuple[int, int, int]:
        page = client.get("/").content.decode()
        return page.index("my-household"), page.index("front-actions"), page.index("my-appeals")

    household, services_at, appeals = order()
    assert household < services_at < appeals
    assert (
        'class="btn btn-primary" href="/accounts/resident/me/">认领我的住户'
        in client.get("/").content.decode()
    )
    claim = services.household_claim(actor=cast.resident, household=cast.household, claimant_name="张三")
    household, services_at, appeals = order()
    assert services_at < appeals < household
    services.household_claim_reject(actor=cast.community_worker, claim=claim, reason="门牌不符")
    household, services_at, appeals = order()
    assert household < services_at  # rejected: claiming again is the thing to do
    assert "门牌不符" in client.get("/").content.decode()
    claim = services.household_claim(actor=cast.resident, household=cast.household, claimant_name="张三")
    services.household_claim_verify(actor=cast.community_worker, claim=claim)
    household, services_at, appeals = order()
    assert services_at < appeals < household


def test_a_resident_home_lists_only_their_own_appeals_in_few_queries(
    cast: Cast, django_assert_max_num_queries
) -> None:
    from linli.appeals.tests.factories import submit

    for n in range(7):
        submit(cast, title=f"问题{n}")
    submit(cast, actor=None, contact_name="李四", contact_phone="13900001111", title="别人的问题")
    client = Client()
    client.force_login(cast.resident)
    client.get("/")  # warm the caches a first request fills
    with django_assert_max_num_queries(12):
        page = client.get("/").content.decode()
    assert page.count('href="/appeals/track/') == 5 + 1  # five appeals and the "check progress" link
    assert "别人的问题" not in page


def test_unknown_pages_get_the_friendly_404_page(client_for) -> None:
    response = client_for("community_worker").get("/territory/grids/424242/")
    assert response.status_code == 404
    assert "页面不存在" in response.content.decode()


def test_sign_out_needs_a_post_and_ends_the_session(client_for) -> None:
    client = client_for("community_worker")
    # Opened by itself, the address asks first (it said 此地址用于提交表单, a form to send from another page).
    asked = client.get("/logout/")
    assert asked.status_code == 200
    page = asked.content.decode()
    assert "确定退出登录？" in page and "您当前登录的账号：刘社工" in page
    assert re.search(
        r'<form method="post" action="/logout/">.*?<button type="submit"[^>]*>退出登录</button>', page, re.S
    )
    assert "刘社工" in client.get("/").content.decode()  # still signed in
    assert client.post("/logout/").status_code == 302
    assert client.get("/territory/map/").status_code == 302  # to the login page
    assert "刘社工" not in client.get("/").content.decode()  # the public front page
    assert client.get("/logout/")["Location"] == "/login/"  # signed out already


def test_pages_carry_a_content_security_policy_without_inline_scripts(client_for, cast: Cast) -> None:
    client = client_for("community_worker")
    for url in ["/", "/territory/tree/", "/territory/map/", f"/territory/grids/{cast.grid.pk}/"]:
        response = client.get(url)
        assert "script-src 'self'" in response["Content-Security-Policy"]
        scripts = re.findall(r"<script([^>]*)>", response.content.decode())
        assert all("src=" in attrs or "application/json" in attrs for attrs in scripts), url


def test_repeated_failed_sign_ins_lock_the_account_with_a_clear_page(cast: Cast, settings) -> None:
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/login/", {"username": "communityworker", "password": "wrong-password-0"})
    response = client.post("/login/", {"username": "communityworker", "password": PASSWORD})
    assert response.status_code in (403, 429)
    assert "登录失败次数过多" in response.content.decode()
    assert client.get("/territory/map/").status_code == 302  # still not signed in


def test_grid_worker_home_links_the_grids_they_look_after(client_for, cast: Cast) -> None:
    page = client_for("grid_worker").get("/").content.decode()
    assert "我负责的网格" in page
    assert f'href="/territory/grids/{cast.grid.pk}/"' in page
    assert "我负责的网格" not in client_for("community_worker").get("/").content.decode()


def test_department_handler_navigation_leaves_out_the_territory_pages(client_for) -> None:
    page = client_for("department_handler").get("/").content.decode()
    assert 'href="/territory/map/"' not in page
    assert 'href="/territory/residents/"' not in page


def test_the_403_page_sends_a_resident_to_the_resident_services(client_for) -> None:
    page = client_for("resident").get("/territory/map/").content.decode()
    assert 'href="/accounts/resident/me/"' in page
    assert "前往居民服务" in page


def test_the_staff_sign_in_page_points_residents_to_their_own_sign_in(db: None) -> None:
    page = Client().get("/login/").content.decode()
    assert 'href="/accounts/resident/login/"' in page


def test_the_home_names_household_claims_as_the_claims_page_does(client_for, cast: Cast) -> None:
    """住户认领 on the to-do, the quick link and the page, not 住户认证 or 户籍 (a household registration, which a
    claim is not)."""
    from linli.accounts import services

    services.household_claim(actor=cast.resident, household=cast.household, claimant_name="张三")
    page = client_for("community_worker").get("/").content.decode()
    todo = re.search(r'data-todo="accounts.claims">(.*?)</a>', page, re.S)
    assert todo and "待核验的住户认领" in todo.group(1)
    tile = re.search(r'data-tile="verifications">(.*?)</a>', page, re.S)
    assert tile and "住户认领核验" in tile.group(1) and "居民认领住户，等待您核验" in tile.group(1)
    assert "户籍" not in page and "认证" not in page


def test_the_home_names_what_waits_for_each_person_and_leads_to_it(client_for, cast: Cast) -> None:
    from linli.appeals.tests.factories import submit

    assert "暂无待办事项" in client_for("grid_worker").get("/").content.decode()
    submit(cast, title="楼道灯坏了")  # routed to the grid worker
    page = client_for("grid_worker").get("/").content.decode()
    tile = re.search(
        r'<a class="stat stat-todo[^"]*" href="([^"]+)" data-todo="appeals.queue">(.*?)</a>', page, re.S
    )
    assert tile, "no appeals tile on the grid worker's home"
    assert tile.group(1) == "/appeals/workbench/"
    assert '<div class="stat-value">1</div>' in tile.group(2) and "本单位待办诉求" in tile.group(2)
    assert "暂无待办事项" not in page
    # A department handler, who owes nothing of it, is not told of it.
    assert 'data-todo="appeals.queue"' not in client_for("department_handler").get("/").content.decode()


def test_every_app_that_hands_out_work_names_it_on_the_home() -> None:
    from linli.core import todo

    names = {t.name for t in todo.registered()}
    assert {
        "appeals.queue",
        "appeals.supervise",
        "sensors.alarms",
        "care.visits",
        "accounts.claims",
        "party.registrations",
        "cobuild.orders",
        "volunteers.redemptions",
        "deliberation.filings",
    } <= names


def test_an_unacknowledged_fire_alarm_comes_first_on_the_home_in_red(client_for, cast: Cast) -> None:
    from linli.core import todo

    alarms = next(t for t in todo.registered() if t.name == "sensors.alarms")
    assert alarms.urgent and alarms.rank == min(t.rank for t in todo.registered())


def test_a_partner_units_contact_is_led_from_the_home_to_its_pairings(cast: Cast) -> None:
    """A partner unit (共建单位) signs in as a unit's handler: its home says what it sees and leads to its own
    pairings (party's partners page), which a department's handler is not offered."""
    from linli.territory import services as territory
    from linli.testing import make_user, signed_in

    school = territory.organisation_create(
        actor=None, kind="partner_unit", name="第九十四中学", code="P-94", org_node=cast.district
    )
    contact = make_user("school", Role.DEPARTMENT_HANDLER, org=school)
    page = signed_in(contact).get("/").content.decode()
    assert 'id="partner-pairings"' in page
    assert "/party/partners/" in page
    assert "共建单位" in page
    # Its badge says what it is, not the department's handler its account's role is recorded as.
    assert '<span class="badge badge-role">共建单位</span>' in page and "部门承办人" not in page
    department = signed_in(cast.department_handler).get("/").content.decode()
    assert 'id="partner-pairings"' not in department
    assert '<span class="badge badge-role">部门承办人</span>' in department
