"""What each role sees through the API: their own subtree, nothing outside it (404), no residents for departments."""

from __future__ import annotations

from typing import Any

import pytest

from linli.testing import Cast

# persona → (grid codes, resident names, building codes) visible through the API
EXPECTED = {
    "grid_worker": ({"G001"}, {"张三"}, {"B001"}),
    "community_worker": ({"G001"}, {"张三"}, {"B001"}),
    "outsider": ({"G002"}, {"李四"}, {"B002"}),
    "street_officer": ({"G001", "G002"}, {"张三", "李四"}, {"B001", "B002"}),
    "district_leader": ({"G001", "G002"}, {"张三", "李四"}, {"B001", "B002"}),
    "admin": ({"G001", "G002"}, {"张三", "李四"}, {"B001", "B002"}),
    "department_handler": (set(), set(), set()),
}


def _json(response: Any) -> Any:
    assert response.status_code == 200, response.content
    return response.json()


@pytest.mark.parametrize("persona", sorted(EXPECTED))
def test_each_staff_role_sees_exactly_its_subtree_through_the_api(
    cast: Cast, client_for: Any, persona: str
) -> None:
    grids, residents, buildings = EXPECTED[persona]
    client = client_for(persona)
    features = _json(client.get("/api/grids"))["features"]
    assert {f["properties"]["code"] for f in features} == grids
    assert {r["name"] for r in _json(client.get("/api/residents"))["items"]} == residents
    assert {b["code"] for b in _json(client.get("/api/buildings"))["items"]} == buildings


@pytest.mark.parametrize(
    ("persona", "roots"),
    [
        ("grid_worker", ["阳光小区"]),
        ("community_worker", ["幸福社区"]),
        ("outsider", ["光明社区"]),
        ("street_officer", ["和平街道"]),
        ("district_leader", ["示范区"]),
        ("admin", ["示范区"]),
        ("department_handler", []),
    ],
)
def test_org_tree_starts_at_the_users_own_node(
    cast: Cast, client_for: Any, persona: str, roots: list[str]
) -> None:
    tree = _json(client_for(persona).get("/api/org-tree"))
    assert [n["name"] for n in tree] == roots


def test_community_worker_sees_compound_under_own_community_in_tree(cast: Cast, client_for: Any) -> None:
    (community,) = _json(client_for("community_worker").get("/api/org-tree"))
    assert [c["name"] for c in community["children"]] == ["阳光小区"]
    assert community["children"][0]["grid_count"] == 1


@pytest.mark.parametrize("persona", ["outsider", "grid_worker", "community_worker", "department_handler"])
def test_grid_and_resident_of_another_community_are_not_found(
    cast: Cast, client_for: Any, persona: str
) -> None:
    client = client_for(persona)
    # The outsider belongs to 光明社区; everyone else in the list is outside it or has no tree scope.
    grid, resident = (
        (cast.grid, cast.resident_record)
        if persona == "outsider"
        else (cast.other_grid, cast.other_resident_record)
    )
    response = client.get(f"/api/grids/{grid.pk}")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    assert client.get(f"/api/residents?grid={grid.pk}").json()["count"] == 0
    assert client.get(f"/api/residents?q={resident.name}").json()["count"] == 0


@pytest.mark.parametrize("persona", ["outsider", "grid_worker", "community_worker"])
def test_reveal_of_a_resident_outside_the_scope_is_not_found(
    cast: Cast, client_for: Any, persona: str
) -> None:
    resident = cast.resident_record if persona == "outsider" else cast.other_resident_record
    response = client_for(persona).post(f"/api/residents/{resident.pk}/reveal")
    assert response.status_code == 404


def test_own_grid_detail_is_found(cast: Cast, client_for: Any) -> None:
    detail = _json(client_for("community_worker").get(f"/api/grids/{cast.grid.pk}"))
    assert detail["code"] == "G001"
    assert detail["community"]["name"] == "幸福社区"
    assert detail["workers"] == [{"id": cast.grid_worker.pk, "name": "王网格"}]
    assert detail["profile"]["residents"] == 1
    assert detail["profile"]["elderly_alone"] == 1


def test_department_handler_sees_no_residents_and_no_grids(cast: Cast, client_for: Any) -> None:
    client = client_for("department_handler")
    assert _json(client.get("/api/residents"))["count"] == 0
    assert client.get(f"/api/grids/{cast.grid.pk}").status_code == 404
    assert client.post(f"/api/residents/{cast.resident_record.pk}/reveal").status_code == 403


def test_resident_account_has_no_access_to_the_staff_api(cast: Cast, client_for: Any) -> None:
    client = client_for("resident")
    for url in (
        "/api/org-tree",
        "/api/grids",
        "/api/residents",
        "/api/buildings",
        f"/api/grids/{cast.grid.pk}",
    ):
        response = client.get(url)
        assert response.status_code == 403, url
        assert response.json()["code"] == "forbidden"


def test_anonymous_caller_must_sign_in(cast: Cast, client: Any) -> None:
    response = client.get("/api/residents")
    assert response.status_code == 401
    assert response.json()["code"] == "unauthenticated"
    # The reader's language alone: it said "请先登录 / Sign in first." to everyone.
    assert response.json()["message"] == "请先登录。"
    english = client.get("/api/residents", HTTP_ACCEPT_LANGUAGE="en")
    assert english.status_code == 401 and english.json()["message"] == "Sign in first."


def test_a_staff_member_without_an_org_node_sees_nothing(cast: Cast, client: Any) -> None:
    from linli.accounts.models import User

    stray = User.objects.create_user(username="stray", password="x" * 12, role="community_worker")
    client.force_login(stray)
    assert client.get("/api/residents").json()["count"] == 0
    assert client.get("/api/grids").json()["features"] == []


def test_an_act_names_its_account_only_when_signed_in(cast: Cast) -> None:
    from django.contrib.auth.models import AnonymousUser

    from linli.core.audit import audit
    from linli.core.errors import PermissionDenied
    from linli.core.scoping import person, signed_in_account

    assert person(cast.resident) == cast.resident
    assert person(AnonymousUser()) is None
    assert person(None) is None
    assert signed_in_account(cast.resident) == cast.resident
    for nobody in (AnonymousUser(), None):
        with pytest.raises(PermissionDenied, match="请先登录"):
            signed_in_account(nobody)
    entry = audit(cast.resident, "core.test", cast.community, note="x")
    assert (entry.actor_id, entry.object_id, entry.detail) == (
        cast.resident.pk,
        str(cast.community.pk),
        {"note": "x"},
    )
    assert audit(None, "core.test", cast.community).actor_id is None


@pytest.mark.parametrize("path", ["/cobuild/", "/cobuild/wishes/", "/volunteers/", "/volunteers/ledger/"])
def test_a_visitor_is_sent_to_the_resident_sign_in_and_back(client: Any, path: str) -> None:
    """core.pages.signed_in_page, the residents' pages of co-building and volunteering."""
    from django.urls import reverse

    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('accounts:resident_login')}?next={path}"
