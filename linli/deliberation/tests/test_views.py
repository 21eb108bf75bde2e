"""Co-governance pages through HTTP, as a secretary, a street officer and residents use them."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from linli.deliberation import services
from linli.deliberation.choices import Stage
from linli.deliberation.models import Decision, Meeting, Result
from linli.testing import Cast, signed_in

from .conftest import Hall, meeting_deliberating, meeting_in, owners_vote, single_vote, survey, vote_of

pytestmark = pytest.mark.django_db


def test_secretary_runs_a_meeting_through_the_pages(hall: Hall, client_for) -> None:  # type: ignore[no-untyped-def]
    cast = hall.cast
    staff = client_for("community_worker")
    when = (timezone.localtime() + dt.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    response = staff.post(
        reverse("deliberation:meeting_new"),
        {
            "kind": "joint",
            "title": "五月联席会议",
            "node": cast.community.pk,
            "scheduled_at": when,
            "place": "议事厅",
        },
    )
    meeting = Meeting.objects.get(title="五月联席会议")
    assert response.status_code == 302
    url = reverse("deliberation:meeting", args=[meeting.pk])
    # Bad input: the form comes back with a Chinese message and what was typed.
    bad = staff.post(
        reverse("deliberation:agenda_add", args=[meeting.pk]), {"title": "停车", "appeals": "NOPE-1"}
    )
    assert bad.status_code == 422
    assert "NOPE-1" in bad.content.decode() and 'role="alert"' in bad.content.decode()
    staff.post(
        reverse("deliberation:agenda_add", args=[meeting.pk]),
        {"title": "充电桩", "box": "意见箱：希望增设充电桩"},
    )
    staff.post(
        reverse("deliberation:participant_add", args=[meeting.pk]),
        {"side": "property_company", "name": "物业李经理", "unit": "阳光物业", "phone": "13600000002"},
    )
    staff.post(reverse("deliberation:act", args=[meeting.pk, "open_deliberation"]))
    member = meeting.participants.get()
    staff.post(reverse("deliberation:present", args=[meeting.pk, member.pk]))
    staff.post(reverse("deliberation:minutes", args=[meeting.pk]), {"minutes": "物业负责在东门增设充电桩。"})
    staff.post(
        reverse("deliberation:decision_add", args=[meeting.pk]),
        {"text_": "东门增设充电桩10个", "responsible_name": "阳光物业", "working_days": 20},
    )
    page = staff.get(url).content.decode()
    assert "东门增设充电桩10个" in page and "意见箱：希望增设充电桩" in page
    assert staff.get(reverse("deliberation:qr", args=[meeting.pk]))["Content-Type"] == "image/png"
    staff.post(reverse("deliberation:act", args=[meeting.pk, "start_implementation"]))
    result = Result.objects.get(meeting=meeting)
    staff.post(
        reverse("deliberation:result_progress", args=[meeting.pk, result.pk]),
        {"progress": 100, "note": "已安装"},
    )
    staff.post(reverse("deliberation:act", args=[meeting.pk, "open_evaluation"]))
    resident = signed_in(hall.residents[0])
    resident.post(
        reverse("deliberation:rate", args=[meeting.pk]),
        {"rating": "satisfied", **{f"q{k}": v for k, v in survey(meeting).items()}},
    )
    staff.post(reverse("deliberation:act", args=[meeting.pk, "submit_filing"]))
    street = client_for("street_officer")
    refused = street.post(reverse("deliberation:act", args=[meeting.pk, "return_filing"]), {"note": ""})
    assert refused.status_code == 422
    street.post(reverse("deliberation:act", args=[meeting.pk, "acknowledge_filing"]))
    meeting.refresh_from_db()
    assert meeting.stage == Stage.FILED
    public = Client().get(reverse("deliberation:meeting_public", args=[meeting.pk]))
    assert public.status_code == 200 and "东门增设充电桩10个" in public.content.decode()
    pdf = Client().get(reverse("deliberation:record", args=[meeting.pk]))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    assert pdf["Content-Disposition"] == f'inline; filename="meeting-{meeting.pk}.pdf"'


def test_the_secretary_of_another_community_gets_a_404(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    meeting = meeting_in(cast)
    assert client_for("outsider").get(reverse("deliberation:meeting", args=[meeting.pk])).status_code == 404
    assert client_for("resident").get(reverse("deliberation:meeting", args=[meeting.pk])).status_code == 403
    assert Client().get(reverse("deliberation:record", args=[meeting.pk])).status_code == 404


def test_marking_a_member_of_another_meeting_present_is_a_404_not_a_server_error(
    cast: Cast, client_for
) -> None:  # type: ignore[no-untyped-def]
    ours, theirs = meeting_deliberating(cast), meeting_deliberating(cast, "另一个议题")
    member = services.participant_add(
        actor=cast.community_worker, meeting=theirs, name="李秀英", side="owners_committee"
    )
    client = client_for("community_worker")
    for pk in (member.pk, 999999):  # a member of the other meeting, or of none
        response = client.post(reverse("deliberation:present", args=[ours.pk, pk]))
        assert response.status_code == 404
    member.refresh_from_db()
    assert member.signed_in_at is None


def test_resident_raises_a_topic_and_a_neighbour_replies(hall: Hall) -> None:
    author = signed_in(hall.residents[0])
    response = author.post(
        reverse("deliberation:topic_new"), {"title": "小区道路坑洼", "body": "北门道路坑洼多年"}
    )
    assert response.status_code == 302
    topic_url = response["Location"]
    neighbour = signed_in(hall.residents[1])
    neighbour.post(topic_url + "comment/", {"body": "同意，雨天积水"})
    assert "同意，雨天积水" in author.get(topic_url).content.decode()
    empty = neighbour.post(topic_url + "comment/", {"body": ""})
    assert empty.status_code == 422


def test_a_resident_at_the_meetings_address_goes_to_the_hall(hall: Hall) -> None:
    """/deliberation/ is the staff's meetings; a resident who follows it lands in the residents' hall, not on 403."""
    resident = signed_in(hall.residents[0])
    assert resident.get(reverse("deliberation:meetings"))["Location"] == reverse("deliberation:hall")
    assert Client().get(reverse("deliberation:meetings"))["Location"].startswith("/login/")


def test_hall_page_query_count_does_not_grow_with_topics(hall: Hall, django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
    client = signed_in(hall.residents[0])
    for i in range(3):
        services.topic_create(actor=hall.residents[0], title=f"议题{i}", body="内容")
    owners_vote(hall.cast)
    client.get(reverse("deliberation:hall"))
    with django_assert_max_num_queries(16) as first:
        client.get(reverse("deliberation:hall"))
    for i in range(10):
        services.topic_create(actor=hall.residents[1], title=f"更多{i}", body="内容")
        meeting_in(hall.cast)
    with django_assert_max_num_queries(len(first.captured_queries)):
        assert client.get(reverse("deliberation:hall")).status_code == 200


def test_meeting_list_query_count_does_not_grow(
    cast: Cast, client_for, django_assert_max_num_queries
) -> None:  # type: ignore[no-untyped-def]
    staff = client_for("community_worker")
    meeting_in(cast)
    with django_assert_max_num_queries(12) as first:
        staff.get(reverse("deliberation:meetings"))
    for _ in range(8):
        meeting_in(cast)
    with django_assert_max_num_queries(len(first.captured_queries)):
        assert staff.get(reverse("deliberation:meetings")).status_code == 200


def test_the_meeting_list_goes_page_by_page_keeping_the_stage(cast: Cast, client_for, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from linli.deliberation.views import meetings as meeting_views

    monkeypatch.setattr(meeting_views, "MEETINGS_PER_PAGE", 2)
    made = [meeting_in(cast) for _ in range(3)]
    staff = client_for("community_worker")
    stage = made[0].stage
    first = staff.get(reverse("deliberation:meetings"), {"stage": stage}).content.decode()
    assert "第 1 / 2 页，共 3 条" in first
    assert f'href="?stage={stage}&amp;page=2"' in first
    second = staff.get(reverse("deliberation:meetings"), {"stage": stage, "page": 2}).content.decode()
    shown = [m for m in made if reverse("deliberation:meeting", args=[m.pk]) + '"' in first + second]
    assert len(shown) == 3  # every meeting is one page away, none cut off


def test_the_meetings_list_and_api_show_the_latest_meeting_first(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    """The list counts each meeting's decisions (a GROUP BY), where the model's own order is not applied: the
    meetings came in the database's order, the same on every page only by chance."""
    soon = timezone.now() + dt.timedelta(days=1)
    made = [meeting_in(cast) for _ in range(3)]
    # The second is the latest; the last one entered was held a month ago.
    for m, days in zip(made, (0, 1, -30), strict=True):
        m.scheduled_at = soon + dt.timedelta(days=days)
        m.save(update_fields=["scheduled_at"])
    staff = client_for("community_worker")
    page = staff.get(reverse("deliberation:meetings")).content.decode()
    links = [page.index(reverse("deliberation:meeting", args=[m.pk]) + '"') for m in made]
    assert links[1] < links[0] < links[2]
    api = [m["id"] for m in staff.get("/api/deliberation/meetings").json()["items"]]
    assert api == [made[1].pk, made[0].pk, made[2].pk]


