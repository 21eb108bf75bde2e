"""The in-process copies of the dispatch catalogue, deadline rules and grid rows: fast, and fresh after a change made
through a service or the admin, in this process at once and in another within the recheck interval."""

from __future__ import annotations

import json
from typing import Any

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from linli.appeals import routing, services, sla
from linli.appeals.models import Appeal, Category, SlaRule
from linli.appeals.tests.factories import submit
from linli.territory import services as territory
from linli.testing import Cast
from linli.testing.snapshots import in_another_process


def _category() -> Category:
    category = routing.category_by_code("property_management.property_service")
    assert category is not None
    return category


def change_form_data(admin: Client, url: str) -> dict[str, Any]:
    """What the admin's change form at `url` holds now, ready to post back with a change."""
    form = admin.get(url).context["adminform"].form
    return {name: value for name, value in form.initial.items() if value is not None}


def test_route_reads_the_catalogue_once_then_runs_no_query(cast: Cast) -> None:
    services.catalogue_create_default()
    routing.route(category=_category(), grid=cast.grid, node=None)
    with CaptureQueriesContext(connection) as queries:
        found = routing.route(category=_category(), grid=cast.grid, node=None)
    assert found is not None and found.tier == "grid"
    assert len(queries) == 0  # versions are rechecked at most every few seconds, not per look-up


def test_a_new_catalogue_version_is_used_at_once(cast: Cast) -> None:
    services.catalogue_create_default()
    assert routing.route(category=_category(), grid=cast.grid, node=None).tier == "grid"  # type: ignore[union-attr]
    services.catalogue_version_create(
        actor=None,
        entries=[{"category": _category().parent, "area": cast.district, "tier": "street"}],
        note="物业类上提街道",
    )
    found = routing.route(category=_category(), grid=cast.grid, node=None)
    assert found is not None and found.tier == "street" and found.unit_node == cast.street


def test_an_entry_changed_in_a_reviewed_draft_is_used_once_activated(cast: Cast) -> None:
    version = services.catalogue_create_default()
    assert version is not None
    routing.route(category=_category(), grid=cast.grid, node=None)
    draft = services.catalogue_draft_create(actor=cast.district_leader)
    services.catalogue_entry_set(
        actor=cast.district_leader,
        version=draft,
        category_code=_category().parent.code,
        area_id=cast.district.pk,
        tier="department",
        organisation_id=cast.department.pk,
    )
    # Not used while it is a draft.
    found = routing.route(category=_category(), grid=cast.grid, node=None)
    assert found is not None and found.unit_org is None
    services.catalogue_draft_submit(actor=cast.district_leader, version=draft)
    services.catalogue_draft_review(actor=cast.admin, version=draft, approve=True)
    services.catalogue_version_activate(actor=cast.admin, version=draft)
    found = routing.route(category=_category(), grid=cast.grid, node=None)
    assert found is not None and found.unit_org == cast.department


def test_the_admin_shows_the_catalogue_read_only(cast: Cast, client_for: Any) -> None:
    version = services.catalogue_create_default()
    assert version is not None
    admin = client_for("admin")
    page = admin.get(f"/admin/appeals/catalogueversion/{version.pk}/change/")
    assert page.status_code == 200
    refused = admin.post(f"/admin/appeals/catalogueversion/{version.pk}/change/", {"note": "改"})
    assert refused.status_code == 403


def test_a_new_catalogue_version_made_in_another_process_is_used_after_the_recheck(
    cast: Cast, settings: Any
) -> None:
    settings.LINLI_SNAPSHOT_RECHECK_SECONDS = 3600
    services.catalogue_create_default()
    assert routing.route(category=_category(), grid=cast.grid, node=None).tier == "grid"  # type: ignore[union-attr]
    with in_another_process():
        services.catalogue_version_create(
            actor=None,
            entries=[{"category": _category().parent, "area": cast.district, "tier": "street"}],
            note="物业类上提街道",
        )
    with CaptureQueriesContext(connection) as queries:
        assert routing.route(category=_category(), grid=cast.grid, node=None).tier == "grid"  # type: ignore[union-attr]
    assert len(queries) == 0  # within the interval: the copy kept, no query
    settings.LINLI_SNAPSHOT_RECHECK_SECONDS = 0
    found = routing.route(category=_category(), grid=cast.grid, node=None)
    assert found is not None and found.tier == "street" and found.unit_node == cast.street


def test_deadline_rules_are_read_again_when_one_changes(cast: Cast, client_for: Any) -> None:
    appeal = Appeal(kind="complaint", category=_category(), priority="normal", tier="grid")
    now = timezone.now()
    before = sla.deadlines_for(appeal, now)
    assert before.rule is not None
    with CaptureQueriesContext(connection) as queries:
        sla.deadlines_for(appeal, now)
    assert len(queries) == 0
    admin = client_for("admin")
    data = change_form_data(admin, f"/admin/appeals/slarule/{before.rule.pk}/change/")
    data["resolve_amount"] = before.rule.resolve_amount + 30
    data["category"] = data.get("category") or ""
    response = admin.post(f"/admin/appeals/slarule/{before.rule.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    after = sla.deadlines_for(appeal, now)
    assert after.resolve_due_at is not None and before.resolve_due_at is not None
    assert after.resolve_due_at > before.resolve_due_at


def test_a_rule_deleted_in_the_admin_is_no_longer_used(cast: Cast, client_for: Any) -> None:
    appeal = Appeal(kind="complaint", category=_category(), priority="normal", tier="grid")
    first = sla.deadlines_for(appeal, timezone.now()).rule
    assert first is not None
    admin = client_for("admin")
    response = admin.post(f"/admin/appeals/slarule/{first.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not SlaRule.objects.filter(pk=first.pk).exists()
    assert sla.deadlines_for(appeal, timezone.now()).rule != first


def test_grid_rows_follow_a_move_to_another_node(cast: Cast, client_for: Any) -> None:
    appeal = submit(cast, grid=None, lng=116.402, lat=39.902)
    assert appeal.grid_id == cast.grid.pk and appeal.org_path == cast.compound.path
    admin = client_for("admin")
    data = change_form_data(admin, f"/admin/territory/grid/{cast.grid.pk}/change/")
    data["boundary"] = json.dumps(data["boundary"])
    data["workers"] = [u.pk for u in data.get("workers", [])]
    data["org_node"] = cast.other_community.pk
    response = admin.post(f"/admin/territory/grid/{cast.grid.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    moved = submit(
        cast, grid=None, lng=116.402, lat=39.902, description="另一件事：小区门口的路灯坏了，请修一下。"
    )
    assert moved.org_path == cast.other_community.path


def test_org_node_rename_is_seen_by_dispatch(cast: Cast) -> None:
    routing.grid_for_dispatch(cast.grid.pk)
    territory.org_node_update(actor=None, node=cast.compound, name="阳光新苑")
    grid = routing.grid_for_dispatch(cast.grid.pk)
    assert grid is not None and grid.org_node.name == "阳光新苑"
