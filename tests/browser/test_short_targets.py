"""`linli.testing.browser.short_targets`, the one measure of what is too small to tap on a phone, on pages written
here: a tick box or a radio button is tapped through its label, so a 20 px box in a 44 px label is not short, and one
in a short label or in none is."""

from __future__ import annotations

from typing import Any

import pytest

from linli.testing.browser import short_targets, sized_context

pytestmark = pytest.mark.browser

PAGE = """<style>body {{ margin: 0; font: 15px/1.6 sans-serif; }} input {{ width: 20px; height: 20px; margin: 0; }}
.tall {{ display: flex; align-items: center; min-height: 44px; }}</style>
<main>{}</main>"""


@pytest.mark.parametrize(
    ("markup", "short"),
    [
        ('<label class="tall"><input type="checkbox" name="a">同意</label>', []),
        ('<label class="tall"><input type="radio" name="b">上午</label>', []),
        ('<input type="checkbox" id="c" name="c"><label class="tall" for="c">匿名投票</label>', []),
        ('<label><input type="checkbox" name="d">同意</label>', ["同意 20"]),
        ('<input type="radio" name="e">', ["e 20"]),
        ('<input type="text" name="f" style="height: 30px">', ["f 30"]),
    ],
)
def test_a_tick_box_is_as_tall_as_its_label(browser: Any, markup: str, short: list[str]) -> None:
    context = sized_context(browser, "phone")
    page = context.new_page()
    page.set_content(PAGE.format(markup))
    try:
        assert short_targets(page, "input, label:not(:has(input))", within="main") == short
    finally:
        context.close()
