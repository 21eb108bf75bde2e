"""An id in a request's body that names nothing the caller may see is refused on that field (422, `extra.fields`),
not answered 404 as if the address were wrong; nothing is written."""

from __future__ import annotations

from typing import Any

from linli.territory.models import Resident, ResidentEvent, Visit
from linli.testing import Cast

JSON = "application/json"


def test_a_move_to_a_household_that_is_not_there_names_the_field(cast: Cast, client_for: Any) -> None:
    moved = client_for("grid_worker").post(
        f"/api/residents/{cast.resident_record.pk}/move", {"to_household_id": 999_999}, content_type=JSON
    )
    assert moved.status_code == 422, moved.content
    body = moved.json()
    assert body["code"] == "invalid" and list(body["extra"]["fields"]) == ["to_household_id"]
    assert "999999" in body["extra"]["fields"]["to_household_id"]
    assert Resident.objects.get(pk=cast.resident_record.pk).household_id == cast.household.pk
    assert not ResidentEvent.objects.filter(resident=cast.resident_record).exists()


def test_a_visit_to_a_grid_outside_the_callers_area_reads_as_one_that_does_not_exist(
    cast: Cast, client_for: Any
) -> None:
    logged = client_for("grid_worker").post(
        "/api/visits", {"found": "楼道堆放杂物", "grid_id": cast.other_grid.pk}, content_type=JSON
    )
    assert logged.status_code == 422, logged.content
    assert list(logged.json()["extra"]["fields"]) == ["grid_id"]
    assert not Visit.objects.exists()


def test_a_split_naming_an_unknown_member_is_refused_where_it_dropped_the_id(
    cast: Cast, client_for: Any
) -> None:
    """Before, the unknown id was left out without a word, and what was refused was about the members left."""
    split = client_for("grid_worker").post(
        f"/api/households/{cast.household.pk}/split",
        {"member_ids": [cast.resident_record.pk, 999_999], "code": "H-NEW", "room": "102"},
        content_type=JSON,
    )
    assert split.status_code == 422, split.content
    assert split.json()["extra"]["fields"] == {"member_ids": "找不到您可查看的居民 999999。"}
