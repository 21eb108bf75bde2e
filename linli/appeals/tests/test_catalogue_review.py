"""The dispatch catalogue changes as a draft cloned from the active version, reviewed by another person, then
activated; who did each step and when is recorded (issue 11)."""

from __future__ import annotations

from functools import partial
from typing import Any

import pytest
from django.urls import reverse

from linli.appeals import routing, services
from linli.appeals.models import CatalogueEntry, CatalogueVersion, Category
from linli.core.errors import Conflict, PermissionDenied, ValidationFailed
from linli.core.models import AuditEntry
from linli.testing import Cast


def _noise() -> Category:
    return Category.objects.get(code="environment.noise")


def test_a_draft_is_cloned_reviewed_by_another_person_and_activated(cast: Cast) -> None:
    active = services.catalogue_create_default()
    assert active is not None
    draft = services.catalogue_draft_create(actor=cast.district_leader, note="噪声交生态环境部门")
    assert draft.status == "draft" and draft.based_on == active and not draft.active
    assert draft.entries.count() == active.entries.count()
    with pytest.raises(Conflict):
        services.catalogue_draft_create(actor=cast.admin)  # one change at a time
    # The leader's entry for noise across the district, at the tier (and department) given.
    set_noise = partial(
        services.catalogue_entry_set,
        actor=cast.district_leader,
        version=draft,
        category_code="environment.noise",
        area_id=cast.district.pk,
    )
    set_noise(tier="department", organisation_id=cast.department.pk)
    with pytest.raises(ValidationFailed):
        set_noise(tier="department")  # the department tier names a department
    services.catalogue_draft_submit(actor=cast.district_leader, version=draft)
    with pytest.raises(Conflict):  # no editing under review
        set_noise(tier="street")
    with pytest.raises(PermissionDenied):  # not the person who submitted it
        services.catalogue_draft_review(actor=cast.district_leader, version=draft, approve=True)
    with pytest.raises(Conflict):  # not approved yet
        services.catalogue_version_activate(actor=cast.admin, version=draft)
    services.catalogue_draft_review(actor=cast.admin, version=draft, approve=True, note="同意")
    # Still routed by the active version until activation.
    found = routing.route(category=_noise(), grid=cast.grid, node=None)
    assert found is not None and found.unit_org is None
    services.catalogue_version_activate(actor=cast.admin, version=draft)
    draft.refresh_from_db()
    active.refresh_from_db()
    assert draft.active and draft.status == "active" and draft.activated_by == cast.admin
    assert draft.submitted_by == cast.district_leader and draft.reviewed_by == cast.admin
    assert draft.activated_at is not None and draft.reviewed_at is not None
    assert not active.active and active.status == "retired"
    found = routing.route(category=_noise(), grid=cast.grid, node=None)
    assert found is not None and found.unit_org == cast.department
    actions = set(AuditEntry.objects.filter(object_id=str(draft.pk)).values_list("action", flat=True))
    assert {
        "catalogue.draft_create",
        "catalogue.submit",
        "catalogue.approve",
        "catalogue.activate",
    } <= actions


def test_a_review_sends_the_draft_back_with_a_note_and_only_editors_take_part(cast: Cast) -> None:
    services.catalogue_create_default()
    with pytest.raises(PermissionDenied):
        services.catalogue_draft_create(actor=cast.street_officer)
    draft = services.catalogue_draft_create(actor=cast.admin)
    services.catalogue_draft_submit(actor=cast.admin, version=draft)
    with pytest.raises(ValidationFailed):
        services.catalogue_draft_review(actor=cast.district_leader, version=draft, approve=False, note="")
    services.catalogue_draft_review(
        actor=cast.district_leader, version=draft, approve=False, note="供水应由水务部门处理"
    )
    draft.refresh_from_db()
    assert draft.status == "draft" and draft.review_note == "供水应由水务部门处理"
    services.catalogue_draft_discard(actor=cast.admin, version=draft)
    assert not CatalogueVersion.objects.filter(pk=draft.pk).exists()
    assert not CatalogueEntry.objects.filter(version_id=draft.pk).exists()


def test_the_pages_take_a_draft_from_clone_to_activation(cast: Cast, client_for: Any) -> None:
    services.catalogue_create_default()
    leader, admin = client_for("district_leader"), client_for("admin")
    listing = leader.get(reverse("appeals:catalogue")).content.decode()
    assert 'data-action="catalogue_draft_new"' in listing
    assert (
        'data-action="catalogue_draft_new"'
        not in client_for("street_officer").get(reverse("appeals:catalogue")).content.decode()
    )
    leader.post(reverse("appeals:catalogue_draft_new"), {"note": "噪声交部门"})
    draft = CatalogueVersion.objects.get(status="draft")
    step = lambda name: reverse("appeals:catalogue_step", args=[draft.pk, name])  # noqa: E731
    refused = leader.post(
        step("entry_set"), {"category": "environment.noise", "area": cast.district.pk, "tier": "nope"}
    )
    assert refused.status_code == 422 and "has-error" in refused.content.decode()
    leader.post(
        step("entry_set"),
        {
            "category": "environment.noise",
            "area": cast.district.pk,
            "tier": "department",
            "organisation": cast.department.pk,
        },
    )
    assert draft.entries.filter(category__code="environment.noise", organisation=cast.department).exists()
    leader.post(step("submit"))
    page = leader.get(reverse("appeals:catalogue_version", args=[draft.pk])).content.decode()
    assert 'data-action="catalogue_approve"' not in page and "另一位" in page
    assert (
        'data-action="catalogue_approve"'
        in admin.get(reverse("appeals:catalogue_version", args=[draft.pk])).content.decode()
    )
    admin.post(step("approve"), {"note": "同意"})
    admin.post(step("activate"))
    draft.refresh_from_db()
    assert draft.active and draft.activated_by == cast.admin
    listing = leader.get(reverse("appeals:catalogue")).content.decode()
    assert 'data-status="active"' in listing and 'data-status="retired"' in listing


def test_the_catalogue_page_lists_every_version_a_page_at_a_time(
    cast: Cast, client_for: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from linli.appeals.views import catalogue as catalogue_views

    monkeypatch.setattr(catalogue_views, "VERSIONS_PER_PAGE", 2)
    for number in range(1, 4):
        CatalogueVersion.objects.create(number=number, status="retired")
    draft = CatalogueVersion.objects.create(number=4, status="draft")
    leader = client_for("district_leader")
    first = leader.get(reverse("appeals:catalogue")).content.decode()
    assert "第 1 / 2 页，共 4 条" in first and 'href="?page=2"' in first
    second = leader.get(reverse("appeals:catalogue"), {"page": 2}).content.decode()
    assert ">v1</a>" in second and ">v1</a>" not in first  # the first version is a page away, not cut off
    # The open draft is named on every page of the list.
    assert reverse("appeals:catalogue_version", args=[draft.pk]) in second
