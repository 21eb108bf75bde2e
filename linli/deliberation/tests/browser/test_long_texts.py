"""In headless Chromium on a phone: long words stay inside the page (a pasted link in a topic or a comment ran off
the right edge of the card), and a long option keeps its round button full size (it shrank to a dot)."""

from __future__ import annotations

from typing import Any

import pytest

from ..conftest import Hall, vote_of
from .conftest import shot, signed_in_page

pytestmark = pytest.mark.browser

LINK = "https://example.com/" + "a" * 120  # one word, wider than any phone


def test_a_pasted_link_and_a_long_option_stay_inside_a_phone(
    live_server: Any, browser_hall: Hall, browser: Any
) -> None:
    from linli.deliberation import services

    hall = browser_hall
    topic = services.topic_create(actor=hall.residents[0], title="人行道被占用", body=f"照片见 {LINK}")
    services.comment_add(actor=hall.residents[1], topic=topic, body=LINK)
    vote = vote_of(
        hall.cast, "single", "人行道整治方案", ("拆除违规占道设施并施划非机动车停放区" * 3, "维持现状")
    )
    page = signed_in_page(browser, "phone", hall.residents[2], live_server.url)
    page.goto(f"{live_server.url}/deliberation/hall/topics/{topic.pk}/")
    wide = page.evaluate("document.documentElement.scrollWidth")
    assert wide <= 390, wide  # no sideways scrolling
    for text in page.get_by_text(LINK).all():
        box = text.bounding_box()
        assert box is not None and box["x"] + box["width"] <= 390, box
    shot(page, "long-link-phone")
    page.goto(f"{live_server.url}/deliberation/hall/votes/{vote.pk}/")
    sizes = [b.bounding_box() for b in page.locator("input[name=option]").all()]
    assert all(s is not None and s["width"] >= 20 for s in sizes), sizes  # both buttons full size
    shot(page, "long-option-phone")
    page.context.close()
