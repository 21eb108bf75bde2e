"""In headless Chromium on a phone: a resident's way back to the hall from a vote or a topic (a meeting's page has the same link) ("← 返回议事厅")
is a line 44 px high to tap, as every other link a resident taps (it was 21 px, the one link on those pages under the
rule of web/tests/test_browser_phone_targets.py)."""

from __future__ import annotations

from typing import Any

import pytest

from linli.testing.browser import short_targets

from ..conftest import Hall, meeting_in, single_vote
from .conftest import shot, signed_in_page

pytestmark = pytest.mark.browser


def test_the_way_back_to_the_hall_is_44_px_high_on_a_phone(
    live_server: Any, browser_hall: Hall, browser: Any
) -> None:
    from linli.deliberation import services

    hall = browser_hall
    topic = services.topic_create(actor=hall.residents[0], title="东门增设快递柜", body="快递堆在门岗。")
    vote = single_vote(hall.cast)
    paths = (f"/deliberation/hall/topics/{topic.pk}/", f"/deliberation/hall/votes/{vote.pk}/")
    page = signed_in_page(browser, "phone", hall.residents[1], live_server.url)
    short = {}
    for path in paths:
        page.goto(f"{live_server.url}{path}")
        back = "main a[href='/deliberation/hall/']"
        assert page.locator(back).count() == 1, path
        short[path] = short_targets(page, back)
    shot(page, "back-to-the-hall-phone")
    page.context.close()
    assert {k: v for k, v in short.items() if v} == {}


def test_the_calendars_meetings_are_44_px_high_on_a_phone(
    live_server: Any, browser_hall: Hall, browser: Any
) -> None:
    """Each meeting of the calendar is a link of its own line, 44 px high to tap (it was 20 px)."""
    from django.utils import timezone

    meeting = meeting_in(browser_hall.cast)
    month = timezone.localtime(meeting.scheduled_at).strftime("%Y-%m")
    page = signed_in_page(browser, "phone", browser_hall.cast.community_worker, live_server.url)
    page.goto(f"{live_server.url}/deliberation/calendar/?month={month}")
    link = f"main a[href='/deliberation/meetings/{meeting.pk}/']"
    assert page.locator(link).count() == 1
    shot(page, "calendar-phone")
    short = short_targets(page, link)
    page.context.close()
    assert short == []


def test_the_links_above_a_votes_ballots_are_44_px_high_on_a_phone(
    live_server: Any, browser_hall: Hall, browser: Any
) -> None:
    """Staff read a vote's ballots by all, paper or online (全部 / 纸质票 / 线上): each link was 19 px high."""
    from linli.deliberation import services

    vote = single_vote(browser_hall.cast)
    services.ballot_cast(actor=browser_hall.residents[0], vote=vote, option_ids=[vote.options.first().pk])
    page = signed_in_page(browser, "phone", browser_hall.cast.community_worker, live_server.url)
    page.goto(f"{live_server.url}/deliberation/hall/votes/{vote.pk}/")
    links = "main .dl-ballot-filter a"
    assert page.locator(links).count() == 3
    shot(page, "ballot-filter-phone")
    short = short_targets(page, links)
    # A ballot is a row of two lines, not a card of four labelled lines (it was 110 px high; the page 4,970 px).
    row = page.locator("main table.dl-ballots tbody tr").first.bounding_box()
    page.context.close()
    assert short == []
    assert row["height"] < 70, row


def test_a_votes_topic_a_hidden_comments_topic_and_the_invite_label_are_44_px_high_on_a_phone(
    live_server: Any, browser_hall: Hall, browser: Any
) -> None:
    """A vote's link to its topic (19 px), a hidden comment's link to its topic in the moderation queue (19 px, and
    now said to be its topic) and the label of the meeting's way of inviting (邀请方式, 20 px)."""
    from linli.deliberation import services

    hall = browser_hall
    worker = hall.cast.community_worker
    topic = services.topic_create(actor=hall.residents[0], title="东门增设快递柜", body="快递堆在门岗。")
    vote = single_vote(hall.cast, topic=topic)
    comment = services.comment_add(actor=hall.residents[1], topic=topic, body="不文明的话")
    for reporter in hall.residents[2:5]:
        services.content_report(actor=reporter, reason="人身攻击", comment=comment)
    meeting = meeting_in(hall.cast)
    services.participant_add(actor=worker, meeting=meeting, side="property_company", name="物业李经理")
    targets = {
        f"/deliberation/hall/votes/{vote.pk}/": "main .dl-topic-link a",
        "/deliberation/moderation/": "main .dl-topic-link a",
        f"/deliberation/meetings/{meeting.pk}/": "main .dl-invite label",
    }
    page = signed_in_page(browser, "phone", worker, live_server.url)
    short = {}
    for path, target in targets.items():
        page.goto(f"{live_server.url}{path}")
        assert page.locator(target).count() == 1, path
        short[path] = short_targets(page, target)
    queue = page.context.new_page()
    queue.goto(f"{live_server.url}/deliberation/moderation/")
    said = queue.locator("main .dl-list li").first.inner_text()
    shot(queue, "moderation-phone")
    page.context.close()
    assert {k: v for k, v in short.items() if v} == {}
    # The three reports of one reason are said once, with how many gave it.
    assert "所属议题： 东门增设快递柜" in said.replace("\n", " ") or "所属议题：东门增设快递柜" in said
    assert said.count("人身攻击") == 1 and "（3 人）" in said


def test_the_links_inside_a_line_of_words_are_44_px_high_on_a_phone(
    live_server: Any, browser_hall: Hall, browser: Any
) -> None:
    """A resident's links inside a line of words: a topic's meeting that decided it (19 px) and its vote (21 px), and
    a filed meeting's 备案表（PDF） (19 px)."""
    from linli.deliberation import services
    from linli.deliberation.models import Meeting

    from ..conftest import decision_taken

    hall = browser_hall
    topic = services.topic_create(actor=hall.residents[0], title="东门增设快递柜", body="快递堆在门岗。")
    single_vote(hall.cast, topic=topic)
    meeting = meeting_in(hall.cast)
    services.agenda_item_add(actor=hall.cast.community_worker, meeting=meeting, title="快递柜")
    decision_taken(hall, meeting, "议定东门增设快递柜。", "物业在东门增设快递柜", topic=topic)
    Meeting.objects.filter(pk=meeting.pk).update(stage="filed")
    targets = {
        f"/deliberation/hall/topics/{topic.pk}/": "main #answers a, main a[href^='/deliberation/hall/votes/']",
        f"/deliberation/hall/meetings/{meeting.pk}/": f"main a[href='/deliberation/meetings/{meeting.pk}/record.pdf']",
    }
    page = signed_in_page(browser, "phone", hall.residents[1], live_server.url)
    short = {}
    for path, target in targets.items():
        page.goto(f"{live_server.url}{path}")
        assert page.locator(target).count() == (2 if "topics" in path else 1), path
        short[path] = short_targets(page, target)
    shot(page, "links-in-words-phone")
    page.context.close()
    assert {k: v for k, v in short.items() if v} == {}
