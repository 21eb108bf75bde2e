"""core.api_refs: an id in a request's body that names nothing the caller may see is refused as a field (422, the
field named in `extra.fields`, in the reader's language), never a 404 as if the address were wrong."""

from __future__ import annotations

from functools import partial
from typing import Any

import pytest
from django.utils import translation

from linli.core.api_refs import body_ref, body_refs
from linli.core.errors import NotFound, ValidationFailed
from linli.territory import selectors
from linli.territory.models import Grid
from linli.testing import Cast


def _refused(call) -> ValidationFailed:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationFailed) as caught:
        call()
    assert caught.value.status == 422 and caught.value.code == "invalid"
    return caught.value


def test_a_body_id_found_in_the_scoped_queryset_is_the_object(cast: Cast) -> None:
    visible = selectors.grids_visible_to(cast.grid_worker)
    assert body_ref("grid_id", visible, cast.grid.pk) == cast.grid
    assert body_ref("code", visible, cast.grid.code, key="code") == cast.grid
    assert body_ref("grid_id", visible, None) is None


def test_a_body_id_naming_nothing_is_refused_as_its_field_in_chinese(cast: Cast) -> None:
    with translation.override("zh-hans"):
        refused = _refused(lambda: body_ref("grid_id", Grid.objects.all(), 999_999))
    assert refused.extra["fields"] == {"grid_id": "找不到您可查看的网格 999999。"}
    assert refused.extra["field"] == "grid_id"
    assert refused.message == "请求数据无效：grid_id：找不到您可查看的网格 999999。"
    (error,) = refused.extra["errors"]
    assert error == {
        "type": "not_found",
        "loc": ["body", "grid_id"],
        "msg": "找不到您可查看的网格 999999。",
        "input": 999_999,
    }


def test_a_body_id_outside_the_callers_scope_reads_as_one_that_does_not_exist(cast: Cast) -> None:
    """The neighbour community's grid exists, but the grid worker may not see it: the same words as for none."""
    visible = selectors.grids_visible_to(cast.grid_worker)
    with translation.override("en"):
        refused = _refused(lambda: body_ref("grid_id", visible, cast.other_grid.pk))
    assert refused.extra["fields"] == {"grid_id": f"No grid {cast.other_grid.pk} that you may see."}


def test_a_scoped_selector_that_raises_not_found_is_refused_as_the_field(cast: Cast) -> None:
    grid_for = partial(selectors.grid_get_for, cast.grid_worker)
    assert body_ref("grid_id", grid_for, cast.grid.pk) == cast.grid
    with translation.override("zh-hans"):
        refused = _refused(lambda: body_ref("grid_id", grid_for, cast.other_grid.pk))
    assert refused.extra["fields"] == {"grid_id": f"找不到您可查看的网格 {cast.other_grid.pk}。"}

    def raises(value: object) -> Any:  # says no model: the words name none
        raise NotFound()

    with translation.override("zh-hans"):
        refused = _refused(lambda: body_ref("to_id", raises, 5))
    assert refused.extra["fields"] == {"to_id": "找不到您可查看的对象 5。"}


def test_a_list_of_body_ids_comes_back_in_the_order_given_each_once(cast: Cast) -> None:
    every = Grid.objects.all()
    found = body_refs("grid_ids", every, [cast.other_grid.pk, cast.grid.pk, cast.other_grid.pk])
    assert found == [cast.other_grid, cast.grid]
    assert body_refs("grid_ids", every, []) == []


def test_the_ids_of_a_list_that_name_nothing_are_refused_together(cast: Cast) -> None:
    visible = selectors.grids_visible_to(cast.grid_worker)
    with translation.override("zh-hans"):
        refused = _refused(
            lambda: body_refs("grid_ids", visible, [cast.grid.pk, 999_998, cast.other_grid.pk])
        )
    assert refused.extra["fields"] == {"grid_ids": f"找不到您可查看的网格 999998、{cast.other_grid.pk}。"}
    assert refused.extra["errors"][0]["input"] == [999_998, cast.other_grid.pk]


def test_a_list_of_objects_names_each_missing_id_by_its_position(cast: Cast) -> None:
    with translation.override("en"):
        refused = _refused(
            lambda: body_refs("legs.{}.account_id", Grid.objects.all(), [cast.grid.pk, 999_997, 999_996])
        )
    assert refused.extra["fields"] == {
        "legs.1.account_id": "No grid 999997 that you may see.",
        "legs.2.account_id": "No grid 999996 that you may see.",
    }
    assert [e["loc"] for e in refused.extra["errors"]] == [
        ["body", "legs", 1, "account_id"],
        ["body", "legs", 2, "account_id"],
    ]


def test_the_api_answers_a_refused_body_id_with_422_and_the_field(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    """Through HTTP, as linli/api.py's handler says every domain error."""
    response = client_for("community_worker").post(
        "/api/visits",
        {"found": "门口堆放杂物", "grid_id": cast.other_grid.pk},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    assert response.status_code == 422, response.content
    body = response.json()
    assert body["code"] == "invalid" and list(body["extra"]["fields"]) == ["grid_id"]


def test_a_value_an_id_cannot_be_is_refused_as_its_field(cast: Cast) -> None:
    """Only the value's conversion to the id's type is the caller's fault: "abc" names no grid."""
    visible = selectors.grids_visible_to(cast.grid_worker)
    with translation.override("en"):
        refused = _refused(lambda: body_ref("grid_id", visible, "abc"))
        listed = _refused(lambda: body_refs("grid_ids", visible, [cast.grid.pk, "abc"]))
    assert refused.extra["fields"] == {"grid_id": "No grid abc that you may see."}
    assert listed.extra["fields"] == {"grid_ids": "No grid abc that you may see."}
    assert body_ref("grid_id", visible, str(cast.grid.pk)) == cast.grid  # "12" is the id 12
    assert body_refs("grid_ids", visible, [str(cast.grid.pk)]) == [cast.grid]


def test_a_mistake_in_the_code_is_not_passed_off_as_a_refused_body(cast: Cast) -> None:
    """A selector called wrongly (the user forgotten) or a lookup written wrongly raises as it is: a 422 saying the
    body named nothing would hide the bug from the logs and tell the caller their data was wrong."""
    with pytest.raises(TypeError):
        body_ref("grid_id", selectors.grid_get_for, cast.grid.pk)  # type: ignore[arg-type]

    def broken(value: object) -> Grid:
        raise ValueError("a mistake in the selector")

    with pytest.raises(ValueError, match="a mistake in the selector"):
        body_ref("grid_id", broken, cast.grid.pk)
