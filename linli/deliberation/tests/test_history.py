"""A meeting's history (5. 办理记录) reads as steps: each line says what happened — a stage change from one stage to
the next, or what was done (the survey's questions set…) — never an empty "→" or a bare note."""

from __future__ import annotations

import re
from typing import Any

from django.urls import reverse

from linli.deliberation import services
from linli.testing import Cast

from .conftest import meeting_in


def _history(page: str) -> list[str]:
    section = page[page.index('id="history"') :]
    section = section[: section.index("</section>")]
    lines = re.findall(r"<li[^>]*>(.*?)</li>", section, re.S)
    return [" ".join(re.sub(r"<[^>]+>", " ", line).split()) for line in lines]


def test_each_line_of_a_meetings_history_says_what_happened(cast: Cast, client_for: Any) -> None:
    worker = cast.community_worker
    meeting = meeting_in(cast)
    services.survey_questions_set(
        actor=worker, meeting=meeting, questions=["楼道是否更整洁？", "停车是否方便了？"]
    )
    services.agenda_item_add(actor=worker, meeting=meeting, title="夜间停车难")
    services.meeting_transition(actor=worker, meeting=meeting, action="open_deliberation")
    page = client_for("community_worker").get(reverse("deliberation:meeting", args=[meeting.pk]))
    lines = _history(page.content.decode())
    name = worker.display_name
    assert [line.split(" ", 2)[2] for line in lines] == [
        f"{name}： 召集会议 → 民意征集",
        f"{name}： 设置评价问卷 · 楼道是否更整洁？；停车是否方便了？",
        f"{name}： 民意征集 → 事务共商",
    ]
