"""A meeting's decisions read on a phone: the decision, its agenda item and the hall topic it answers stack under
one another beside the label, instead of standing in three narrow columns (the decision four characters wide)."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from ..conftest import Hall, meeting_deliberating
from .conftest import shot, signed_in_page

pytestmark = pytest.mark.browser


def test_a_decision_and_what_it_answers_stack_on_a_phone(
    live_server: Any, browser_hall: Hall, browser: Any
) -> None:
    from linli.deliberation import services

    cast = browser_hall.cast
    meeting = meeting_deliberating(cast, title="楼道堆物占用消防通道")
    topic = services.topic_create(
        actor=browser_hall.residents[0], title="楼道里堆满杂物", body="消防通道被堵"
    )
    services.decision_add(
        actor=cast.community_worker,
        meeting=meeting,
        text_="开展楼道堆物集中清理",
        responsible_name="物业服务中心",
        working_days=5,
        item=meeting.agenda.first(),
        topic=topic,
    )
    page = signed_in_page(browser, "phone", cast.grid_worker, live_server.url)
    page.goto(live_server.url + reverse("deliberation:meeting", args=[meeting.pk]))
    shot(page, "decisions-phone")
    decided, item = (
        page.evaluate(TEXT_BOX, text) for text in ("开展楼道堆物集中清理", "楼道堆物占用消防通道")
    )
    assert decided["width"] > 120  # the decision on one line, not four characters to a line
    assert item["top"] >= decided["bottom"]  # its agenda item under it, not beside it


# Where a text of the first decision's cell is drawn (the box of its own words, not of the element holding it).
TEXT_BOX = """text => {
  const walker = document.createTreeWalker(document.querySelector("#decisions td"), NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (node.textContent.includes(text)) {
      const range = document.createRange();
      range.selectNodeContents(node);
      const box = range.getBoundingClientRect();
      return {width: box.width, top: box.top, bottom: box.bottom};
    }
  }
  return null;
}"""
