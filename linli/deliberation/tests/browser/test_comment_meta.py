"""In headless Chromium on a phone: under a topic's comment, its author and time stand apart from "举报" (they ran
into each other: "11-16 10:00▸ 举报"), and the report form opens below them."""

from __future__ import annotations

from typing import Any

import pytest

from ..conftest import Hall
from .conftest import shot, signed_in_page

pytestmark = pytest.mark.browser

# The box of the text that holds the comment's time ("12-06 15:22"), wherever the markup puts it.
_TIME_BOX = """(meta) => {
  const walker = document.createTreeWalker(meta, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (/\\d\\d-\\d\\d \\d\\d:\\d\\d/.test(node.textContent)) {
      const range = document.createRange();
      range.selectNodeContents(node);
      const rects = range.getClientRects();
      const r = rects[rects.length - 1];
      return {left: r.left, right: r.right, top: r.top, bottom: r.bottom};
    }
  }
  return null;
}"""


@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_the_comments_time_stands_apart_from_the_report_link(
    live_server: Any, browser_hall: Hall, browser: Any, size: str
) -> None:
    from linli.deliberation import services

    hall = browser_hall
    topic = services.topic_create(
        actor=hall.residents[0], title="广场舞音乐晚上太吵", body="每天晚上音乐声很大。"
    )
    comment = services.comment_add(
        actor=hall.residents[1], topic=topic, body="可以约定九点前结束，音量小一点。"
    )
    page = signed_in_page(browser, size, hall.residents[2], live_server.url)
    page.goto(f"{live_server.url}/deliberation/hall/topics/{topic.pk}/")
    own = page.locator(f"#c{comment.pk}")
    meta = own.locator(".dl-meta").first
    time_box = meta.evaluate(_TIME_BOX)
    report = own.locator("summary").first.bounding_box()
    assert time_box is not None and report is not None
    beside = report["x"] >= time_box["right"] + 8  # on the same line, a clear gap between
    below = report["y"] >= time_box["bottom"] - 1  # or on a line of its own
    assert beside or below, (time_box, report)
    own.locator("summary").first.click()
    field = own.locator("input[name=reason]")
    assert field.bounding_box()["y"] >= time_box["bottom"]  # the form opens under the line, not beside it
    field.fill("广告")
    shot(page, f"comment-report-{size}")
    page.context.close()
