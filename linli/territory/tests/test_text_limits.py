"""A register text typed too long is refused whole, the field and its limit named, never cut."""

from __future__ import annotations

from typing import Any

from linli.territory.models import ResidentEvent
from linli.testing import Cast
from linli.testing.kept import limit_given

DESTINATION = "上海市浦东新区张江镇科苑路幸福花园小区" * 11  # 209 characters: over the 200 allowed


def test_the_move_out_form_refuses_a_destination_too_long_and_shows_all_of_it_again(
    client_for: Any, cast: Cast
) -> None:
    client = client_for("community_worker")
    limit_given(client, f"/territory/residents/{cast.resident_record.pk}/", "destination", 200)
    page = client.post(
        f"/territory/residents/{cast.resident_record.pk}/move-out/", {"destination": DESTINATION}
    ).content.decode()
    assert "迁往太长：最多 200 个字（您已输入 209 个字）" in page
    assert f'value="{DESTINATION}"' in page
    cast.resident_record.refresh_from_db()
    assert cast.resident_record.status == "present"


def test_the_api_refuses_a_destination_too_long_rather_than_cutting_it(client_for: Any, cast: Cast) -> None:
    url = f"/api/residents/{cast.resident_record.pk}/move-out"
    refused = client_for("community_worker").post(
        url, {"on": "2024-06-01", "destination": DESTINATION}, content_type="application/json"
    )
    assert refused.status_code == 422
    assert refused.json()["extra"]["field"] == "destination"
    assert refused.json()["message"] == "迁往太长：最多 200 个字（您已输入 209 个字）。"
    cast.resident_record.refresh_from_db()
    assert cast.resident_record.status == "present"
    assert not ResidentEvent.objects.filter(kind="moved_out").exists()
