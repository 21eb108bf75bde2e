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
