"""An id a service refuses is refused under the field that named it: on the page under its form field (not above
the form as a refusal of the whole), in the API under the body's field (`topic_ids`, `parent_id`, `option_ids`,
`marks`), as the service names its arguments."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from linli.core.errors import ValidationFailed
from linli.core.pages import apply_domain_error
from linli.deliberation import services
from linli.deliberation.forms import AgendaForm
from linli.deliberation.models import AgendaItem, Ballot, Comment, Topic
from linli.testing import Cast, signed_in

from .conftest import PNG, Hall, meeting_in, single_vote, vote_of

pytestmark = pytest.mark.django_db
JSON = "application/json"


def _topic_elsewhere(cast: Cast) -> Topic:
    return Topic.objects.create(node=cast.other_community, title="别处的话题", body="光明社区的事")


def test_an_unknown_appeal_on_the_agenda_form_is_said_under_its_field(cast: Cast, client_for: Any) -> None:
    meeting = meeting_in(cast)
    refused = client_for("community_worker").post(
        reverse("deliberation:agenda_add", args=[meeting.pk]), {"title": "停车", "appeals": "NOPE-1"}
    )
    page = refused.content.decode()
    assert refused.status_code == 422
    under = page[page.index('id="id_appeals_error"') :]
    assert under.index("您的辖区内没有编号为 NOPE-1 的诉求") < under.index("</ul>")
    assert not AgendaItem.objects.filter(meeting=meeting).exists()


def test_a_topic_the_agenda_service_refuses_goes_under_the_forms_topics(cast: Cast) -> None:
    """The topic picker offers only the area's topics, so the service's refusal reaches the page only when one
    changed meanwhile; it is put under the picker all the same (apply_domain_error, as form_errors does)."""
    meeting = meeting_in(cast)
    topic = _topic_elsewhere(cast)
    with pytest.raises(ValidationFailed) as refused:
        services.agenda_item_add(
            actor=cast.community_worker, meeting=meeting, title="停车", topic_ids=[topic.pk]
        )
    form = AgendaForm({"title": "停车"}, meeting=meeting, user=cast.community_worker)
    assert form.is_valid()
    apply_domain_error(form, refused.value)
    assert form.errors["topics"] == ["该议事厅议题不在您的辖区内。"] and not form.non_field_errors()


@pytest.mark.parametrize(
    ("field", "given"),
    [("topic_ids", "topic"), ("appeal_numbers", ["NOPE-1"]), ("monthly_topic_ids", [999_999])],
)
def test_the_agenda_api_refuses_a_source_under_its_body_field(
    cast: Cast, client_for: Any, field: str, given: Any
) -> None:
    meeting = meeting_in(cast)
    value = [_topic_elsewhere(cast).pk] if given == "topic" else given
    refused = client_for("community_worker").post(
        f"/api/deliberation/meetings/{meeting.pk}/agenda", {"title": "停车", field: value}, content_type=JSON
    )
    assert refused.status_code == 422, refused.content
    assert refused.json()["extra"]["field"] == field
    assert not AgendaItem.objects.filter(meeting=meeting).exists()


def test_a_reply_to_a_comment_that_is_not_there_is_refused_under_parent_id_in_the_api(hall: Hall) -> None:
    topic = services.topic_create(actor=hall.residents[0], title="快递柜", body="希望增设快递柜")
    refused = signed_in(hall.residents[1]).post(
        f"/api/deliberation/topics/{topic.pk}/comments",
        {"body": "同意", "parent_id": 999_999},
        content_type=JSON,
    )
    assert refused.status_code == 422 and refused.json()["extra"]["field"] == "parent_id"
    assert not Comment.objects.exists()


def test_a_ballot_refused_in_the_api_names_option_ids_or_marks(hall: Hall) -> None:
    multiple = vote_of(hall.cast, "multiple", "活动室开放哪些项目", ("棋牌", "书画", "舞蹈"), days=7)
    ranking = vote_of(hall.cast, "ranking", "先修哪一处", ("路面", "路灯", "车棚"), days=7)
    first = ranking.options.get(label="路面").pk
    api = signed_in(hall.residents[0])
    nothing = api.post(f"/api/deliberation/votes/{multiple.pk}/ballot", {"option_ids": []}, content_type=JSON)
    assert nothing.status_code == 422 and nothing.json()["extra"]["field"] == "option_ids"
    partial = api.post(
        f"/api/deliberation/votes/{ranking.pk}/ballot", {"marks": {str(first): 1}}, content_type=JSON
    )
    assert partial.status_code == 422 and partial.json()["extra"]["field"] == "marks"
    assert not Ballot.objects.exists()


def _choice_field(page: str, label_id: str) -> str:
    """The hand-drawn choice field whose options are labelled by `label_id`: from its field to its options."""
    end = page.index(f'aria-labelledby="{label_id}"')
    start = max(page.rfind(f'<div class="field{mark}', 0, end) for mark in ('"', " has-error"))
    return page[start:end]


def test_a_refused_ballot_is_said_in_its_choice_not_above_the_ballot(hall: Hall) -> None:
    vote = vote_of(hall.cast, "multiple", "活动室开放哪些项目", ("棋牌", "书画", "舞蹈"), days=7)
    refused = signed_in(hall.residents[0]).post(reverse("deliberation:ballot", args=[vote.pk]), {})
    page = refused.content.decode()
    assert refused.status_code == 422
    field = _choice_field(page, "ballot-choice")
    assert field.startswith('<div class="field has-error">')
    assert '<p class="field-error" role="alert" data-none-alert>请至少勾选一项。</p>' in field
    assert "form-errors" not in page[page.index('id="ballot-choice"') : page.index("data-none-alert")]


def test_a_paper_ballot_without_a_choice_is_said_under_the_choice_on_the_signed_form(
    hall: Hall, client_for: Any
) -> None:
    vote = single_vote(hall.cast)
    refused = client_for("grid_worker").post(
        reverse("deliberation:paper_ballot", args=[vote.pk]),
        {
            "household": hall.households[1].code,
            "photo": SimpleUploadedFile("form.png", PNG, "image/png"),
        },
    )
    page = refused.content.decode()
    assert refused.status_code == 422
    field = _choice_field(page, "paper-choice")
    assert field.startswith('<div class="field has-error"') and "请选择一个选项。" in field
    paper = page[page.index('id="paper"') : page.index('id="paper-choice"')]
    assert "请选择一个选项。" not in paper  # not said again above the form's fields
    assert f'value="{hall.households[1].code}"' in page and not Ballot.objects.exists()
    # The browser forgets the photo of the signed form: said under it, to choose again (it was dropped silently).
    photo = page[page.index('id="id_photo_error"') :]
    assert photo.index("表单未保存，所选的文件没有保留：请重新选择。") < photo.index("</ul>")
