"""Defects a QA walk of the demo found on the appeals pages, each pinned here: the trace names the summoned
unit that acted on its part, the whistle form leaves out units already summoned and refuses on the field, a
department's part actions sit in the 操作 card, dispatch to a grid needs no tier, the department's workbench
shows only its work, and the detail page's order, address and the patrol map's centre."""

from __future__ import annotations

import re
from typing import Any

from django.urls import reverse

from linli.appeals import services
from linli.appeals.models import Appeal, AppealPart
from linli.appeals.tests.factories import at_community
from linli.core.errors import ValidationFailed
from linli.testing import Cast


def _detail(client: Any, appeal: Appeal) -> Any:
    return client.get(reverse("appeals:detail", args=[appeal.pk]))


def _summoned(cast: Cast) -> tuple[Appeal, AppealPart]:
    """An appeal at the community, the department summoned to it."""
    appeal = at_community(cast)
    (part,) = services.appeal_whistle(
        actor=cast.community_worker, appeal=appeal, units=[cast.department], reason="请城管到现场联合处置。"
    )
    return appeal, part


def _trace(html: str) -> str:
    return html.split('id="trace"', 1)[1].split("</ol>", 1)[0]


def test_the_trace_credits_a_part_step_to_the_summoned_unit(cast: Cast, client_for: Any) -> None:
    appeal, part = _summoned(cast)
    department = client_for("department_handler")
    department.post(reverse("appeals:part_act", args=[appeal.pk, "report_in"]), {"part_id": part.pk})
    department.post(
        reverse("appeals:part_act", args=[appeal.pk, "complete"]),
        {"part_id": part.pk, "note": "已清理占道摊位。"},
    )
    services.part_send_back(actor=cast.community_worker, part=part, note="还有一处未清理。")
    response = _detail(client_for("community_worker"), appeal)
    events = {e.action: e for e in response.context["events"]}
    for step in ("part_report_in", "part_complete"):
        assert events[step].unit_name == cast.department.name, step
    # The organising unit sent it back: it acted, and the label names whose part.
    assert events["part_send_back"].unit_name == Appeal.objects.get(pk=appeal.pk).unit_name
    assert cast.department.name in events["part_send_back"].label
    trace = _trace(response.content.decode())
    handler = cast.department_handler
    name = handler.display_name or handler.username
    assert re.search(rf"{re.escape(cast.department.name)} · {re.escape(name)}", trace)
    assert not re.search(rf"{re.escape(appeal.unit_name)} · {re.escape(name)}", trace)


def _section(html: str, marker: str) -> str:
    return html.split(marker, 1)[1].split("</section>", 1)[0]


def test_the_whistle_form_leaves_out_units_already_summoned_and_refuses_on_the_field(
    cast: Cast, client_for: Any
) -> None:
    appeal, part = _summoned(cast)
    services.part_report_in(actor=cast.department_handler, part=part)
    services.part_complete(actor=cast.department_handler, part=part, note="已清理占道摊位。")
    community = client_for("community_worker")
    form = _detail(community, appeal).context["action_forms"]
    (whistle,) = [f for name, _label, f, _confirm in form if name == "whistle"]
    offered = {value for value, _label in whistle.fields["organisations"].choices}
    assert str(cast.department.pk) not in offered and str(cast.other_department.pk) in offered
    assert cast.department.name in str(whistle.fields["organisations"].help_text)
    refused = community.post(
        reverse("appeals:act", args=[appeal.pk, "whistle"]),
        {"whistle-organisations": [str(cast.department.pk)], "whistle-note": "请城管再来一次联合处置。"},
    )
    assert refused.status_code == 422
    bound = refused.context["action_forms"]
    (whistle,) = [f for name, _label, f, _confirm in bound if name == "whistle"]
    assert whistle.errors["organisations"] and not whistle.non_field_errors()
    page = refused.content.decode()
    assert "已向" not in page and "吹哨。" not in page
    # The service's own refusal (a unit summoned meanwhile) names the form's field, and reads as a refusal.
    try:
        services.appeal_whistle(
            actor=cast.community_worker,
            appeal=appeal,
            units=[cast.department],
            reason="请城管再来一次联合处置。",
        )
    except ValidationFailed as exc:
        assert exc.extra["field"] == "organisations"
    else:  # pragma: no cover - the service must refuse
        raise AssertionError("summoned twice")
    assert AppealPart.objects.filter(appeal=appeal).count() == 1