def test_the_public_record_pages_its_filed_meetings_so_none_is_cut_off(cast: Cast, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """三公开 stopped at the hundredth filed meeting without a word."""
    from linli.deliberation.models import Meeting
    from linli.deliberation.views import hall as hall_views

    monkeypatch.setattr(hall_views, "PUBLIC_PER_PAGE", 2)
    made = [meeting_in(cast) for _ in range(3)]
    for n, m in enumerate(made):  # filed by the street (the steps there are tested elsewhere), oldest first
        Meeting.objects.filter(pk=m.pk).update(
            stage=Stage.FILED,
            title=f"已备案会议{n}号",
            scheduled_at=timezone.now() - dt.timedelta(days=10 - n),
        )
    first = Client().get(reverse("deliberation:public")).content.decode()
    assert "已备案会议0号" not in first and "第 1 / 2 页，共 3 条" in first and 'href="?page=2"' in first
    assert "已备案会议0号" in Client().get(reverse("deliberation:public"), {"page": 2}).content.decode()


def test_the_hall_lists_the_latest_topic_first(hall: Hall) -> None:
    """The hall counts each topic's comments (a GROUP BY), where the model's order is not applied: a topic of
    October came above November's."""
    from linli.deliberation.models import Topic

    made = [
        services.topic_create(actor=hall.residents[n], title=f"话题{n}", body="楼道灯坏了") for n in range(3)
    ]
    for topic, days in zip(made, (2, 1, 30), strict=True):  # the last one raised is the oldest
        Topic.objects.filter(pk=topic.pk).update(created_at=timezone.now() - dt.timedelta(days=days))
    page = signed_in(hall.residents[5]).get(reverse("deliberation:hall")).content.decode()
    assert page.index("话题1") < page.index("话题0") < page.index("话题2")


def test_the_hall_pages_its_topics_so_none_is_cut_off(hall: Hall, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from linli.deliberation.views import hall as hall_views

    monkeypatch.setattr(hall_views, "TOPICS_PER_PAGE", 2)
    for n in range(3):
        services.topic_create(actor=hall.residents[n], title=f"话题{n}", body="楼道灯坏了")
    resident = signed_in(hall.residents[5])
    first = resident.get(reverse("deliberation:hall")).content.decode()
    assert sum(f"话题{n}" in first for n in range(3)) == 2
    assert 'href="?topics=2#topics"' in first and "第 1 / 2 页，共 3 条" in first
    second = resident.get(reverse("deliberation:hall"), {"topics": 2}).content.decode()
    assert all(f"话题{n}" in first + second for n in range(3))  # the third is one page away, not cut off


def test_the_hall_pages_its_votes_and_meetings_so_none_is_cut_off(hall: Hall, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """The hall showed the first 30 votes and 20 meetings and said nothing of the rest."""
    from linli.deliberation.views import hall as hall_views

    monkeypatch.setattr(hall_views, "VOTES_PER_PAGE", 2)
    monkeypatch.setattr(hall_views, "MEETINGS_PER_PAGE", 2)
    for n in range(3):
        single_vote(hall.cast, title=f"投票{n}号")  # the last one opened closes last: it comes first
        Meeting.objects.filter(pk=meeting_in(hall.cast).pk).update(stage=Stage.DELIBERATE, title=f"会议{n}号")
    resident = signed_in(hall.residents[5])
    first = resident.get(reverse("deliberation:hall")).content.decode()
    assert [f"投票{n}号" in first for n in range(3)] == [False, True, True]
    assert [f"会议{n}号" in first for n in range(3)] == [False, True, True]
    assert 'href="?votes=2#votes"' in first and 'href="?meetings=2#meetings"' in first
    # Each list keeps the other's page.
    second = resident.get(reverse("deliberation:hall"), {"votes": 2, "meetings": 2}).content.decode()
    assert "投票0号" in second and "投票1号" not in second and "会议0号" in second and "会议1号" not in second
    assert 'href="?votes=1&amp;meetings=2#votes"' in second


def test_moderation_page_lists_what_reports_hid(hall: Hall, client_for) -> None:  # type: ignore[no-untyped-def]
    topic = services.topic_create(actor=hall.residents[0], title="广告", body="卖房广告")
    for r in hall.residents[1:4]:
        services.content_report(actor=r, topic=topic, reason="广告")
    staff = client_for("community_worker")
    assert "卖房广告" in staff.get(reverse("deliberation:moderation")).content.decode()
    staff.post(
        reverse("deliberation:moderate", args=["topic", topic.pk]),
        {"decision": "remove", "reason": "商业广告"},
    )
    page = signed_in(hall.residents[5]).get(reverse("deliberation:hall")).content.decode()
    assert "广告" not in page


def test_a_moderation_goes_back_inside_the_site_only(hall: Hall, client_for) -> None:  # type: ignore[no-untyped-def]
    topic = services.topic_create(actor=hall.residents[0], title="广告", body="卖房广告")
    staff = client_for("community_worker")
    url = reverse("deliberation:moderate", args=["topic", topic.pk])
    away = staff.post(url, {"decision": "keep", "next": "https://evil.example/phish"})
    assert away["Location"] == reverse("deliberation:moderation")  # never off the site
    back = staff.post(url, {"decision": "keep", "next": reverse("deliberation:hall")})
    assert back["Location"] == reverse("deliberation:hall")


def test_qr_sign_in_page_marks_the_resident_present(hall: Hall) -> None:
    meeting = meeting_deliberating(hall.cast)
    client = signed_in(hall.residents[2])
    url = reverse("deliberation:sign_in", args=[meeting.sign_in_token])
    assert client.post(url).status_code == 200
    assert meeting.participants.get(user=hall.residents[2]).signed_in_by_qr
    assert Client().get(url).status_code == 302  # sign in first


def test_a_member_who_signed_in_by_qr_is_not_offered_a_told_by_phone_button(hall: Hall, client_for) -> None:  # type: ignore[no-untyped-def]
    meeting = meeting_in(hall.cast)
    worker = hall.cast.community_worker
    services.participant_add(actor=worker, meeting=meeting, side="owners_committee", name="业委会王主任")
    services.agenda_item_add(actor=worker, meeting=meeting, title="议题")
    services.meeting_transition(actor=worker, meeting=meeting, action="open_deliberation")
    signed_in(hall.residents[2]).post(reverse("deliberation:sign_in", args=[meeting.sign_in_token]))
    page = (
        client_for("community_worker")
        .get(reverse("deliberation:meeting", args=[meeting.pk]))
        .content.decode()
    )
    members = page[page.index('id="members"') :]
    rows = members[: members.index("</ul>")].split("<li>")[1:]
    name = meeting.participants.get(user=hall.residents[2]).name
    here = next(row for row in rows if f"<strong>{name}</strong>" in row)
    absent = next(row for row in rows if "<strong>业委会王主任</strong>" in row)
    assert "已签到" in here and "当面/电话已通知" not in here
    assert "当面/电话已通知" in absent  # not invited and not here: the button stays


def test_the_overview_shows_the_co_governance_panel(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    meeting = services.meeting_create(
        actor=cast.community_worker,
        node=cast.compound,
        kind="yard",
        title="坝坝会",
        scheduled_at=timezone.now() - dt.timedelta(days=1),
    )
    services.agenda_item_add(actor=cast.community_worker, meeting=meeting, title="议题")
    services.meeting_transition(actor=cast.community_worker, meeting=meeting, action="open_deliberation")
    page = client_for("street_officer").get(reverse("dashboard:index")).content.decode()
    panel = page[page.index('id="deliberation-panel"') :]
    assert "共商共治" in panel and "<td>幸福社区</td><td>1</td><td>0</td>" in panel


def test_calendar_lists_the_months_meetings_by_day(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    meeting = meeting_in(cast)
    month = timezone.localtime(meeting.scheduled_at).strftime("%Y-%m")
    staff = client_for("community_worker")
    assert "四月联席会议" in staff.get(reverse("deliberation:calendar"), {"month": month}).content.decode()
    other = staff.get(reverse("deliberation:calendar"), {"month": "2020-01"}).content.decode()
    assert "四月联席会议" not in other
    assert (
        "四月联席会议"
        not in client_for("outsider").get(reverse("deliberation:calendar"), {"month": month}).content.decode()
    )
    repeated = staff.post(reverse("deliberation:repeat", args=[meeting.pk]))
    assert repeated.status_code == 302 and Meeting.objects.filter(title="四月联席会议").count() == 2


def test_members_are_drawn_from_the_area_s_records_with_one_tap(cast: Cast) -> None:
    """事务共商: the meeting page offers the community's party secretary, the branch secretaries of the area, the
    property company serving it, the district's departments and the building captains; one tap adds one, and
    what is added is offered no more."""
    from linli.accounts.models import User
    from linli.core.roles import Role
    from linli.party import services as party
    from linli.party.models import PartyMember
    from linli.territory import services as territory

    committee = party.party_org_create(
        actor=None, kind="committee", name="幸福社区党委", org_node=cast.community
    )
    branch = party.party_org_create(
        actor=None,
        kind="branch",
        name="阳光小区党支部",
        org_node=cast.compound,
        parent=committee,
        secretary="钱书记",  # the post as the organisation records it, no member holding it
    )
    member = party.party_member_create(actor=None, name="赵书记", party_org=committee, phone="13700000001")
    PartyMember.objects.filter(pk=member.pk).update(position="secretary")
    party.party_member_create(actor=None, name="孙党员", party_org=branch)  # not a secretary: not offered
    territory.organisation_create(
        actor=None, kind="property_company", name="阳光物业", code="P-YG", org_node=cast.compound
    )
    territory.organisation_create(
        actor=None, kind="property_company", name="别处物业", code="P-BC", org_node=cast.other_community
    )
    User.objects.create_user(
        username="captain", role=Role.BUILDING_CAPTAIN, org_node=cast.compound, display_name="周楼长"
    )
    meeting = meeting_in(cast)
    client = signed_in(cast.community_worker)
    page = client.get(reverse("deliberation:meeting", args=[meeting.pk])).content.decode()
    offered = page[page.index('id="on-record"') :]
    for name in ("赵书记", "钱书记", "阳光物业", "区城管委", "周楼长"):
        assert name in offered
    assert "孙党员" not in offered and "别处物业" not in offered
    client.post(
        reverse("deliberation:participant_add", args=[meeting.pk]),
        {"side": "community", "name": "赵书记", "unit": "幸福社区党委", "phone": "13700000001"},
    )
    member = meeting.participants.get()
    assert (member.side, member.name, member.unit, member.phone) == (
        "community",
        "赵书记",
        "幸福社区党委",
        "13700000001",
    )
    page = client.get(reverse("deliberation:meeting", args=[meeting.pk])).content.decode()
    assert "赵书记" not in page[page.index('id="on-record"') :]


def test_the_meeting_form_starts_on_the_workers_only_community_and_names_a_too_long_title(
    cast: Cast, client_for: Any
) -> None:
    staff = client_for("community_worker")
    page = staff.get(reverse("deliberation:meeting_new")).content.decode()
    assert f'<option value="{cast.community.pk}" selected>' in page
    when = (timezone.localtime() + dt.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    data = {"kind": "joint", "title": "议" * 130, "node": cast.community.pk, "scheduled_at": when}
    text = staff.post(reverse("deliberation:meeting_new"), data).content.decode()
    assert "标题太长：最多 120 个字（您已输入 130 个字）。" in text and "议" * 130 in text


def test_a_decision_past_its_due_date_with_work_open_is_marked_overdue(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    worker = cast.community_worker
    meeting = meeting_deliberating(cast, "楼道灯")
    decision = services.decision_add(
        actor=worker, meeting=meeting, text_="更换楼道灯", responsible_name="物业", working_days=3
    )
    staff = client_for("community_worker")
    pages = (reverse("deliberation:meeting", args=[meeting.pk]), reverse("deliberation:meetings"))
    assert all("已逾期" not in staff.get(url).content.decode() for url in pages)  # not yet due
    Result.objects.filter(decision=decision).update(due_on=timezone.localdate() - dt.timedelta(days=1))
    Decision.objects.filter(pk=decision.pk).update(due_on=timezone.localdate() - dt.timedelta(days=1))
    detail, listing = (staff.get(url).content.decode() for url in pages)
    assert detail.count("已逾期") == 2  # the decision and its result
    assert "1 项已逾期" in listing
    services.result_progress(actor=worker, result=decision.results.get(), progress=100, note="已更换")
    assert all("已逾期" not in staff.get(url).content.decode() for url in pages)  # done: no longer late


def test_a_label_before_its_value_reads_with_a_full_width_colon_in_chinese(hall: Hall, client_for) -> None:  # type: ignore[no-untyped-def]
    """责任单位: 物业 and the history's 张三: 民意征集 → 事务共商 (ASCII colons in Chinese) read with '：'."""
    worker = hall.cast.community_worker
    meeting = meeting_deliberating(hall.cast, "楼道灯")
    topic = services.topic_create(
        actor=hall.residents[0], title="楼道灯不亮", body="三楼的灯坏了一个月", node=None
    )
    decision = services.decision_add(
        actor=worker, meeting=meeting, text_="更换楼道灯", responsible_name="阳光物业", working_days=3
    )
    services.decision_answer_topic(actor=worker, decision=decision, topic=topic)
    services.agenda_item_add(
        actor=worker, meeting=meeting, title="停车", other_sources=[("suggestion_box", "晚上没有车位")]
    )
    staff = client_for("community_worker")
    page = staff.get(reverse("deliberation:meeting", args=[meeting.pk])).content.decode()
    assert "答复的议事厅话题：" in page
    assert "意见箱：" in page and "意见箱:" not in page
    history = page[page.index('id="history"') :]
    assert f"{worker}：" in history and f"{worker}:" not in history
    topic_page = staff.get(reverse("deliberation:topic", args=[topic.pk])).content.decode()
    assert "责任单位： 阳光物业" in topic_page
    english = staff.get(reverse("deliberation:topic", args=[topic.pk]), headers={"accept-language": "en"})
    assert "Responsible unit: 阳光物业" in english.content.decode()


def test_a_form_s_address_opened_later_goes_to_its_page_not_to_a_405(hall: Hall, client_for) -> None:  # type: ignore[no-untyped-def]
    """A refused form is shown again at its own address (422): reloading or sharing that address later goes to
    the page the form is on."""
    meeting = meeting_in(hall.cast)
    staff = client_for("community_worker")
    agenda = reverse("deliberation:agenda_add", args=[meeting.pk])
    assert staff.post(agenda, {"title": "停车", "appeals": "NOPE-1"}).status_code == 422
    again = staff.get(agenda)
    assert again.status_code == 302 and again["Location"] == reverse(
        "deliberation:meeting", args=[meeting.pk]
    )
    act = staff.get(reverse("deliberation:act", args=[meeting.pk, "open_deliberation"]))
    assert act["Location"] == reverse("deliberation:meeting", args=[meeting.pk])
    vote = single_vote(hall.cast)
    resident = signed_in(hall.residents[0])
    ballot = reverse("deliberation:ballot", args=[vote.pk])
    assert resident.post(ballot, {}).status_code == 422
    assert resident.get(ballot)["Location"] == reverse("deliberation:vote", args=[vote.pk])
    assert staff.get(reverse("deliberation:moderate", args=["topic", 1]))["Location"] == reverse(
        "deliberation:moderation"
    )


def test_a_result_s_forms_live_under_its_meeting(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    """A result's progress form posts under its meeting's address, so that address opened later is the meeting;
    a result named under another meeting is not found."""
    worker = cast.community_worker
    meeting = meeting_deliberating(cast, "楼道灯")
    services.decision_add(
        actor=worker, meeting=meeting, text_="更换楼道灯", responsible_name="物业", working_days=3
    )
    result = Result.objects.get(meeting=meeting)
    staff = client_for("community_worker")
    url = reverse("deliberation:result_progress", args=[meeting.pk, result.pk])
    assert url in staff.get(reverse("deliberation:meeting", args=[meeting.pk])).content.decode()
    refused = staff.post(url, {"progress": 250, "note": ""})
    assert refused.status_code == 422
    assert staff.get(url)["Location"] == reverse("deliberation:meeting", args=[meeting.pk])
    other = meeting_in(cast)
    wrong = reverse("deliberation:result_progress", args=[other.pk, result.pk])
    assert staff.post(wrong, {"progress": 50, "note": "换了一半"}).status_code == 404
    result.refresh_from_db()
    assert result.progress == 0


def test_steps_that_cannot_be_taken_back_ask_first(hall: Hall, client_for) -> None:  # type: ignore[no-untyped-def]
    """Moving a meeting on, casting a ballot: the form carries the question web/site.js asks before it is sent."""
    meeting = meeting_in(hall.cast)
    services.agenda_item_add(actor=hall.cast.community_worker, meeting=meeting, title="停车")
    page = (
        client_for("community_worker")
        .get(reverse("deliberation:meeting", args=[meeting.pk]))
        .content.decode()
    )
    assert 'data-confirm="议题都定好了吗？进入事务共商后不能再回到民意征集。"' in page
    vote = single_vote(hall.cast)
    ballot = signed_in(hall.residents[0]).get(reverse("deliberation:vote", args=[vote.pk])).content.decode()
    assert 'data-confirm="确定投出这张选票吗？投出后不能更改。"' in ballot


def test_the_agenda_pickers_say_they_offer_the_latest_only(hall: Hall, client_for, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """The agenda form offered the area's 50 latest topics (and 30 visits, 12 monthly topics) without saying so."""
    from linli.deliberation import forms as deliberation_forms

    monkeypatch.setattr(deliberation_forms, "AGENDA_TOPICS", 1)
    older = services.topic_create(actor=hall.residents[0], title="东门快递柜", body="建议增设快递柜")
    latest = services.topic_create(actor=hall.residents[1], title="广场舞太吵", body="晚上九点后音乐太响")
    page = client_for("community_worker").get(
        reverse("deliberation:meeting", args=[meeting_in(hall.cast).pk])
    )
    body = page.content.decode()
    assert "本辖区最近的 1 个议题。" in body and "本辖区最近 30 次发现待跟进事项的走访。" in body
    assert f'value="{latest.pk}"' in body and f'value="{older.pk}"' not in body


def test_the_agenda_offers_the_monthly_topics_about_the_workers_own_area_only(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    """Monthly topics are read through appeals' scoped selector: the community's worker is offered the street's
    topic about their compound, not the one about the other community, and adding that one is refused."""
    from linli.appeals import services as appeal_services
    from linli.appeals.models import TopicCandidate
    from linli.appeals.tests.test_topics import LAMPS, _recurring

    _recurring(cast, LAMPS, days_ago=2)
    _recurring(cast, LAMPS[:3], days_ago=2, grid=cast.other_grid)
    appeal_services.topics_compute()
    made = {
        c.place_id: appeal_services.topic_propose(
            actor=cast.street_officer, candidate=c, title=f"{c.place.name}的楼道照明"
        )
        for c in TopicCandidate.objects.all()
    }
    ours, theirs = made[cast.compound.pk], made[cast.other_community.pk]
    meeting = meeting_in(cast)
    client = client_for("community_worker")
    page = client.get(reverse("deliberation:meeting", args=[meeting.pk])).content.decode()
    assert f'value="{ours.pk}"' in page and ours.title in page
    assert theirs.title not in page
    refused = client.post(
        reverse("deliberation:agenda_add", args=[meeting.pk]),
        {"title": "楼道照明", "monthly_topics": [str(theirs.pk)]},
    )
    assert refused.status_code == 422 and not meeting.agenda.exists()
    client.post(
        reverse("deliberation:agenda_add", args=[meeting.pk]),
        {"title": "楼道照明", "monthly_topics": [str(ours.pk)]},
    )
    assert meeting.agenda.get().sources.get().monthly_topic == ours


def test_a_moderation_says_what_became_of_it_and_a_refusal_keeps_what_was_typed(
    hall: Hall, client_for
) -> None:  # type: ignore[no-untyped-def]
    """保留 / 移除 went back to the page without a word (the other staff actions say what they did); a refusal
    (no reason for 移除, a reason too long) is said in words with the reason typed filled in again."""
    topic = services.topic_create(actor=hall.residents[0], title="卖房广告帖", body="卖房广告")
    comment = services.comment_add(actor=hall.residents[1], topic=topic, body="加微信看房")
    for r in hall.residents[2:5]:
        services.content_report(actor=r, topic=topic, reason="广告")
        services.content_report(actor=r, comment=comment, reason="广告")
    staff = client_for("community_worker")
    on_topic = reverse("deliberation:topic", args=[topic.pk])
    url = reverse("deliberation:moderate", args=["comment", comment.pk])
    refused = staff.post(url, {"decision": "remove", "reason": "", "next": on_topic}, follow=True)
    assert "移除要写明理由" in refused.content.decode()
    comment.refresh_from_db()
    assert comment.moderation == "hidden"
    too_long = "广告" * 101
    refused = staff.post(
        url, {"decision": "remove", "reason": too_long}, follow=True
    )  # from the queue's page
    assert "理由" in refused.content.decode() and f'value="{too_long}"' in refused.content.decode()
    done = staff.post(url, {"decision": "remove", "reason": "商业广告", "next": on_topic}, follow=True)
    assert "已移除这条评论，理由已留存。" in done.content.decode()
    url = reverse("deliberation:moderate", args=["topic", topic.pk])
    done = staff.post(url, {"decision": "keep", "reason": ""}, follow=True)
    assert "已保留“卖房广告帖”，重新显示。" in done.content.decode()


def test_the_options_a_household_ticked_read_as_a_list(hall: Hall) -> None:
    """After a multiple-choice ballot, the vote's page says what was ticked as a list (棋牌、舞蹈), in the options'
    order, not run together by spaces."""
    vote = vote_of(hall.cast, "multiple", "活动室开放哪些项目", ("书画", "棋牌", "舞蹈"))
    options = {o.label: o.pk for o in vote.options.all()}
    services.ballot_cast(actor=hall.residents[0], vote=vote, option_ids=[options["舞蹈"], options["棋牌"]])
    page = signed_in(hall.residents[0]).get(reverse("deliberation:vote", args=[vote.pk])).content.decode()
    assert "您的选择： 棋牌、舞蹈" in page
