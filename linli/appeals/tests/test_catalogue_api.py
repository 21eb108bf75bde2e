"""The dispatch catalogue over the API: the same draft → review → activate steps as its pages, with the same
permission table (the district's editors; a reviewer other than the submitter; residents refused)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from linli.appeals import routing, services
from linli.appeals.models import CatalogueVersion
from linli.core.models import AuditEntry
from linli.testing import Cast

pytestmark = pytest.mark.django_db

URL = "/api/appeals/catalogue/"


def _send(client: Client, method: str, url: str, data: dict[str, Any] | None = None) -> Any:
    return getattr(client, method)(url, data=json.dumps(data or {}), content_type="application/json")


def test_a_draft_goes_through_review_to_activation_over_the_api(cast: Cast, client_for: Any) -> None:
    active = services.catalogue_create_default()
    assert active is not None
    leader, admin = client_for("district_leader"), client_for("admin")
    created = _send(leader, "post", URL, {"note": "噪声交区城管委"})
    assert created.status_code == 201, created.content
    draft = created.json()
    assert draft["status"] == "draft" and draft["based_on_number"] == active.number
    assert len(draft["entries"]) == active.entries.count()
    assert _send(admin, "post", URL).status_code == 409  # one open change at a time
    url = f"{URL}{draft['id']}"
    entry = {
        "category_code": "environment.noise",
        "area_id": cast.district.pk,
        "tier": "department",
        "organisation_id": cast.department.pk,
    }
    no_unit = _send(leader, "put", f"{url}/entries", {**entry, "organisation_id": None})
    assert no_unit.status_code == 422 and no_unit.json()["extra"]["field"] == "organisation_id"
    changed = _send(leader, "put", f"{url}/entries", entry).json()
    noise = [e for e in changed["entries"] if e["category_code"] == "environment.noise"]
    assert [(e["tier"], e["organisation_name"]) for e in noise] == [("department", cast.department.name)]
    assert _send(leader, "post", f"{url}/submit").json()["status"] == "review"
    # The submitter does not review their own draft; editing stops once it is submitted.
    assert _send(leader, "post", f"{url}/review", {"approve": True}).status_code == 403
    assert _send(admin, "put", f"{url}/entries", entry).status_code == 409
    sent_back = _send(admin, "post", f"{url}/review", {"approve": False})
    assert sent_back.status_code == 422  # sending back needs a note
    assert _send(admin, "post", f"{url}/review", {"approve": True}).json()["status"] == "approved"
    done = _send(admin, "post", f"{url}/activate").json()
    assert done["status"] == "active" and done["active"] and done["activated_by"]
    assert done["submitted_by"] and done["reviewed_by"] and done["reviewed_at"]
    assert CatalogueVersion.objects.get(active=True).pk == draft["id"]
    routed = routing.active_catalogue()
    assert routed is not None and routed.pk == draft["id"]
    listing = client_for("community_worker").get(URL).json()
    assert [v["status"] for v in listing["items"][:2]] == ["active", "retired"]
    assert AuditEntry.objects.filter(action="catalogue.activate").count() == 1


def test_who_may_not_change_it_gets_403_and_nothing_changes(cast: Cast, client_for: Any) -> None:
    services.catalogue_create_default()
    for persona in ("community_worker", "street_officer", "department_handler"):
        assert _send(client_for(persona), "post", URL).status_code == 403
    assert client_for("resident").get(URL).status_code == 403
    assert Client().get(URL).status_code == 401
    assert CatalogueVersion.objects.count() == 1
    assert client_for("community_worker").get(f"{URL}99999").status_code == 404


def test_a_draft_can_be_discarded_and_an_active_version_cannot(cast: Cast, client_for: Any) -> None:
    active = services.catalogue_create_default()
    assert active is not None
    admin = client_for("admin")
    draft = _send(admin, "post", URL).json()
    assert admin.delete(f"{URL}{draft['id']}").status_code == 204
    assert admin.delete(f"{URL}{active.pk}").status_code == 409
    assert list(CatalogueVersion.objects.values_list("pk", flat=True)) == [active.pk]


def test_the_versions_go_a_page_at_a_time_and_the_first_is_reachable(cast: Cast, client_for: Any) -> None:
    for number in range(1, 4):
        CatalogueVersion.objects.create(number=number, status="retired", note=f"第{number}版")
    client = client_for("community_worker")
    first = client.get(URL, {"limit": 2}).json()
    assert first["count"] == 3 and [v["number"] for v in first["items"]] == [3, 2]
    last = client.get(URL, {"limit": 2, "offset": 2}).json()
    assert [v["number"] for v in last["items"]] == [1]  # before, the list stopped at 50 without a word


def test_the_paged_lists_say_so_in_the_api_document(client_for: Any) -> None:
    schema = client_for("community_worker").get("/api/openapi.json").json()
    for path in ("/api/appeals/", "/api/appeals/whistle-requests", "/api/appeals/catalogue/"):
        listed = schema["paths"][path]["get"]
        assert {"limit", "offset"} <= {p["name"] for p in listed["parameters"]}, path
        shape = listed["responses"]["200"]["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[-1]
        assert set(schema["components"]["schemas"][shape]["properties"]) == {"count", "items"}, path
