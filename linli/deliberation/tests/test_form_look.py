"""Deliberation's forms are drawn by core's one partial (core/partials/form_fields.html), as every other app's: a red *
beside the label of a required field, help text and errors tied to their input (aria-describedby naming an element
that is on the page), and no look of deliberation's own for a field."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse

import linli.deliberation
from linli.testing import Cast

from .conftest import meeting_deliberating

pytestmark = pytest.mark.django_db

APP = Path(linli.deliberation.__file__).resolve().parent


def _marked(page: str, label: str) -> bool:
    """Whether `label` is a field's label with core's red * beside it (outside the label)."""
    return bool(
        re.search(
            rf"<label for=\"[^\"]+\">{label}</label><span class=\"req\" aria-hidden=\"true\">\*</span>", page
        )
    )


def _described_ids_missing(page: str) -> list[str]:
    """The ids an input names in aria-describedby that no element on the page carries."""
    named = [i for ids in re.findall(r'aria-describedby="([^"]+)"', page) for i in ids.split()]
    return [i for i in named if f'id="{i}"' not in page]


def test_the_new_meeting_form_marks_required_fields_and_ties_its_errors_to_their_input(
    cast: Cast, client_for: Any
) -> None:
    worker = client_for("community_worker")
    page = worker.get(reverse("deliberation:meeting_new")).content.decode()
    assert _marked(page, "标题") and _marked(page, "日期和时间")
    assert not _marked(page, "地点")  # optional: no mark
    refused = worker.post(reverse("deliberation:meeting_new"), {"kind": "joint", "title": "议" * 130})
    page = refused.content.decode()
    assert refused.status_code == 422 and "议" * 130 in page
    title = re.search(r'<input[^>]*name="title"[^>]*>', page)
    assert (
        title
        and 'aria-describedby="id_title_error"' in title.group(0)
        and 'aria-invalid="true"' in title.group(0)
    )
    assert '<ul class="errorlist" id="id_title_error" role="alert">' in page
    assert not _described_ids_missing(page)


def test_the_meeting_page_s_forms_mark_required_fields_and_tie_their_help_to_the_input(
    cast: Cast, client_for: Any
) -> None:
    meeting = meeting_deliberating(cast)
    page = (
        client_for("community_worker")
        .get(reverse("deliberation:meeting", args=[meeting.pk]))
        .content.decode()
    )
    assert _marked(page, "议题") and _marked(page, "姓名") and _marked(page, "决定内容")
    appeals = re.search(r'<input[^>]*name="appeals"[^>]*>', page)
    assert appeals and "aria-describedby=" in appeals.group(0)
    assert not _described_ids_missing(page)


def test_the_vote_form_ties_its_help_to_the_input(cast: Cast, client_for: Any) -> None:
    page = client_for("community_worker").get(reverse("deliberation:vote_new")).content.decode()
    assert _marked(page, "标题") and _marked(page, "截止时间")
    assert 'aria-describedby="id_voter_helptext"' in page and 'id="id_voter_helptext"' in page
    assert not _described_ids_missing(page)


def test_deliberation_has_no_form_partial_or_field_look_of_its_own() -> None:
    assert not (APP / "templates/deliberation/partials/fields.html").exists()
    own = re.compile(r"(?<![\w-])dl-(?:form|error|has-error|help|check)(?![\w-])")
    found = [
        str(path.relative_to(APP))
        for path in sorted(
            [*APP.rglob("templates/**/*.html"), *APP.rglob("static/**/*.css"), *APP.rglob("static/**/*.js")]
        )
        if own.search(path.read_text(encoding="utf-8"))
    ]
    assert found == []
