"""Splitting a message that raises several issues (issue 16): each part becomes an appeal of its own (category,
unit by routing, deadlines, queue) that points back at the original; the original closes and says so in its trace;
the resident sees the parts; the page and the desk show the categories the classifier reads in the message."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from linli.appeals import services
from linli.appeals.models import Appeal
from linli.appeals.tests.factories import submit
from linli.core.errors import InvalidTransition, PermissionDenied, ValidationFailed
from linli.testing import Cast
from linli.triage.models import LabelledExample

LAMP = "3号楼2单元楼道灯坏了一个多月没人修，晚上老人上下楼很危险。"
FUMES = "另外楼下烧烤店油烟太大，每天晚上熏得窗户都不敢开。"
TWO_ISSUES = {"title": "楼道灯和油烟", "description": LAMP + FUMES}
PARTS = [
    services.SplitPart("property_management.property_service", LAMP),
    services.SplitPart("environment.cooking_fumes", FUMES, title="楼下烧烤油烟"),
]


def _two_issues(cast: Cast) -> Appeal:
    return submit(cast, **TWO_ISSUES)


def _post(client: Client, url: str, data: dict[str, Any]) -> Any:
    return client.post(url, data=json.dumps(data), content_type="application/json")


def test_each_part_becomes_an_appeal_routed_by_its_own_category(cast: Cast) -> None:
    original = _two_issues(cast)
    labels_before = LabelledExample.objects.count()
    parts = services.appeal_split(actor=cast.grid_worker, appeal=original, parts=PARTS, reason="两件事")
    original.refresh_from_db()
    assert (original.state, original.outcome) == ("closed", "split")
    assert original.closed_at is not None
    event = original.events.order_by("-at", "-id").first()
    assert event is not None and event.action == "split" and event.reason == "两件事"
    assert event.data == {"parts": [p.tracking_number for p in parts]}
    assert [p.category.code for p in parts if p.category] == [
        "property_management.property_service",
        "environment.cooking_fumes",
    ]
    for part in parts:
        part.refresh_from_db()
        assert part.split_from_id == original.pk
        assert part.resident_id == cast.resident.pk and part.contact_phone == original.contact_phone
        assert part.grid_id == cast.grid.pk and part.is_open
        assert part.tier and part.resolve_due_at is not None, "routed, with its unit's deadline"
        assert part.total_due_at == original.total_due_at, "the resident's clock runs from their submission"
        assert part.events.filter(action="submit").exists()
    assert parts[1].title == "楼下烧烤油烟" and parts[0].description == LAMP
    # The handler's choices teach the classifier, one labelled example per part.
    assert LabelledExample.objects.count() == labels_before + 2
    assert set(original.split_parts.values_list("pk", flat=True)) == {p.pk for p in parts}


def test_split_needs_two_parts_each_with_a_known_category_and_text(cast: Cast) -> None:
    original = _two_issues(cast)
    with pytest.raises(ValidationFailed) as one:
        services.appeal_split(actor=cast.grid_worker, appeal=original, parts=PARTS[:1])
    assert one.value.extra["field"] == "parts"
    with pytest.raises(ValidationFailed) as unknown:
        services.appeal_split(
            actor=cast.grid_worker,
            appeal=original,
            parts=[PARTS[0], services.SplitPart("no.such", FUMES)],
        )
    assert unknown.value.extra["field"] == "parts.2.category_code"
    with pytest.raises(ValidationFailed) as empty:
        services.appeal_split(
            actor=cast.grid_worker,
            appeal=original,
            parts=[services.SplitPart("environment.noise", "  "), PARTS[1]],
        )
    assert empty.value.extra["field"] == "parts.1.description"
    original.refresh_from_db()
    assert original.is_open and not Appeal.objects.filter(split_from=original).exists()


def test_only_its_handler_or_the_tier_above_splits_and_only_before_work_starts(cast: Cast) -> None:
    original = _two_issues(cast)
    with pytest.raises(PermissionDenied):
        services.appeal_split(actor=cast.outsider, appeal=original, parts=PARTS)
    with pytest.raises(PermissionDenied):
        services.appeal_split(actor=cast.resident, appeal=original, parts=PARTS)
    services.appeal_acknowledge(actor=cast.grid_worker, appeal=original)
    services.appeal_start(actor=cast.grid_worker, appeal=original)
    with pytest.raises(InvalidTransition):
        services.appeal_split(
            actor=cast.community_worker, appeal=Appeal.objects.get(pk=original.pk), parts=PARTS
        )
    assert not Appeal.objects.filter(split_from=original).exists()


def test_api_splits_and_both_sides_name_each_other(cast: Cast, client_for: Any) -> None:
    original = _two_issues(cast)
    worker = client_for("grid_worker")
    assert "split" in worker.get(f"/api/appeals/{original.pk}").json()["actions"]
    body = {
        "parts": [
            {"category_code": "property_management.property_service", "description": LAMP},
            {"category_code": "environment.cooking_fumes", "description": FUMES},
        ],
        "reason": "一信两事",
    }
    answer = _post(worker, f"/api/appeals/{original.pk}/split", body)
    assert answer.status_code == 200, answer.content
    data = answer.json()
    assert (data["state"], data["outcome"]) == ("closed", "split")
    assert len(data["split_into"]) == 2
    part = Appeal.objects.get(tracking_number=data["split_into"][1])
    seen = client_for("resident").get(f"/api/appeals/{part.pk}").json()
    assert seen["split_from_tracking_number"] == original.tracking_number
    assert seen["category_code"] == "environment.cooking_fumes"


def test_api_split_errors_name_the_part(cast: Cast, client_for: Any) -> None:
    original = _two_issues(cast)
    body = {"parts": [{"category_code": "environment.noise", "description": LAMP}]}
    answer = _post(client_for("grid_worker"), f"/api/appeals/{original.pk}/split", body)
    assert answer.status_code == 422, answer.content
    assert answer.json()["extra"]["field"] == "parts"


def test_someone_who_cannot_see_the_appeal_gets_404(cast: Cast, client_for: Any) -> None:
    original = _two_issues(cast)
    body = {"parts": [{"category_code": c.category_code, "description": c.description} for c in PARTS]}
    outsider = client_for("outsider")
    assert _post(outsider, f"/api/appeals/{original.pk}/split", body).status_code == 404
    page = outsider.post(reverse("appeals:split", args=[original.pk]), {"rows": "2"})
    assert page.status_code == 404
    original.refresh_from_db()
    assert original.is_open


def test_the_page_shows_the_categories_read_in_the_message_and_prefills_the_parts(
    cast: Cast, client_for: Any
) -> None:
    original = _two_issues(cast)
    page = client_for("grid_worker").get(reverse("appeals:detail", args=[original.pk]))
    assert page.status_code == 200
    suggested = [s.category.code for s in page.context["split_suggested"]]
    assert {"property_management.property_service", "environment.cooking_fumes"} <= set(suggested)
    assert len(suggested) <= 3
    html = page.content.decode()
    assert 'id="split"' in html and 'data-suggested-code="environment.cooking_fumes"' in html
    # Each issue's row is filled with its own sentence and category.
    initial = page.context["split_form"].initial
    rows = {initial[f"parts.{n}.category_code"]: initial[f"parts.{n}.description"] for n in (1, 2)}
    assert rows == {"property_management.property_service": LAMP, "environment.cooking_fumes": FUMES}
    # The tier above may split it too; once work has started nobody may.
    above = client_for("community_worker").get(reverse("appeals:detail", args=[original.pk]))
    assert 'id="split"' in above.content.decode()  # the tier above may split it too
    services.appeal_acknowledge(actor=cast.grid_worker, appeal=original)
    services.appeal_start(actor=cast.grid_worker, appeal=original)
    later = client_for("grid_worker").get(reverse("appeals:detail", args=[original.pk]))
    assert "split_form" not in later.context and 'id="split"' not in later.content.decode()


def test_one_issue_read_as_another_category_does_not_contradict_the_appeals_own(
    cast: Cast, client_for: Any
) -> None:
    # The resident chose the property company; the classifier reads one issue, the cooking fumes.
    appeal = submit(cast, title="楼下烧烤油烟", description=FUMES)
    page = client_for("grid_worker").get(reverse("appeals:detail", args=[appeal.pk]))
    suggested = [s.category.code for s in page.context["split_suggested"]]
    assert suggested == ["environment.cooking_fumes"], suggested  # the premise: one issue, another category
    html = page.content.decode()
    assert "系统从留言中只识别出一个问题。" in html
    assert "只识别出一个问题：" not in html  # no second category named beside the appeal's own
    initial = page.context["split_form"].initial
    assert initial["parts.1.category_code"] == "property_management.property_service"
    assert initial["parts.1.description"] == FUMES


def test_several_issues_read_keep_the_appeals_own_category_on_the_first_row(
    cast: Cast, client_for: Any
) -> None:
    """The first row is the rest of the message, the issue the appeal was filed under: it keeps the category a
    person gave the appeal (an emergency call filed under 养老服务 prefilled its first row with the model's 物业服务质量),
    as the first row of a one-issue message does."""
    appeal = submit(cast, category_code="environment.noise", **TWO_ISSUES)
    page = client_for("grid_worker").get(reverse("appeals:detail", args=[appeal.pk]))
    suggested = page.context["split_suggested"]
    codes = [s.category.code for s in suggested]
    assert (
        len(codes) == 2 and "environment.noise" not in codes
    )  # the premise: two issues, neither the appeal's
    initial = page.context["split_form"].initial
    assert initial["parts.1.category_code"] == "environment.noise"  # was the model's suggested[0]
    assert initial["parts.2.category_code"] == suggested[1].category.code
    assert {initial["parts.1.description"], initial["parts.2.description"]} == {LAMP, FUMES}


def _form(**rows: str) -> dict[str, str]:
    data = {
        "rows": "3",
        "seen_state": "dispatched",
        "reason": "",
        "parts.1.category_code": "property_management.property_service",
        "parts.1.title": "",
        "parts.1.description": LAMP,
        "parts.2.category_code": "environment.cooking_fumes",
        "parts.2.title": "",
        "parts.2.description": FUMES,
        "parts.3.category_code": "",
        "parts.3.title": "",
        "parts.3.description": "",
    }
    data.update(rows)
    return data


def test_the_htmx_form_splits_and_sends_the_handler_to_the_appeal(cast: Cast, client_for: Any) -> None:
    original = _two_issues(cast)
    answer = client_for("grid_worker").post(
        reverse("appeals:split", args=[original.pk]), _form(), HTTP_HX_REQUEST="true"
    )
    assert answer.status_code == 204, answer.content
    assert answer["HX-Redirect"] == reverse("appeals:detail", args=[original.pk])
    original.refresh_from_db()
    assert original.outcome == "split" and original.split_parts.count() == 2
    page = client_for("grid_worker").get(reverse("appeals:detail", args=[original.pk]))
    html = page.content.decode()
    for part in original.split_parts.all():
        assert part.tracking_number in html


def test_a_wrong_part_comes_back_in_the_form_with_everything_typed(cast: Cast, client_for: Any) -> None:
    original = _two_issues(cast)
    client = client_for("grid_worker")
    answer = client.post(
        reverse("appeals:split", args=[original.pk]),
        _form(**{"parts.2.category_code": "", "parts.2.title": "油烟的事"}),
        HTTP_HX_REQUEST="true",
    )
    assert answer.status_code == 422
    html = answer.content.decode()
    assert "Choose a category for part 2" in html or "请为第 2 件选择类别" in html
    assert FUMES in html and "油烟的事" in html
    original.refresh_from_db()
    assert original.is_open
    # Without JavaScript the whole page comes back, the form open with its errors.
    whole = client.post(reverse("appeals:split", args=[original.pk]), _form(**{"parts.2.description": ""}))
    assert whole.status_code == 422 and "<html" in whole.content.decode()
    assert whole.context["split_form"].errors


def test_the_resident_follows_the_parts(cast: Cast, client_for: Any) -> None:
    original = _two_issues(cast)
    parts = services.appeal_split(actor=cast.grid_worker, appeal=original, parts=PARTS)
    resident = client_for("resident")
    page = resident.get(reverse("appeals:resident_detail", args=[original.tracking_number]))
    html = page.content.decode()
    for part in parts:
        assert reverse("appeals:resident_detail", args=[part.tracking_number]) in html
    part_page = resident.get(reverse("appeals:resident_detail", args=[parts[1].tracking_number]))
    assert original.tracking_number in part_page.content.decode()
    inbox = cast.resident.notifications.order_by("-id").values_list("title", flat=True)  # type: ignore[attr-defined]
    assert any(parts[0].tracking_number in t and parts[1].tracking_number in t for t in inbox)


def test_the_triage_desk_shows_the_categories_of_a_multi_issue_message(
    cast: Cast, client_for: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from linli.appeals.tests.factories import classifier_says

    classifier_says(monkeypatch, "environment.noise", 0.05)  # unsure: the appeal waits at the desk
    waiting = submit(cast, category_code="", **TWO_ISSUES)
    single = submit(cast, category_code="", title="", description="小区门口的路灯坏了好几天了，晚上很黑。")
    assert waiting.state == single.state == "accepted"
    page = client_for("community_worker").get("/appeals/workbench/?tab=supervise")
    listed = {a.pk: a for a in page.context["appeals"]}
    codes = [s.category.code for s in listed[waiting.pk].suggested_categories]
    assert "environment.cooking_fumes" in codes and len(codes) >= 2
    assert listed[single.pk].suggested_categories == []
    assert 'data-suggested-code="environment.cooking_fumes"' in page.content.decode()


def test_the_figures_count_the_parts_not_the_split_appeal(cast: Cast) -> None:
    from django.utils import timezone

    from linli.appeals import figures

    original = _two_issues(cast)
    services.appeal_split(actor=cast.grid_worker, appeal=original, parts=PARTS)
    today = timezone.localdate()
    f = figures.compute(Appeal.objects.all(), start=today, end=today)
    assert (f.received, f.counted, f.open) == (3, 2, 2)


def test_a_second_submit_of_the_form_makes_no_second_set_of_parts(cast: Cast, client_for: Any) -> None:
    original = _two_issues(cast)
    client = client_for("grid_worker")
    url = reverse("appeals:split", args=[original.pk])
    assert client.post(url, _form(), HTTP_HX_REQUEST="true").status_code == 204
    again = client.post(url, _form(), HTTP_HX_REQUEST="true")
    assert again.status_code == 204 and again["HX-Redirect"]  # back to the page, with a message
    assert Appeal.objects.filter(split_from=original).count() == 2
    page = client.get(reverse("appeals:detail", args=[original.pk]))
    assert "已有他人先行处理" in page.content.decode() or "Someone else acted first" in page.content.decode()


def test_a_part_too_long_is_refused_naming_its_limit_and_the_browser_cuts_nothing(
    cast: Cast, client_for: Any
) -> None:
    original = _two_issues(cast)
    client = client_for("grid_worker")
    page = client.get(reverse("appeals:detail", args=[original.pk])).content.decode()
    form = page[page.index('id="split"') :]
    assert 'maxlength="' not in form[: form.index("</form>")]  # a pasted text is not cut by the browser
    long_title = "楼下烧烤店油烟" * 15
    answer = client.post(
        reverse("appeals:split", args=[original.pk]),
        _form(**{"parts.2.title": long_title}),
        HTTP_HX_REQUEST="true",
    )
    assert answer.status_code == 422
    html = answer.content.decode()
    assert "标题（可不填）太长：最多 100 个字（您已输入 105 个字）" in html and long_title in html
