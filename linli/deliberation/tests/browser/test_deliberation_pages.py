"""Every co-governance page in headless Chromium on a phone (390 × 844) and a desktop (1400 × 900): it loads without
a script error or a failed request, nothing is wider than the screen, and a screenshot is kept to look at."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from linli.testing.browser import browser_context

from .test_deliberation_walk import _session, _shot

pytestmark = pytest.mark.browser

SIZES = {
    "phone": {
        "viewport": {"width": 390, "height": 844},
        "device_scale_factor": 2,
        "is_mobile": True,
        "has_touch": True,
    },
    "desktop": {"viewport": {"width": 1400, "height": 900}},
}


def test_every_page_at_both_sizes(live_server: Any, transactional_db: None, browser: Any) -> None:
    from linli.deliberation import services
    from linli.testing import build_cast

    from ..conftest import PNG, build_hall

    hall = build_hall(build_cast())
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
    services.comment_add(actor=hall.residents[2], topic=topic, body="要看收费。", parent=comment)
    rude = services.comment_add(actor=hall.residents[3], topic=topic, body="不文明的话")
    for r in hall.residents[:3]:
        services.content_report(actor=r, comment=rude, reason="人身攻击")
    vote = services.vote_create(
        actor=worker,
        node=cast.compound,
        title="使用维修资金加装电梯",
        method="owners",
        matter="special",
        closes_at=timezone.now() + dt.timedelta(days=5),
    )
    agree = vote.options.get(key="agree").pk
    services.ballot_cast(actor=hall.residents[1], vote=vote, option_ids=[agree])
    services.ballot_record_paper(
        actor=cast.grid_worker,
        vote=vote,
        household=hall.households[4],
        option_ids=[agree],
        photo=SimpleUploadedFile("b.png", PNG, "image/png"),
    )
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
    }
    resident_pages = {
        "home": "/",
        "hall": "/deliberation/hall/",
        "topic": f"/deliberation/hall/topics/{topic.pk}/",
        "topic-new": "/deliberation/hall/topics/new/",
        "vote": f"/deliberation/hall/votes/{vote.pk}/",
        "meeting-public": f"/deliberation/hall/meetings/{meeting.pk}/",
        "sign-in": f"/deliberation/sign-in/{meeting.sign_in_token}/",
        "public": "/deliberation/public/",
    }
    problems: list[str] = []
    for size, options in SIZES.items():
        for who, user, pages in (
            ("staff", worker, staff_pages),
            ("resident", hall.residents[0], resident_pages),
        ):
            context = browser_context(browser, **options)
            _session(context, user, base)
            page = context.new_page()
            page.on("pageerror", lambda e: problems.append(str(e)))
            page.on("response", lambda r: problems.append(f"{r.status} {r.url}") if r.status >= 400 else None)
            for name, path in pages.items():
                page.goto(base + path)
                wide = page.evaluate("document.documentElement.scrollWidth")
                if wide > options["viewport"]["width"] + 1:  # type: ignore[index]
                    problems.append(f"{name} is {wide}px wide on a {size}")
                _shot(page, f"{size}-{who}-{name}")
            context.close()
    assert problems == []
