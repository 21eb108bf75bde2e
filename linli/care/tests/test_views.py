"""The pages, as a grid worker on the phone and a community worker at the desk would use them."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import time_machine
from django.utils import timezone

from linli.care import services
from linli.care.choices import ContactKind, ContactState
from linli.care.models import CareContact, CarePlan, MediationCase
from linli.care.rules import age_on
from linli.core.models import AuditEntry
from linli.territory import services as territory
from linli.territory.choices import CareLevel
from linli.territory.models import Visit
from linli.testing import Cast, make_neighbour

from .conftest import open_case, wage_claim


def test_the_grid_worker_sees_todays_visits_and_records_one(cast: Cast, plan: CarePlan, client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for("grid_worker")
    page = client.get("/care/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "张三" in text and "记录探访" in text and "记录电话" in text
    visit = plan.contacts.get(kind=ContactKind.VISIT, due_on=timezone.localdate())
    form = client.get(f"/care/contacts/{visit.pk}/")
    assert "每周助浴一次" in form.content.decode()
    # The form carries the phone's position (filled in by locate.js), so the distance from the home is kept.
    assert 'name="lng"' in form.content.decode() and 'name="lat"' in form.content.decode()
    assert AuditEntry.objects.filter(action="care_contact_read", object_id=str(visit.pk)).count() == 1
    refused = client.post(f"/care/contacts/{visit.pk}/", {"found": "好", "needs_raised": "想要助浴"})
    assert refused.status_code == 422
    assert "想要助浴" in refused.content.decode()  # nothing typed is lost
    done = client.post(f"/care/contacts/{visit.pk}/", {"found": "精神不错，药按时吃", "needs_raised": ""})
    assert done.status_code == 302
    visit.refresh_from_db()
    assert visit.state == ContactState.DONE
    assert Visit.objects.filter(household=cast.household).count() == 1
    assert "今日已完成" in client.get("/care/").content.decode()


def test_a_phone_call_is_recorded_as_a_call_not_a_visit(plan: CarePlan, client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for("grid_worker")
    call = plan.contacts.filter(kind=ContactKind.CALL).first()
    assert call is not None
    text = client.get(f"/care/contacts/{call.pk}/").content.decode()
    assert "通话情况" in text and "走访情况" not in text
    # No position is taken for a call, and the page does not say one is.
    assert 'name="lng"' not in text and "data-locate" not in text and "定位" not in text
    done = client.post(f"/care/contacts/{call.pk}/", {"found": "电话里说一切都好"})
    assert done.status_code == 302
    call.refresh_from_db()
    assert call.state == ContactState.DONE


def test_an_outsider_gets_404_for_a_visit_and_a_plan(cast: Cast, plan: CarePlan, client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for("outsider")
    contact = plan.contacts.first()
    assert contact is not None
    assert client.get(f"/care/contacts/{contact.pk}/").status_code == 404
    assert client.get(f"/care/plans/{plan.pk}/").status_code == 404
    assert "张三" not in client.get("/care/plans/").content.decode()
    assert "张三" not in client.get("/care/").content.decode()


def test_a_resident_is_kept_out(cast: Cast, plan: CarePlan, client_for) -> None:  # type: ignore[no-untyped-def]
    assert client_for("resident").get("/care/plans/").status_code == 403


def test_the_plan_page_is_an_audited_read(cast: Cast, plan: CarePlan, client_for) -> None:  # type: ignore[no-untyped-def]
    page = client_for("community_worker").get(f"/care/plans/{plan.pk}/")
    assert page.status_code == 200
    assert "13900000009" in page.content.decode()
    assert AuditEntry.objects.filter(action="care_plan_read", actor_id=cast.community_worker.pk).count() == 1


def test_assessing_a_resident_from_the_page(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for("grid_worker")
    url = f"/care/residents/{cast.resident_record.pk}/assess/"
    page = client.get(url)
    assert page.status_code == 200 and "规则建议" in page.content.decode()
    refused = client.post(url, {"level": "red", "reason": ""})
    assert refused.status_code == 422
    # A bad emergency phone is refused on its field, in Chinese, with everything typed kept.
    typed = {
        "level": "red",
        "reason": "独居高龄，行动不便",
        "emergency_contact": "张小明",
        "emergency_phone": "1390",
    }
    bad_phone = client.post(url, typed)
    body = bad_phone.content.decode()
    assert bad_phone.status_code == 422 and "请输入11位手机号码" in body
    assert 'value="张小明"' in body and 'value="1390"' in body and "独居高龄，行动不便" in body
    made = client.post(url, {"level": "red", "reason": "独居高龄，行动不便", "ill": "on"})
    assert made.status_code == 302
    plan = CarePlan.objects.get(resident=cast.resident_record)
    assert plan.level == "red" and plan.proposed_level == "red"  # 76, alone, ill: 1 + 2 + 1


def test_a_label_on_the_assess_page_ends_in_the_colon_of_its_language(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    """On a Chinese page a label ends in the full-width '：'; the English page keeps ': '."""
    client = client_for("grid_worker")
    url = f"/care/residents/{cast.resident_record.pk}/assess/"
    chinese = client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "规则建议：</strong>" in chinese
    visible = re.sub(r"<[^>]+>", "", re.sub(r"<(script|style)[^>]*>.*?</\\1>", "", chinese, flags=re.S))
    assert not re.search(r"[\u4e00-\u9fff]\s*:", visible)
    english = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "The rules propose:</strong>" in english


def test_the_plan_list_counts_its_queries(
    cast: Cast, plan: CarePlan, client_for, django_assert_num_queries
) -> None:  # type: ignore[no-untyped-def]
    client = client_for("community_worker")
    client.get("/care/plans/")
    # The page's grid workers, named for plans with no visitor: one query; the grids of the list's grid filter: one.
    with django_assert_num_queries(12):
        page = client.get("/care/plans/")
    assert "张三" in page.content.decode()
    # More people in care, and missed visits, cost no more queries than the count of the missed ones (their list
    # goes by pages).
    for n in range(3):
        neighbour = territory.resident_create(
            actor=None,
            household=cast.household,
            name=f"邻居{n}",
            gender="female",
            birth_date=dt.date(1940, 1, 1),
        )
        services.care_plan_confirm(
            actor=cast.community_worker, resident=neighbour, level="yellow", reason="高龄老人"
        )
    CareContact.objects.update(state=ContactState.MISSED)
    with django_assert_num_queries(13):
        page = client.get("/care/plans/")
    assert "邻居2" in page.content.decode()


def test_todays_page_counts_its_queries(
    cast: Cast, plan: CarePlan, client_for, django_assert_num_queries
) -> None:  # type: ignore[no-untyped-def]
    client = client_for("grid_worker")
    client.get("/care/")
    # One more than before the day listed the next visits and calls, one more to count them for the pager, and one
    # for the attempts of the day's contacts (已尝试 N 次), all of them at once.
    with django_assert_num_queries(8):
        client.get("/care/")


def test_the_plans_list_red_before_yellow_before_green(cast: Cast, plan: CarePlan, client_for) -> None:  # type: ignore[no-untyped-def]
    for name, level in (("艾绿码", "green"), ("白黄码", "yellow")):
        resident = territory.resident_create(
            actor=None,
            household=cast.household,
            name=name,
            gender="female",
            birth_date=dt.date(1940, 1, 1),
        )
        services.care_plan_confirm(
            actor=cast.grid_worker, resident=resident, level=level, reason="入户核实，按登记情况确认"
        )
    page = client_for("community_worker").get("/care/plans/").content.decode()
    listed = page[page.index('id="people"') :]  # the list of plans
    assert listed.index("张三") < listed.index("白黄码") < listed.index("艾绿码")


def test_a_resident_with_no_care_visits_is_told_what_the_page_is_for(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    page = client_for("resident").get("/care/").content.decode()
    assert "目前没有分配给您的关爱探访" in page and "辛苦了" not in page


def test_the_plan_page_shows_the_next_visits_and_ten_earlier_ones_a_page_not_sixty(
    cast: Cast, plan: CarePlan, client_for
) -> None:  # type: ignore[no-untyped-def]
    """A phone reads each visit as a card: sixty of them were a long scroll before the services. The next three
    scheduled visits come first (the rest folded), then today's and the earlier ones ten a page, all latest first."""
    today = timezone.localdate()
    CareContact.objects.bulk_create(
        CareContact(plan=plan, kind="visit", due_on=today - dt.timedelta(days=2 * n), state="done")
        for n in range(1, 40)
    )
    ahead = list(plan.contacts.filter(due_on__gt=today).order_by("due_on", "kind", "pk"))
    assert len(ahead) > 3  # a red plan's schedule runs two weeks ahead
    earlier = plan.contacts.filter(due_on__lte=today).count()
    pages = (earlier + 9) // 10
    client = client_for("grid_worker")

    def visits(url: str) -> str:
        return client.get(url).content.decode().split('id="visits"')[1].split('id="services"')[0]

    first = visits(f"/care/plans/{plan.pk}/")
    assert first.count("<tr>") == 1 + 3 + 10  # the header, the next three, ten earlier
    table = first.split("</table>")[0]
    assert table.index(ahead[2].due_on.isoformat()) < table.index(ahead[0].due_on.isoformat())
    assert f"另有 {len(ahead) - 3} 次已排期" in first and ahead[-1].due_on.isoformat() in first
    assert f"第 1 / {pages} 页，共 {earlier} 条" in first and "?visits=2#visits" in first
    last = visits(f"/care/plans/{plan.pk}/?visits={pages}")
    assert (today - dt.timedelta(days=78)).isoformat() in last and "已排期" not in last


