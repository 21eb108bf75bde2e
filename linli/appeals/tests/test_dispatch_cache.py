"""The in-process copies of the dispatch catalogue, deadline rules and grid rows: fast, and never stale."""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from linli.appeals import routing, services, sla
from linli.appeals.models import Appeal, CatalogueEntry, Category, SlaRule
from linli.appeals.tests.factories import submit
from linli.territory import services as territory
from linli.territory.models import Grid
from linli.testing import Cast


def _category() -> Category:
    category = routing.category_by_code("property_management.property_service")
    assert category is not None
    return category


def test_route_reads_the_catalogue_once_then_only_checks_its_signature(cast: Cast) -> None:
    services.catalogue_create_default()
    routing.route(category=_category(), grid=cast.grid, node=None)
    with CaptureQueriesContext(connection) as queries:
        found = routing.route(category=_category(), grid=cast.grid, node=None)
    assert found is not None and found.tier == "grid"
    assert len(queries) <= 3  # one signature query per look-up, no ORM read of the catalogue


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


def test_an_entry_edited_in_place_is_used_at_once(cast: Cast) -> None:
    version = services.catalogue_create_default()
    assert version is not None
    routing.route(category=_category(), grid=cast.grid, node=None)
    entry = CatalogueEntry.objects.get(version=version, category=_category().parent, area=cast.district)
    entry.tier = "department"
    entry.organisation = cast.department
    entry.save()
    found = routing.route(category=_category(), grid=cast.grid, node=None)
    assert found is not None and found.unit_org == cast.department


def test_deadline_rules_are_read_again_when_one_changes(cast: Cast) -> None:
    appeal = Appeal(kind="complaint", category=_category(), priority="normal", tier="grid")
    now = timezone.now()
    before = sla.deadlines_for(appeal, now)
    assert before.rule is not None
    with CaptureQueriesContext(connection) as queries:
        sla.deadlines_for(appeal, now)
    assert len(queries) == 1
    SlaRule.objects.filter(pk=before.rule.pk).update(resolve_amount=before.rule.resolve_amount + 30)
    # A bulk update fires no signal and keeps the count: the rule's updated_at is what changes it elsewhere.
    rule = SlaRule.objects.get(pk=before.rule.pk)
    rule.save()
    after = sla.deadlines_for(appeal, now)
    assert after.resolve_due_at is not None and before.resolve_due_at is not None
    assert after.resolve_due_at > before.resolve_due_at


def test_a_deleted_rule_is_no_longer_used(cast: Cast) -> None:
    appeal = Appeal(kind="complaint", category=_category(), priority="normal", tier="grid")
    first = sla.deadlines_for(appeal, timezone.now()).rule
    assert first is not None
    SlaRule.objects.filter(pk=first.pk).delete()
    assert sla.deadlines_for(appeal, timezone.now()).rule != first


def test_grid_rows_follow_a_move_to_another_node(cast: Cast, client_for: Any) -> None:
    appeal = submit(cast, grid=None, lng=116.402, lat=39.902)
    assert appeal.grid_id == cast.grid.pk and appeal.org_path == cast.compound.path
    Grid.objects.filter(pk=cast.grid.pk).update(org_node=cast.other_community)
    grid = Grid.objects.get(pk=cast.grid.pk)
    grid.save()  # saved in this process: the kept rows are dropped
    moved = submit(
        cast, grid=None, lng=116.402, lat=39.902, description="另一件事：小区门口的路灯坏了，请修一下。"
    )
    assert moved.org_path == cast.other_community.path


def test_org_node_rename_is_seen_by_dispatch(cast: Cast) -> None:
    routing.grid_for_dispatch(cast.grid.pk)
    territory.org_node_update(actor=None, node=cast.compound, name="阳光新苑")
    grid = routing.grid_for_dispatch(cast.grid.pk)
    assert grid is not None and grid.org_node.name == "阳光新苑"
