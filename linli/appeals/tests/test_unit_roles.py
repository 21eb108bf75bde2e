"""Who sees which appeal (issue 10): a full-time grid worker sees their own grids' appeals and what is assigned to
them, not the neighbour grid's in the same compound; a property company's staff (物业) see and handle only the
appeals of the compound their company serves that were dispatched to it (or that summoned it), nothing else."""

from __future__ import annotations

from typing import Any

import pytest

from linli.accounts import services as accounts
from linli.accounts.models import User
from linli.appeals import selectors, services
from linli.appeals.models import Appeal
from linli.appeals.tests.factories import by_hotline, classifier_says
from linli.core.errors import NotFound, ValidationFailed
from linli.core.roles import Role
from linli.territory import services as territory
from linli.territory.models import Grid, Organisation
from linli.testing import Cast, signed_in

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fast_passwords(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


# --- the full-time grid worker ------------------------------------------------------------------------------


def test_a_grid_worker_sees_their_grids_appeals_and_the_neighbour_grids_are_404(
    cast: Cast, neighbour_grid: Grid
) -> None:
    category = {"category_code": "property_management.property_service"}
    ours = by_hotline(cast, cast.grid, "1号楼门口的路灯不亮了，晚上很黑。", **category)
    theirs = by_hotline(cast, neighbour_grid, "3号楼楼道堆满杂物，消防通道堵塞。", **category)
    assert (ours.tier, theirs.tier) == ("grid", "grid")  # both at the grid tier of the same compound
    worker = cast.grid_worker
    assert list(selectors.appeals_visible_to(worker)) == [ours]
    assert list(selectors.queue_for(worker)) == [ours]
    with pytest.raises(NotFound):
        selectors.appeal_get_for(worker, theirs.pk)
    client = signed_in(worker)
    assert client.get(f"/appeals/{ours.pk}/").status_code == 200
    assert client.get(f"/appeals/{theirs.pk}/").status_code == 404
    assert client.get(f"/api/appeals/{theirs.pk}").status_code == 404
    assert client.post(f"/api/appeals/{theirs.pk}/acknowledge").status_code == 404
    assert [row["id"] for row in client.get("/api/appeals/").json()["items"]] == [ours.pk]
    page = client.get("/appeals/workbench/?tab=all").content.decode()
    assert ours.tracking_number in page and theirs.tracking_number not in page
    # The community worker above both grids still sees both.
    assert {ours, theirs} <= set(selectors.appeals_visible_to(cast.community_worker))


def test_a_grid_worker_keeps_what_was_escalated_from_their_grid_and_what_they_reported(
    cast: Cast, neighbour_grid: Grid
) -> None:
    ours = by_hotline(
        cast,
        cast.grid,
        "1号楼门口的路灯不亮了，晚上很黑。",
        category_code="property_management.property_service",
    )
    services.appeal_escalate(actor=cast.grid_worker, appeal=ours, reason="需要社区协调处置")
    reported = services.appeal_submit(
        actor=cast.grid_worker,
        kind="help",
        description="巡查发现邻网格3号楼门口井盖松动，请处理。",
        channel="patrol",
        lng=116.406,
        lat=39.902,
    )
    assert reported.grid == neighbour_grid  # placed by its position, outside the worker's grid
    visible = set(selectors.appeals_visible_to(cast.grid_worker))
    assert visible == {Appeal.objects.get(pk=ours.pk), reported}


# --- a property company's staff (物业) ------------------------------------------------------------------------


@pytest.fixture
def company(cast: Cast) -> Organisation:
    return territory.organisation_create(
        actor=None, kind="property_company", name="阳光物业", code="P-YG", org_node=cast.compound
    )


@pytest.fixture
def property_staff(company: Organisation) -> User:
    return accounts.staff_create(
        actor=None, username="wuye", role=Role.PROPERTY_STAFF, organisation=company, password="Xy7!linli-pass"
    )


def test_a_property_staff_account_belongs_to_a_property_company_that_serves_a_compound(
    cast: Cast, company: Organisation
) -> None:
    for organisation in (None, cast.department):
        with pytest.raises(ValidationFailed) as refused:
            accounts.staff_placement_check(role=Role.PROPERTY_STAFF, org_node=None, organisation=organisation)
        assert refused.value.extra["field"] == "organisation"
    loose = territory.organisation_create(actor=None, kind="property_company", name="无主物业", code="P-X")
    with pytest.raises(ValidationFailed, match="小区"):
        accounts.staff_placement_check(role=Role.PROPERTY_STAFF, org_node=None, organisation=loose)
    with pytest.raises(ValidationFailed) as refused:
        accounts.staff_placement_check(role=Role.PROPERTY_STAFF, org_node=cast.compound, organisation=company)
    assert refused.value.extra["field"] == "org_node"
    accounts.staff_placement_check(role=Role.PROPERTY_STAFF, org_node=None, organisation=company)


def test_property_staff_see_and_handle_the_appeals_dispatched_to_their_company_and_nothing_else(
    cast: Cast, company: Organisation, property_staff: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    classifier_says(monkeypatch, "environment.noise", 0.0)  # unsure: both wait at the community's desk
    cast.resident.household = cast.household
    cast.resident.save(update_fields=["household"])
    lift = by_hotline(cast, cast.grid, "1号楼电梯又停了，老人下不了楼。")
    other = by_hotline(cast, cast.grid, "1号楼门口垃圾桶满了没人清。")
    assert lift.state == other.state == "accepted"
    worker = signed_in(cast.community_worker)
    sent = worker.post(
        f"/api/appeals/{lift.pk}/dispatch",
        data={"unit_org_id": company.pk, "category_code": "property_management.property_service"},
        content_type="application/json",
    )
    assert sent.status_code == 200, sent.content
    assert (sent.json()["tier"], sent.json()["unit_name"]) == ("department", "阳光物业")
    # Its page calls the unit a property company, not a department (every organisation was 职能部门).
    page = worker.get(f"/appeals/{lift.pk}/").content.decode()
    assert "阳光物业（物业公司）" in page and "职能部门" not in page

    assert list(selectors.appeals_visible_to(property_staff)) == [Appeal.objects.get(pk=lift.pk)]
    client = signed_in(property_staff)
    assert [row["id"] for row in client.get("/api/appeals/").json()["items"]] == [lift.pk]
    assert client.get(f"/appeals/{other.pk}/").status_code == 404
    assert client.get(f"/api/appeals/{other.pk}").status_code == 404
    # Nothing of the territory: not the grid, not the residents.
    assert client.get(f"/territory/grids/{cast.grid.pk}/").status_code in (403, 404)
    assert client.get("/api/residents").json()["items"] == []
    # They handle it: acknowledge and resolve, through the API as their app would.
    body = client.get(f"/api/appeals/{lift.pk}").json()
    assert {"acknowledge", "return"} <= set(body["actions"])
    assert client.post(f"/api/appeals/{lift.pk}/acknowledge").status_code == 200
    done = client.post(
        f"/api/appeals/{lift.pk}/resolve",
        data={"note": "电梯维保单位已到场更换控制板，恢复运行。", "outcome": "fixed"},
        content_type="application/json",
    )
    assert done.status_code == 200, done.content
    assert done.json()["state"] == "resolved"
    # Their home and queue show their company's work, with no territory pages in the menu.
    home = client.get("/").content.decode()
    assert "阳光物业" in home
    assert "/territory/" not in client.get("/appeals/workbench/").content.decode()


def test_property_staff_do_not_see_their_company_s_work_outside_the_compound_it_serves(
    cast: Cast, company: Organisation, property_staff: User
) -> None:
    elsewhere = services.appeal_submit(
        actor=cast.street_officer,
        kind="complaint",
        description="光明社区2号楼楼道灯坏了，晚上看不见。",
        channel="hotline",
        contact_name="钱先生",
        contact_phone="13900003333",
        grid=cast.other_grid,
        category_code="property_management.property_service",
    )
    # Whoever named the company for another community's appeal, its staff do not see it there.
    Appeal.objects.filter(pk=elsewhere.pk).update(tier="department", unit_org=company, unit_node=None)
    assert not selectors.appeals_visible_to(property_staff).exists()


def test_the_community_supervises_what_it_gave_to_the_property_company(
    cast: Cast, company: Organisation, property_staff: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    classifier_says(monkeypatch, "environment.noise", 0.0)
    lift = by_hotline(cast, cast.grid, "1号楼电梯又停了，老人下不了楼。")
    services.appeal_dispatch(
        actor=cast.community_worker,
        appeal=lift,
        unit_org=company,
        category_code="property_management.property_service",
    )
    services.appeal_return(actor=property_staff, appeal=lift, reason="电梯产权属于开发商，不归物业维修")
    lift.refresh_from_db()
    client = signed_in(cast.community_worker)
    assert "dispatch" in client.get(f"/api/appeals/{lift.pk}").json()["actions"]
    # A district department's appeal is still the district's to supervise, not the community's.
    road = by_hotline(
        cast, cast.grid, "和平路路面塌陷一个大坑。", category_code="urban_construction.road_works"
    )
    Appeal.objects.filter(pk=road.pk).update(tier="department", unit_org=cast.department, unit_node=None)
    assert "urge" not in client.get(f"/api/appeals/{road.pk}").json()["actions"]
