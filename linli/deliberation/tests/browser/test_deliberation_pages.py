"""Every co-governance page in headless Chromium on a phone (390 × 844) and a desktop (1400 × 900): it loads without
a script error or a failed request, nothing is wider than the screen, and a screenshot is kept to look at."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from linli.testing.browser import SIZES, confirm_next

from ..conftest import PNG, Hall, owners_vote, survey, vote_of
from .conftest import shot, signed_in_page

pytestmark = pytest.mark.browser


def test_every_page_at_both_sizes(live_server: Any, browser_hall: Hall, browser: Any) -> None:
    from linli.deliberation import jobs, services
    from linli.deliberation.models import Meeting

    hall = browser_hall
    cast, worker = hall.cast, hall.cast.community_worker
    meeting = services.meeting_create(
        actor=worker,
        node=cast.community,
        kind="joint",
        title="停车联席会议",
        scheduled_at=timezone.now() - dt.timedelta(hours=1),
        place="议事厅",
    )
    services.agenda_item_add(
        actor=worker,
        meeting=meeting,
        title="夜间停车难",
        summary="居民反映夜间无处停车",
        other_sources=[("suggestion_box", "晚上回来没有车位")],
    )
    services.participant_add(
        actor=worker, meeting=meeting, side="property_company", name="赵强", unit="阳光物业"
    )
    services.meeting_transition(actor=worker, meeting=meeting, action="open_deliberation")
    topic = services.topic_create(
        actor=hall.residents[0], title="东门增设快递柜", body="快递堆在门岗，老人取件不便。"
    )
    comment = services.comment_add(actor=hall.residents[1], topic=topic, body="赞成，上次快递丢了。")
    services.comment_add(actor=hall.residents[2], topic=topic, body="要看收费。", parent_id=comment.pk)
    rude = services.comment_add(actor=hall.residents[3], topic=topic, body="不文明的话")
    for r in hall.residents[:3]:
        services.content_report(actor=r, comment=rude, reason="人身攻击")
    vote = owners_vote(cast, special=True)
    agree = vote.options.get(key="agree").pk
    services.ballot_cast(actor=hall.residents[1], vote=vote, option_ids=[agree])
    services.ballot_record_paper(
        actor=cast.grid_worker,
        vote=vote,
        household=hall.households[4],
        option_ids=[agree],
        photo=SimpleUploadedFile("b.png", PNG, "image/png"),
    )
    # The follow-ups: a ranking vote with a ballot, a score vote to fill in, a meeting being rated (the survey),
    # one submitted for filing (the street's queue) with an overdue result escalated to the street.
    ranking = vote_of(cast, "ranking", "快递柜设在哪个门", ("东门", "南门", "西门"), days=5)
    places = [o.pk for o in ranking.options.all()]
    services.ballot_cast(
        actor=hall.residents[1], vote=ranking, marks={places[1]: 1, places[0]: 2, places[2]: 3}
    )
    services.ballot_cast(
        actor=hall.residents[2], vote=ranking, marks={places[1]: 1, places[2]: 2, places[0]: 3}
    )
    score = vote_of(cast, "score", "活动室开放哪些项目", ("乒乓球", "书法", "棋牌"), days=5)
    services.ballot_cast(
        actor=hall.residents[1], vote=score, marks={o.pk: i + 2 for i, o in enumerate(score.options.all())}
    )
    rated = services.meeting_create(
        actor=worker, node=cast.community, kind="monthly", title="三月月度议事", scheduled_at=timezone.now()
    )
    services.agenda_item_add(actor=worker, meeting=rated, title="楼道照明", other_sources=[("visit", "走访")])
    services.meeting_transition(actor=worker, meeting=rated, action="open_deliberation")
    services.participant_mark_present(
        actor=worker,
        participant=services.participant_add(actor=worker, meeting=rated, side="representative", name="李梅"),
    )
    services.minutes_save(actor=worker, meeting=rated, minutes="议定更换楼道灯。")
    lamp = services.decision_add(
        actor=worker, meeting=rated, text_="更换楼道灯", responsible_name="阳光物业", working_days=3
    )
    services.meeting_transition(actor=worker, meeting=rated, action="start_implementation")
    services.result_progress(actor=worker, result=lamp.results.get(), progress=100, note="已更换")
    services.meeting_transition(actor=worker, meeting=rated, action="open_evaluation")
    services.meeting_rate(actor=hall.residents[1], meeting=rated, rating="satisfied", answers=survey(rated))
    services.meeting_rate(
        actor=hall.residents[2],
        meeting=rated,
        rating="basic",
        answers=survey(rated, "satisfied", "basic", "unsatisfied"),
    )
    filed = services.meeting_create(
        actor=worker, node=cast.community, kind="yard", title="二月坝坝会", scheduled_at=timezone.now()
    )
    Meeting.objects.filter(pk=filed.pk).update(stage="file", filed_at=timezone.now() - dt.timedelta(days=7))
    services.minutes_save(actor=worker, meeting=meeting, minutes="议定夜间开放东侧场地停车。")
    services.decision_add(
        actor=worker,
        meeting=meeting,
        text_="东侧场地夜间开放停车",
        responsible_name="阳光物业",
        working_days=2,
    )
    with time_machine.travel(timezone.now() + dt.timedelta(days=30)):
        jobs.warn_overdue_results()  # the result is escalated up to the district
    base = live_server.url
    staff_pages = {
        "meetings": "/deliberation/",
        "meeting-new": "/deliberation/meetings/new/",
        "calendar": "/deliberation/calendar/",
        "meeting": f"/deliberation/meetings/{meeting.pk}/",
        "vote-new": "/deliberation/votes/new/",
        "vote-staff": f"/deliberation/hall/votes/{vote.pk}/",
        "moderation": "/deliberation/moderation/",
        "topic-staff": f"/deliberation/hall/topics/{topic.pk}/",
        "vote-ranking-staff": f"/deliberation/hall/votes/{ranking.pk}/",
        "meeting-rated": f"/deliberation/meetings/{rated.pk}/",
        "filings": "/deliberation/filings/",
    }
    street_pages = {"filings": "/deliberation/filings/"}
    resident_pages = {
        "home": "/",
        "hall": "/deliberation/hall/",
        "topic": f"/deliberation/hall/topics/{topic.pk}/",
        "topic-new": "/deliberation/hall/topics/new/",
        "vote": f"/deliberation/hall/votes/{vote.pk}/",
        "meeting-public": f"/deliberation/hall/meetings/{meeting.pk}/",
        "sign-in": f"/deliberation/sign-in/{meeting.sign_in_token}/",
        "public": "/deliberation/public/",
        "vote-ranking": f"/deliberation/hall/votes/{ranking.pk}/",
        "vote-ranking-done": f"/deliberation/hall/votes/{ranking.pk}/",
        "vote-score": f"/deliberation/hall/votes/{score.pk}/",
        "survey": f"/deliberation/hall/meetings/{rated.pk}/",
    }
    problems: list[str] = []
    for size, viewport in SIZES.items():
        for who, user, pages in (
            ("staff", worker, staff_pages),
            ("resident", hall.residents[0], resident_pages),
            ("street", cast.street_officer, street_pages),
        ):
            page = signed_in_page(browser, size, user, base)
            page.on("pageerror", lambda e: problems.append(str(e)))
            page.on("response", lambda r: problems.append(f"{r.status} {r.url}") if r.status >= 400 else None)
            for name, path in pages.items():
                if name == "vote-ranking-done" and size == "phone":  # ranked on the page once, then counted
                    for i, select in enumerate(page.locator("select[name^=mark_]").all()):
                        select.select_option(str(3 - i))
                    confirm_next(page)
                    page.get_by_role("button", name="投票").click()
                    page.wait_for_load_state()
                else:
                    page.goto(base + path)
                wide = page.evaluate("document.documentElement.scrollWidth")
                if wide > viewport["width"] + 1:
                    culprits = page.evaluate(
                        "w => [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect()"
                        ".right > w + 1 && ![...e.children].some(c => c.getBoundingClientRect().right > w + 1))"
                        ".slice(0, 3).map(e => e.tagName + '.' + e.className)",
                        viewport["width"],
                    )
                    problems.append(f"{name} is {wide}px wide on a {size}: {culprits}")
                shot(page, f"{size}-{who}-{name}")
            page.context.close()
    assert problems == []
