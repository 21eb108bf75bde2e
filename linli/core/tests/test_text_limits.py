"""The shared pieces that keep a typed text whole: a service refuses a text too long with the field and its limit
named (never cuts it), and a form refused after it was sent has what was typed kept for the page it goes back to."""

from __future__ import annotations

import pytest
from django.contrib.sessions.backends.signed_cookies import SessionStore
from django.test import RequestFactory

from linli.core.errors import ValidationFailed
from linli.core.kept import fill_kept_form, keep_posted, take_kept
from linli.core.validators import clean_text
from linli.testing.kept import field_shows


def test_a_text_too_long_is_refused_whole_naming_its_field_and_limit() -> None:
    assert clean_text("reason", "  油烟  ", most=200) == "油烟"
    with pytest.raises(ValidationFailed) as refused:
        clean_text("reason", "油" * 201, most=200)
    assert refused.value.extra == {"field": "reason"}
    assert str(refused.value.message) == "原因太长：最多 200 个字（您已输入 201 个字）。"
    with pytest.raises(ValidationFailed) as labelled:
        clean_text("destination", "上海市浦东新", most=5, label="迁往")
    assert str(labelled.value.message) == "迁往太长：最多 5 个字（您已输入 6 个字）。"
    with pytest.raises(ValidationFailed) as plain:  # a field of no usual name, no label
        clean_text("code", "ABCDEF", most=5)
    assert str(plain.value.message) == "最多 5 个字符。"


def _posted(data: dict[str, str], path: str = "/things/7/close/") -> object:
    request = RequestFactory().post(path, data)
    request.session = SessionStore()
    return request


def test_a_refused_post_keeps_its_texts_once_for_the_page_it_goes_back_to() -> None:
    request = _posted(
        {
            "csrfmiddlewaretoken": "t",
            "next": "/x/",
            "password": "secret",
            "reason": "油烟" * 150,
            "part_id": "3",
        }
    )
    keep_posted(request)  # type: ignore[arg-type]
    page = RequestFactory().get("/things/7/")
    page.session = request.session  # type: ignore[attr-defined]
    assert take_kept(page) == {
        "action": "/things/7/close/",
        "fields": {"reason": "油烟" * 150, "part_id": "3"},
    }
    assert take_kept(page) is None  # given back once


def test_a_page_shown_again_for_a_refused_post_carries_what_it_typed() -> None:
    request = _posted({"note": "还有一处未清理", "blank": " "})
    assert take_kept(request) == {"action": "/things/7/close/", "fields": {"note": "还有一处未清理"}}  # type: ignore[arg-type]


PAGE = """<main>
<form method="post" action="/things/6/close/"><input type="hidden" name="part_id" value="2">
<input name="note" value="old"></form>
<form method="post" action="/things/7/close/"><input type="hidden" name="part_id" value="2">
<input name="note" data-max="200" placeholder="Note"></form>
<details><summary>Close</summary>
<form method="post" action="/things/7/close/"><input type="hidden" name="part_id" value="3">
<input name="note" data-max="200" value=""/>
<textarea name="body" rows="2">
</textarea>
<input type="checkbox" name="urgent" value="1">
<button name="publish" value="1">Publish</button><input type="submit" name="publish" value="1"></form>
</details>
</main>"""


def test_the_server_puts_what_was_typed_back_into_the_form_it_was_typed_in() -> None:
    """With no script at all: the one form posted to the kept address whose hidden fields hold what was sent, its
    texts in the input's value and the textarea's body (escaped), its folding opened; nothing else touched."""
    kept = {
        "action": "/things/7/close/",
        "fields": {
            "part_id": "3",
            "note": '油烟 "很大" <b>',
            "body": "第一行\n第二行",
            "urgent": "x",
            "publish": "0",
        },
    }
    html, filled = fill_kept_form(PAGE, kept, "/things/")
    assert filled
    assert field_shows(html, "/things/7/close/", "note") == ""  # the form of part 2 posted to that address
    third = html[html.index('value="3"') :]
    assert '<input name="note" data-max="200" value="油烟 &quot;很大&quot; &lt;b&gt;"/>' in third
    assert '<textarea name="body" rows="2">\n第一行\n第二行</textarea>' in third
    assert "<details open><summary>Close</summary>" in html
    assert '<input type="checkbox" name="urgent" value="1">' in third  # not a typed text
    assert '<input type="submit" name="publish" value="1">' in third  # a button keeps its value
    before = PAGE[: PAGE.index('value="3"')].replace("<details>", "<details open>")
    assert html.replace(third, "") == before  # the other forms as they were


def test_a_page_whose_form_is_not_there_is_left_for_the_script() -> None:
    kept = {"action": "/things/8/close/", "fields": {"note": "还有一处未清理"}}
    assert fill_kept_form(PAGE, kept, "/things/") == (PAGE, False)
    own = '<form method="post"><input name="note" value="x"></form>'  # no action: it posts to its page
    html, filled = fill_kept_form(own, kept, "/things/8/close/?from=list")
    assert filled and html == '<form method="post"><input name="note" value="还有一处未清理"></form>'


def test_a_choice_made_in_a_refused_form_is_put_back() -> None:
    """A <select> came back at the page's own choice (care's booking read 社区食堂送餐 again): its option chosen is
    marked selected, the page's own selected taken off; a choice no longer offered leaves the page's."""
    page = (
        '<form method="post" action="/plans/3/book/"><select name="kind">'
        '<option value="meal" selected>送餐</option><option value="bath">助浴</option></select>'
        '<select name="who"><option value="">—</option><option value="7">王</option></select>'
        '<input name="note"></form>'
    )
    kept = {"action": "/plans/3/book/", "fields": {"kind": "bath", "who": "9", "note": "周三下午"}}
    html, filled = fill_kept_form(page, kept, "/plans/3/")
    assert filled
    assert '<option value="meal">送餐</option><option value="bath" selected>助浴</option>' in html
    assert '<option value="">—</option><option value="7">王</option>' in html  # 9 is not offered
    assert '<input name="note" value="周三下午">' in html