def test_a_department_steps_on_its_part_from_the_actions_card_and_a_missing_note_is_marked(
    cast: Cast, client_for: Any
) -> None:
    appeal, part = _summoned(cast)
    department = client_for("department_handler")
    actions = _section(_detail(department, appeal).content.decode(), 'id="actions"')
    assert f'id="part-step-{part.pk}"' in actions and 'data-part-step="report_in"' in actions
    department.post(reverse("appeals:part_act", args=[appeal.pk, "report_in"]), {"part_id": part.pk})
    refused = department.post(
        reverse("appeals:part_act", args=[appeal.pk, "complete"]), {"part_id": part.pk, "note": " "}
    )
    assert refused.status_code == 422
    actions = _section(refused.content.decode(), 'id="actions"')
    assert 'data-part-step="complete"' in actions and "has-error" in actions
    assert re.search(r'<ul class="errorlist"[^>]*><li>[^<]+：此项为必填项。</li>', actions), actions
    part.refresh_from_db()
    assert part.done_at is None


def test_dispatch_to_a_grid_needs_no_tier_and_neither_marks_the_tier(cast: Cast) -> None:
    from linli.appeals.forms import DispatchForm

    form = DispatchForm({"d-grid": cast.grid.code}, prefix="d", grids=[cast.grid])
    assert form.is_valid(), form.errors
    assert form.cleaned_data["tier"] == "grid"
    neither = DispatchForm({"d-reason": "交网格处置"}, prefix="d", grids=[cast.grid])
    assert not neither.is_valid()
    assert neither.errors["tier"] and not neither.non_field_errors()


def test_an_action_address_opened_goes_to_the_appeal_and_a_refusal_names_the_appeal(
    cast: Cast, client_for: Any
) -> None:
    appeal = at_community(cast)
    community = client_for("community_worker")
    detail = reverse("appeals:detail", args=[appeal.pk])
    for url in (
        reverse("appeals:act", args=[appeal.pk, "whistle"]),
        reverse("appeals:part_act", args=[appeal.pk, "complete"]),
        reverse("appeals:whistle_request_act", args=[appeal.pk, "summon"]),
    ):
        opened = community.get(url)
        assert (opened.status_code, opened["Location"]) == (302, detail), url
    refused = community.post(reverse("appeals:act", args=[appeal.pk, "whistle"]), {"whistle-note": "x"})
    assert refused.status_code == 422
    assert f'data-page-url="{detail}"' in refused.content.decode()


TREE_TOOLS = ("appeals:hotline", "appeals:patrol", "appeals:qr_list", "appeals:topics", "appeals:catalogue")


def test_a_department_handler_sees_and_opens_only_its_own_work(cast: Cast, client_for: Any) -> None:
    department = client_for("department_handler")
    nav = department.get(reverse("appeals:workbench")).content.decode().split('class="ap-tabs"', 1)[1]
    nav = nav.split("</nav>", 1)[0]
    for name in TREE_TOOLS:
        assert reverse(name) not in nav, name
        assert department.get(reverse(name)).status_code == 403, name
    assert reverse("appeals:inbox") in nav
    tabs = [key for key, _label in department.get(reverse("appeals:workbench")).context["tabs"]]
    assert tabs == ["queue", "parts", "all"]
    # The tree's staff keep their tools.
    community = client_for("community_worker")
    nav = community.get(reverse("appeals:workbench")).content.decode()
    for name in TREE_TOOLS:
        assert reverse(name) in nav, name
        assert community.get(reverse(name)).status_code == 200, name
    assert len(community.get(reverse("appeals:workbench")).context["tabs"]) == 7


def test_an_appeal_without_an_address_shows_only_its_grid(cast: Cast, client_for: Any) -> None:
    from linli.appeals.tests.factories import submit

    appeal = submit(cast)
    assert not appeal.address
    facts = _section(_detail(client_for("grid_worker"), appeal).content.decode(), "ap-sec-facts")
    assert re.search(rf"<dt>位置</dt><dd>{re.escape(cast.grid.name)}</dd>", facts), facts
    assert "<dt>地址</dt>" not in facts and "— ·" not in facts
    placed = submit(cast, address="3号楼2单元")
    facts = _section(_detail(client_for("grid_worker"), placed).content.decode(), "ap-sec-facts")
    assert f"<dt>地址</dt><dd>3号楼2单元 · {cast.grid.name}</dd>" in facts