def test_grids_are_named_with_full_width_brackets_in_chinese(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    """Chinese text takes full-width brackets: the grid chosen for a case or a legal-aid application reads
    阳光一网格（G001）, not 阳光一网格 (G001)."""
    client = client_for("grid_worker")
    for url in ("/care/cases/new/", "/care/legal/new/"):
        body = client.get(url).content.decode()
        assert f"{cast.grid.name}（{cast.grid.code}）" in body, url
        assert f"{cast.grid.name} (" not in body, url


def test_care_starts_from_a_resident_found_on_the_plans_page(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    """No care plan yet: the plans page finds the person in the register and leads to setting their level, and
    finds nobody outside the worker's own grid."""
    make_neighbour(cast)
    client = client_for("grid_worker")
    empty = client.get("/care/plans/").content.decode()
    assert "为老人建立关爱档案" in empty and "请在上方找到居民" in empty
    found = client.get("/care/plans/", {"find": "张三"}).content.decode()
    assert f"/care/residents/{cast.resident_record.pk}/assess/" in found
    age = age_on(cast.resident_record.birth_date, timezone.localdate())
    assert f"{age}岁" in found and "评定关爱等级" in found
    outside = client.get("/care/plans/", {"find": "邻网格居民"}).content.decode()
    assert "/assess/" not in outside and "没有与“邻网格居民”相符的居民" in outside


def test_every_care_page_says_plainly_what_it_is_for(cast: Cast, plan: CarePlan, client_for) -> None:  # type: ignore[no-untyped-def]
    """The official terms stay (staff know them), each beside a plain word, and each page has a plain line."""
    client = client_for("community_worker")
    tabs = client.get("/care/rota/").content.decode()
    assert "专家值班" in tabs and "三官两师" in tabs and "三色码" in tabs
    assert "调不成纠纷时可以请来的法官、检察官、警官、律师和心理咨询师" in tabs
    case = open_case(cast)
    pages = {
        "/care/": "今天要上门探访或打电话问候的老人",
        "/care/plans/": "社区关爱的老人，按需要关照的程度分红、黄、绿三色",
        f"/care/plans/{plan.pk}/": "这位老人的关爱档案",
        f"/care/residents/{cast.resident_record.pk}/assess/": "评估这位居民需要多少关照",
        "/care/cases/": "先由社区自己的调解员（前哨调解队）调解",
        "/care/cases/new/": "登记一起新纠纷",
        f"/care/cases/{case.pk}/": "一起纠纷从第一次调解",
        "/care/children/": "托育点、四点半课堂和儿童之家",
        "/care/legal/": "为符合条件的居民申请免费的律师帮助",
        "/care/legal/new/": "为居民登记一份免费法律援助申请",
    }
    for url, line in pages.items():
        text = client.get(url).content.decode()
        assert re.search(f'class="care-lead">[^<]*{line}', text), url


def test_ticking_illness_and_counting_shows_the_new_proposal_without_confirming(
    cast: Cast, client_for
) -> None:  # type: ignore[no-untyped-def]
    client = client_for("grid_worker")
    url = f"/care/residents/{cast.resident_record.pk}/assess/"
    first = client.get(url).content.decode()
    assert (
        f"--badge:{CareLevel.YELLOW.colour}" in first.split("规则建议")[1][:300]
    )  # 76 and living alone: 1 + 2
    counted = client.post(
        url, {"ill": "on", "reason": "独居，刚出院", "emergency_contact": "张小明", "recount": "1"}
    )
    page = counted.content.decode()
    assert counted.status_code == 200 and "此项为必填项" not in page
    assert f"--badge:{CareLevel.RED.colour}" in page.split("规则建议")[1][:300]  # and ill: 4
    assert "独居，刚出院" in page and 'value="张小明"' in page
    assert re.search(r'<input[^>]*name="ill"[^>]*checked', page)
    assert not CarePlan.objects.filter(resident=cast.resident_record).exists()


def test_the_record_page_leads_staff_to_the_persons_plan(plan: CarePlan, client_for) -> None:  # type: ignore[no-untyped-def]
    visit = plan.contacts.filter(kind=ContactKind.VISIT).first()
    assert visit is not None
    page = client_for("grid_worker").get(f"/care/contacts/{visit.pk}/").content.decode()
    assert f'href="/care/plans/{plan.pk}/"' in page


def test_opening_a_refused_forms_address_goes_to_its_page_not_to_a_405(
    cast: Cast, plan: CarePlan, case: MediationCase, client_for: Any
) -> None:
    """A refused case or legal-aid action shows the page again at the form's address; reloading or sharing that
    address later (a GET) goes to the case's or application's page. Other methods are still refused."""
    client = client_for("community_worker")
    refused = client.post(f"/care/cases/{case.pk}/session/", {"attendees": "双方"})
    assert refused.status_code == 422
    again = client.get(f"/care/cases/{case.pk}/session/", follow=True)
    assert again.redirect_chain == [(f"/care/cases/{case.pk}/", 302)] and again.status_code == 200
    assert client.put(f"/care/cases/{case.pk}/session/").status_code == 405
    application = wage_claim(cast)
    assert client.post(f"/care/legal/{application.pk}/refuse/", {}).status_code == 422
    legal = client.get(f"/care/legal/{application.pk}/refuse/")
    assert legal.status_code == 302 and legal["Location"] == f"/care/legal/{application.pk}/"
    for form in ("services", "visitor", "alert-link"):
        opened = client.get(f"/care/plans/{plan.pk}/{form}/")
        assert opened.status_code == 302 and opened["Location"] == f"/care/plans/{plan.pk}/"
    # Outside the reader's scope it is still nothing to see.
    assert client_for("outsider").get(f"/care/cases/{case.pk}/session/", follow=True).status_code == 404


def test_the_missed_and_escalated_list_goes_by_pages_and_says_how_many(
    cast: Cast, plan: CarePlan, client_for: Any
) -> None:
    """A community can have hundreds missed or escalated: the first thirty were shown and the rest silently cut."""
    start = timezone.localdate() - dt.timedelta(days=40)
    CareContact.objects.bulk_create(
        CareContact(
            plan=plan, kind=ContactKind.CALL, due_on=start + dt.timedelta(days=n), state=ContactState.MISSED
        )
        for n in range(16)
    )
    client = client_for("community_worker")

    def late_section(url: str) -> str:
        page = client.get(url).content.decode()
        start = page.index('id="late"')
        return page[start : page.index("</section>", start)]

    first = late_section("/care/plans/")
    assert re.search(r"错过与上报\s*<span[^>]*>16</span>", first)
    assert first.count("<tr>") == 1 + 15 and "late=2#late" in first
    second = late_section("/care/plans/?late=2")
    assert second.count("<tr>") == 1 + 1  # the head and the sixteenth


def test_steps_of_care_that_cannot_be_undone_ask_first(
    cast: Cast, plan: CarePlan, case: MediationCase, client_for: Any
) -> None:
    client = client_for("community_worker")
    page = client.get(f"/care/cases/{case.pk}/").content.decode()
    assert 'data-confirm="确定不经调解成功即结案吗？' in page
    issue = client.get(f"/care/plans/{plan.pk}/").content.decode()
    assert "确定更换居家呼叫链接吗" not in issue  # issuing the first link replaces nothing
    services.care_alert_token_issue(actor=cast.community_worker, plan=plan)
    replace = client.get(f"/care/plans/{plan.pk}/").content.decode()
    assert 'data-confirm="确定更换居家呼叫链接吗？' in replace


def test_the_plan_names_the_grid_worker_who_visits_when_no_visitor_is_chosen(
    cast: Cast, plan: CarePlan, client_for: Any
) -> None:
    """It said only "网格员" while the visits below were each assigned to a named grid worker."""
    page = client_for("community_worker").get(f"/care/plans/{plan.pk}/").content.decode()
    facts = page[page.index('class="care-facts"') : page.index("</dl>", page.index('class="care-facts"'))]
    assert f"{cast.grid_worker} <span" in facts and "网格员" in facts


def test_finding_someone_to_care_for_goes_page_by_page(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    """A search that matches a whole building (by its address) lists every resident of it, twenty a page, the
    oldest first, instead of stopping at the twentieth."""
    for n in range(24):
        territory.resident_create(
            actor=None,
            household=cast.household,
            name=f"同楼居民{n:02d}",
            gender="female",
            birth_date=dt.date(1930 + n, 1, 1),
        )
    client = client_for("community_worker")
    address = cast.household.address
    first = client.get("/care/plans/", {"find": address}).content.decode()
    assert "同楼居民00" in first and "同楼居民19" in first and "同楼居民20" not in first
    assert "下一页 ›" in first and "found=2#start" in first
    second = client.get("/care/plans/", {"find": address, "found": "2"}).content.decode()
    assert "同楼居民23" in second and "同楼居民00" not in second


def test_the_day_puts_red_first_even_before_an_overdue_yellow(cast: Cast, plan: CarePlan, client_for) -> None:  # type: ignore[no-untyped-def]
    """The page says the most in need (red) come first: a red person due today is above a yellow one whose visits
    are days late, and within a colour the late ones lead. The API lists them in the same order."""
    today = timezone.localdate()
    neighbour = territory.resident_create(
        actor=None, household=cast.household, name="黄阿姨", gender="female", birth_date=dt.date(1948, 3, 3)
    )
    with time_machine.travel(timezone.now() - dt.timedelta(days=4), tick=False):
        yellow = services.care_plan_confirm(
            actor=cast.grid_worker, resident=neighbour, level="yellow", reason="高龄，子女在外地"
        )
    services.care_contacts_chase()
    assert yellow.contacts.filter(state__in=[ContactState.MISSED, ContactState.ESCALATED]).exists()
    assert plan.contacts.filter(due_on=today, state=ContactState.DUE).exists()
    client = client_for("grid_worker")
    text = client.get("/care/").content.decode()
    names = re.findall(r"<h3>(\S+) <span", text)
    assert names.index("张三") < names.index("黄阿姨")
    assert "最需要关爱的（红码）排在最前" in text
    levels = [c["level"] for c in client.get("/api/care/today").json()["items"]]
    assert levels == sorted(levels, key=["red", "yellow", "green"].index)
    late = [c for c in client.get("/api/care/today").json()["items"] if c["level"] == "yellow"]
    assert late[0]["state"] in {"missed", "escalated"}


def test_a_late_visit_says_how_late_even_before_the_night_chase_marks_it(
    cast: Cast, plan: CarePlan, client_for
) -> None:  # type: ignore[no-untyped-def]
    """Within a colour the late ones lead, so each late card says how many days late it is; a visit from
    yesterday that the night's chase has not marked missed yet is late too, not "due today"."""
    today = timezone.localdate()
    late = plan.contacts.get(kind=ContactKind.VISIT, due_on=today)
    CareContact.objects.filter(pk=late.pk).update(due_on=today - dt.timedelta(days=3))
    text = client_for("grid_worker").get("/care/").content.decode()
    card = text[text.index(f"/care/contacts/{late.pk}/") - 900 : text.index(f"/care/contacts/{late.pk}/")]
    assert "已逾期 3 天" in card and "今日应访" not in card
    assert "今日应致电" in text  # today's call still reads as due today


def test_a_call_due_today_says_to_call_not_to_visit(cast: Cast, plan: CarePlan, client_for) -> None:  # type: ignore[no-untyped-def]
    """A red plan has a visit and a call due today: the visit's card says 今日应访, the call's 今日应致电."""
    today = timezone.localdate()
    call = plan.contacts.get(kind=ContactKind.CALL, due_on=today)
    visit = plan.contacts.get(kind=ContactKind.VISIT, due_on=today)
    text = client_for("grid_worker").get("/care/").content.decode()

    def card(contact: CareContact) -> str:
        end = text.index(f"/care/contacts/{contact.pk}/")
        return text[text.rindex("<article", 0, end) : end]

    assert "今日应致电" in card(call) and "今日应访" not in card(call)
    assert "今日应访" in card(visit)


def test_a_reassessment_starts_from_the_illness_and_family_support_of_the_last_one(
    cast: Cast, client_for
) -> None:  # type: ignore[no-untyped-def]
    """The boxes ticked at the last assessment are ticked again, and the rules' proposal counts them, so a
    reassessment does not silently drop a point (and a colour) nobody unticked."""
    client = client_for("grid_worker")
    url = f"/care/residents/{cast.resident_record.pk}/assess/"
    client.post(url, {"level": "red", "reason": "独居高龄，行动不便", "ill": "on", "no_family_support": "on"})
    assessment = CarePlan.objects.get(resident=cast.resident_record).assessments.get()
    assert assessment.ill and assessment.no_family_support
    again = client.get(url).content.decode()
    assert re.search(r'<input type="checkbox" name="ill"[^>]*checked', again)
    assert re.search(r'<input type="checkbox" name="no_family_support"[^>]*checked', again)
    assert "患慢性病或重病" in again and "无家人照料" in again  # the proposal's reasons count them
    client.post(url, {"level": "red", "reason": "复评：病情稳定", "ill": "on"})
    latest = CarePlan.objects.get(resident=cast.resident_record).assessments.first()
    assert latest is not None and latest.ill and not latest.no_family_support
    third = client.get(url).content.decode()
    assert re.search(r'<input type="checkbox" name="ill"[^>]*checked', third)
    assert not re.search(r'<input type="checkbox" name="no_family_support"[^>]*checked', third)


def test_the_plan_list_names_the_grid_worker_who_visits(cast: Cast, plan: CarePlan, client_for) -> None:  # type: ignore[no-untyped-def]
    """A plan with no visitor of its own is visited by its grid's worker: the list names them, not the role."""
    assert plan.caregiver is None
    page = client_for("community_worker").get("/care/plans/").content.decode()
    cell = re.search(r'<td data-label="探访人" class="care-desk">(.*?)</td>', page, flags=re.S)
    assert cell is not None and "王网格" in cell.group(1) and "网格员" in cell.group(1)


def test_a_done_visit_shows_what_was_recorded_and_takes_no_second_record(
    cast: Cast, plan: CarePlan, client_for
) -> None:  # type: ignore[no-untyped-def]
    """Opened again from the day's 今日已完成 list, a visit shows its record (how it went, when, by whom, the
    note) and no form; a second post is refused with a plain message and changes nothing."""
    client = client_for("grid_worker")
    visit = plan.contacts.get(kind=ContactKind.VISIT, due_on=timezone.localdate())
    client.post(f"/care/contacts/{visit.pk}/", {"found": "精神不错，药按时吃", "needs_raised": "想要助浴"})
    visit.refresh_from_db()
    page = client.get(f"/care/contacts/{visit.pk}/").content.decode()
    assert '<form method="post" novalidate' not in page and 'name="found"' not in page
    assert "联系上本人" in page and "精神不错，药按时吃" in page and "想要助浴" in page and "王网格" in page
    assert timezone.localtime(visit.done_at).strftime("%Y-%m-%d %H:%M") in page
    again = client.post(
        f"/care/contacts/{visit.pk}/", {"found": "又去了一次", "needs_raised": ""}, follow=True
    )
    assert "这次探访已经记录过了，不能再记录一次" in again.content.decode()
    visit.refresh_from_db()
    assert visit.found == "精神不错，药按时吃"


def test_a_refused_call_shows_the_refusal_and_no_form(plan: CarePlan, client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for("grid_worker")
    call = plan.contacts.filter(kind=ContactKind.CALL).first()
    assert call is not None
    client.post(f"/care/contacts/{call.pk}/", {"outcome": "refused", "found": "老人说不用再打了"})
    page = client.get(f"/care/contacts/{call.pk}/").content.decode()
    assert "本人拒绝" in page and "老人说不用再打了" in page and 'name="found"' not in page
    again = client.post(f"/care/contacts/{call.pk}/", {"found": "再打一次"}, follow=True).content.decode()
    assert "这次电话问候已经记录过了，不能再记录一次" in again


def test_the_note_names_only_the_attempt_that_fits_the_contact(plan: CarePlan, client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for("grid_worker")
    visit = plan.contacts.get(kind=ContactKind.VISIT, due_on=timezone.localdate())
    call = plan.contacts.filter(kind=ContactKind.CALL).first()
    assert call is not None
    visit_page = client.get(f"/care/contacts/{visit.pk}/").content.decode()
    call_page = client.get(f"/care/contacts/{call.pk}/").content.decode()
    help_text = re.compile(r'<[^>]*class="help[^"]*"[^>]*>([^<]*今日清单[^<]*)<')
    visit_help, call_help = help_text.search(visit_page), help_text.search(call_page)
    assert (
        visit_help is not None and "无人在家" in visit_help.group(1) and "无人接听" not in visit_help.group(1)
    )
    assert call_help is not None and "无人接听" in call_help.group(1) and "无人在家" not in call_help.group(1)


def test_the_plan_names_its_grid_worker_even_with_no_visit_ahead(
    cast: Cast, plan: CarePlan, client_for: Any
) -> None:
    """A green plan's one visit of the month is today's: with nothing scheduled ahead the page still names the
    grid worker who visits, not only the role."""
    plan.contacts.filter(due_on__gt=timezone.localdate()).delete()
    page = client_for("community_worker").get(f"/care/plans/{plan.pk}/").content.decode()
    facts = page[page.index('class="care-facts"') : page.index("</dl>", page.index('class="care-facts"'))]
    assert f"{cast.grid_worker} <span" in facts and "网格员" in facts


def _two_calls_missed(plan: CarePlan) -> tuple[CareContact, list[CareContact]]:
    """Today's call of the plan, and two calls missed before it (4 and 2 days ago), to the same visitor."""
    today = timezone.localdate()
    call = plan.contacts.get(kind=ContactKind.CALL, due_on=today)
    late = [
        CareContact.objects.create(
            plan=plan,
            kind=ContactKind.CALL,
            due_on=today - dt.timedelta(days=d),
            state=ContactState.MISSED,
            assignee=call.assignee,
        )
        for d in (4, 2)
    ]
    return call, late


def test_a_person_with_several_calls_open_shows_one_line_saying_how_many_more(
    cast: Cast, plan: CarePlan, client_for
) -> None:  # type: ignore[no-untyped-def]
    """grid001's 今日探访 on a phone showed one person three times (two calls missed, today's): one line per person
    and kind now, saying how late the oldest open one is and how many more of that kind are open. It records
    today's call: reaching the person covers the missed ones (test_covered)."""
    today = timezone.localdate()
    call, late = _two_calls_missed(plan)
    text = client_for("grid_worker").get("/care/").content.decode()
    assert f"/care/contacts/{call.pk}/" in text and "已逾期 4 天" in text
    assert f"/care/contacts/{late[0].pk}/" not in text and f"/care/contacts/{late[1].pk}/" not in text
    assert "另有 2 次电话问候未做" in text
    visit = plan.contacts.get(kind=ContactKind.VISIT, due_on=today)
    assert f"/care/contacts/{visit.pk}/" in text  # the visit is a line of its own


def test_the_homes_count_of_care_due_counts_the_lines_of_the_day_page(cast: Cast, plan: CarePlan) -> None:
    """The home's 待办 counted every open contact (a person with two calls missed and today's: three) while the
    day page lists one line per person and kind: the count is the page's lines, and a line with a late one is late."""
    from linli.care.waiting import TODOS

    today = timezone.localdate()
    _two_calls_missed(plan)
    todo = next(t for t in TODOS if t.name == "care.visits")
    assert todo.late is not None
    lines = {(c.plan_id, c.kind) for c in plan.contacts.filter(due_on__lte=today)}
    assert (todo.count(cast.grid_worker), todo.late(cast.grid_worker)) == (len(lines), 1)
