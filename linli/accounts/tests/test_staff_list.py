"""A community's staff accounts, as its community worker reads them: who works here, in which grids, whether the
account is on and when it was last used; the page and the API alike, each in the reader's own area."""

from __future__ import annotations

from typing import Any

import pytest

from linli.core.roles import Role
from linli.testing import Cast, make_user

pytestmark = pytest.mark.django_db


def test_a_community_worker_lists_the_staff_of_their_community_with_their_grids(
    client_for: Any, cast: Cast
) -> None:
    cast.grid_worker.phone = "13900001111"
    cast.grid_worker.save(update_fields=["phone"])
    make_user("gone", Role.GRID_WORKER, node=cast.compound, name="离职网格员", is_active=False)
    client = client_for("community_worker")
    page = client.get("/accounts/staff/").content.decode()
    assert "王网格" in page and cast.grid.name in page and "网格员" in page
    assert "139****1111" in page and "13900001111" not in page  # masked
    assert "离职网格员" in page and "已停用" in page
    assert "外社区社工" not in page and "陈街道" not in page  # another community's, and the street's above
    # Found from the page a community worker opens for the base data.
    assert 'href="/accounts/staff/"' in client.get("/accounts/verifications/").content.decode()
    body = client.get("/api/accounts/staff").json()
    names = {row["name"]: row for row in body["items"]}
    assert body["count"] == len(names) and "外社区社工" not in names
    assert names["王网格"]["grids"] == [
        {"id": cast.grid.pk, "code": cast.grid.code, "name": cast.grid.name, "kind": cast.grid.kind}
    ]
    assert names["王网格"]["phone"] == "139****1111" and names["离职网格员"]["is_active"] is False


def test_the_street_sees_its_communities_staff_and_others_see_no_list(client_for: Any, cast: Cast) -> None:
    page = client_for("street_officer").get("/accounts/staff/").content.decode()
    assert "王网格" in page and "外社区社工" in page
    assert client_for("grid_worker").get("/accounts/staff/").status_code == 403
    assert client_for("grid_worker").get("/api/accounts/staff").status_code == 403


def test_the_staff_list_finds_an_account_by_name_user_name_or_number_and_narrows_to_a_role_or_state(
    client_for: Any, cast: Cast
) -> None:
    cast.grid_worker.phone = "13900001111"
    cast.grid_worker.save(update_fields=["phone"])
    make_user("gone", Role.GRID_WORKER, node=cast.compound, name="离职网格员", is_active=False)
    client = client_for("community_worker")

    def names(query: str) -> set[str]:
        page = client.get(f"/accounts/staff/?{query}", headers={"HX-Request": "true"}).content.decode()
        assert "<html" not in page  # htmx gets the results alone
        return {n for n in ("王网格", "离职网格员", cast.community_worker.display_name) if n in page}

    assert names("q=网格") == {"王网格", "离职网格员"}
    assert names("q=gone") == {"离职网格员"}
    assert names("q=1111") == {"王网格"}  # a number's last four digits
    assert names("q=13900001111") == {"王网格"}
    assert names(f"role={Role.COMMUNITY_WORKER}") == {cast.community_worker.display_name}
    assert names("state=off") == {"离职网格员"}
    assert names("state=on&role=grid_worker") == {"王网格"}
    assert "没有符合这些条件" in client.get("/accounts/staff/?q=无此人").content.decode()

    # A role or state that is not one is said, and every account shown.
    page = client.get("/accounts/staff/?role=boss&state=maybe").content.decode()
    assert "角色“boss”不是工作人员的角色" in page and "状态“maybe”无法识别" in page
    assert "王网格" in page and "离职网格员" in page

    body = client.get("/api/accounts/staff?q=1111").json()
    assert [row["name"] for row in body["items"]] == ["王网格"] and body["count"] == 1
    body = client.get("/api/accounts/staff?state=off").json()
    assert [row["name"] for row in body["items"]] == ["离职网格员"]
    refused = client.get("/api/accounts/staff?role=boss")
    assert refused.status_code == 422 and refused.json()["extra"] == {"field": "role"}
    assert refused.json()["message"] == "“boss”不是工作人员的角色。"
    assert client.get("/api/accounts/staff?state=maybe").status_code == 422
