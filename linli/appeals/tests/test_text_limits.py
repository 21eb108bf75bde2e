"""A text too long for an appeal is refused with a clear message naming the field and its limit, and nothing typed
is lost, on every way in: the resident's page, the hotline and patrol forms, the API and Open311. Nothing cuts it:
not the browser (a `maxlength` cuts a pasted text without a word), not the server.
Open311's address: test_open311.py."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from linli.appeals.models import Appeal
from linli.appeals.tests.factories import SUBMIT, post, resident_form
from linli.testing import Cast

LONG_TITLE = "三号楼楼道灯" * 17  # 102 characters: over the 100 a title may have
LONG_TEXT = "楼道灯坏了，" * 350  # 2100 characters: over the 2000 a description may have


def limits(page: str) -> list[str]:
    """The `maxlength` attributes of the page's text fields: each one cuts what is pasted beyond it."""
    return re.findall(r'<(?:input|textarea)[^>]*\smaxlength="\d+"[^>]*>', page)


@pytest.mark.parametrize(
    ("who", "url"),
    [
        ("resident", "appeals:new"),
        (None, "appeals:new"),
        ("community_worker", "appeals:hotline"),
        ("grid_worker", "appeals:patrol"),
    ],
)
def test_no_appeal_form_lets_the_browser_cut_a_pasted_text(
    cast: Cast, client_for: Any, who: str | None, url: str
) -> None:
    client = client_for(who) if who else Client()
    page = client.get(reverse(url)).content.decode()
    assert 'name="description"' in page
    assert limits(page) == []
    assert 'data-max="2000"' in page and 'data-max="100"' in page  # the counter still knows the limit


def test_the_resident_page_refuses_a_long_text_naming_the_limit_and_keeps_all_of_it(
    cast: Cast, client_for: Any
) -> None:
    response = client_for("resident").post(
        reverse("appeals:new"), resident_form(title=LONG_TITLE, description=LONG_TEXT)
    )
    assert response.status_code == 422
    text = response.content.decode()
    assert "标题太长：最多 100 个字（您已输入 102 个字）" in text
    assert "问题描述太长：最多 2000 个字（您已输入 2100 个字）" in text
    assert f'value="{LONG_TITLE}"' in text and f"{LONG_TEXT}</textarea>" in text  # nothing typed is lost
    assert Appeal.objects.count() == 0


def test_the_hotline_refuses_a_long_title_naming_the_limit_and_keeps_it(cast: Cast, client_for: Any) -> None:
    response = client_for("community_worker").post(
        reverse("appeals:hotline"),
        {
            "kind": "complaint",
            "title": LONG_TITLE,
            "description": "3号楼2单元楼道灯坏了一个星期了。",
            "caller_name": "赵女士",
            "caller_phone": "13900002222",
            "priority": "normal",
            "grid": cast.grid.code,
            "idempotency_key": "hotline-long-title-0001",
        },
    )
    assert response.status_code == 422
    text = response.content.decode()
    assert "标题太长：最多 100 个字（您已输入 102 个字）" in text
    assert f'value="{LONG_TITLE}"' in text
    assert Appeal.objects.count() == 0


@pytest.mark.parametrize(
    ("change", "field", "said"),
    [
        ({"title": LONG_TITLE}, "title", "标题太长：最多 100 个字（您已输入 102 个字）"),
        ({"description": LONG_TEXT}, "description", "问题描述太长：最多 2000 个字（您已输入 2100 个字）"),
        ({"description": "吵" * 4001}, "description", "问题描述太长：最多 2000 个字（您已输入 4001 个字）"),
        ({"address": "和平路" * 70}, "address", "地址太长：最多 200 个字（您已输入 210 个字）"),
    ],
)
def test_the_api_refuses_a_long_text_with_the_field_and_its_limit(
    cast: Cast, change: dict[str, Any], field: str, said: str
) -> None:
    response = post(Client(), "/api/appeals/", {**SUBMIT, "contact_phone": "13900001111", **change})
    assert response.status_code == 422, response.content
    body = response.json()
    assert body["extra"]["field"] == field
    assert body["message"] == said + "。"
    assert Appeal.objects.count() == 0


def test_a_note_typed_on_a_summoned_unit_is_refused_whole_with_its_limit_and_given_back(
    cast: Cast, client_for: Any
) -> None:
    """The notes of a part's steps are typed beside its buttons, not on a form the page shows again: a note too
    long is refused with its limit named (not "the part is missing") and comes back to the form it was typed in."""
    from linli.appeals.models import AppealEvent
    from linli.appeals.tests.test_qa_walk import _summoned
    from linli.testing.kept import kept_input

    appeal, part = _summoned(cast)
    worker = client_for("community_worker")
    page = worker.get(reverse("appeals:detail", args=[appeal.pk])).content.decode()
    assert f'id="urge-note-{part.pk}" name="note" rows="2" data-max="1000"' in page
    urge = reverse("appeals:part_act", args=[appeal.pk, "urge"])
    for note, said in [
        ("请尽快到场。" * 175, "备注太长：最多 1000 个字（您已输入 1050 个字）"),  # the service's limit
        ("请尽快到场。" * 350, "备注太长：最多 2000 个字（您已输入 2100 个字）"),  # the form's
    ]:
        back = worker.post(urge, {"part_id": part.pk, "note": note}, follow=True)
        text = back.content.decode()
        assert back.redirect_chain[-1][0] == reverse("appeals:detail", args=[appeal.pk])
        assert said in text and "找不到该协办事项" not in text
        assert kept_input(text) == {"part_id": str(part.pk), "note": note}
    assert not AppealEvent.objects.filter(appeal=appeal, action="part_urge").exists()
