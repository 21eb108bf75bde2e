"""A catalogue entry the service refuses is said on the field it is about: on the catalogue page under the form's
field (the department missing for the department tier stood above the form, the page sent back to itself), and in
the API under the body's own field (`area_id`, `organisation_id`: it named the page's `area`, `organisation`)."""

from __future__ import annotations

import json
import re
from typing import Any

from django.urls import reverse

from linli.appeals import services
from linli.appeals.models import CatalogueVersion
from linli.testing import Cast


def _draft(cast: Cast) -> CatalogueVersion:
    services.catalogue_create_default()
    return services.catalogue_draft_create(actor=cast.district_leader, note="噪声交部门")


def _field_error(html: str, field: str) -> str:
    found = re.search(rf'<ul class="errorlist" id="id_{field}_error"[^>]*>(.*?)</ul>', html, re.S)
    return found.group(1) if found else ""


def test_the_page_says_a_missing_department_under_its_field_with_the_entry_kept(
    cast: Cast, client_for: Any
) -> None:
    draft = _draft(cast)
    refused = client_for("district_leader").post(
        reverse("appeals:catalogue_step", args=[draft.pk, "entry_set"]),
        {"category": "environment.noise", "area": cast.district.pk, "tier": "department", "organisation": ""},
    )
    assert refused.status_code == 422
    html = refused.content.decode()
    assert "派往部门层级时须选择部门" in _field_error(html, "organisation")
    assert "派往部门层级时须选择部门" not in html.split('id="id_organisation_error"')[0]  # not above the form
    # What was chosen is still chosen.
    assert re.search(r'<option value="environment.noise"[^>]*selected', html)
    assert re.search(r'<option value="department"[^>]*selected', html)
    assert not draft.entries.filter(category__code="environment.noise", tier="department").exists()


def test_the_api_names_its_own_field_for_an_area_or_a_department_it_refuses(
    cast: Cast, client_for: Any
) -> None:
    draft = _draft(cast)
    leader = client_for("district_leader")
    url = f"/api/appeals/catalogue/{draft.pk}/entries"
    entry = {"category_code": "environment.noise", "area_id": cast.district.pk, "tier": "department"}

    def put(**changed: Any) -> Any:
        body = json.dumps({**entry, **changed})
        return leader.put(url, data=body, content_type="application/json")

    for changed, field in (
        ({"organisation_id": None}, "organisation_id"),
        ({"organisation_id": cast.department.pk, "area_id": 999999}, "area_id"),
        ({"organisation_id": 999999}, "organisation_id"),
    ):
        refused = put(**changed)
        assert refused.status_code == 422, changed
        extra = refused.json()["extra"]
        assert extra["field"] == field and list(extra["errors"]) == [field], changed
    assert put(organisation_id=cast.department.pk).status_code == 200
