"""The Django admin used for configuration: territory and audit log registrations."""

from __future__ import annotations

import json
import re

import pytest
from django.test import Client

from linli.core.models import AuditEntry
from linli.territory import services
from linli.territory.models import Building, Grid, OrgNode
from linli.testing import Cast, square

pytestmark = pytest.mark.django_db

CHANGELISTS = [
    "territory/orgnode",
    "territory/grid",
    "territory/building",
    "territory/household",
    "territory/resident",
    "territory/venue",
    "territory/visit",
    "party/partyorg",
    "party/partymember",
    "party/beaconhousehold",
    "party/memberregistration",
    "territory/organisation",
    "core/auditentry",
    "core/outboxmessage",
]


@pytest.fixture
def admin_client_(client_for) -> Client:
    return client_for("admin")


def test_admin_is_titled_in_chinese(admin_client_: Client) -> None:
    page = admin_client_.get("/admin/").content.decode()
    assert "邻里系统管理" in page
    # the audit log, the calendar and the outbox under 系统, not the programmers' 核心
    assert "<caption>" in page and "核心" not in page and 'class="section">系统<' in page
    # The sign-in lockout's section too (django-axes ships no Chinese).
    assert "登录保护" in page and "登录尝试" in page and "Access attempts" not in page


@pytest.mark.parametrize("path", CHANGELISTS)
def test_every_changelist_renders(admin_client_: Client, path: str) -> None:
    assert admin_client_.get(f"/admin/{path}/").status_code == 200


def test_resident_admin_masks_personal_data_and_is_read_only(admin_client_: Client, cast: Cast) -> None:
    page = admin_client_.get("/admin/territory/resident/").content.decode()
    assert "138****5678" in page
    assert cast.resident_record.id_number_masked in page
    assert "13812345678" not in page
    assert cast.resident_record.id_number not in page
    detail = admin_client_.get(
        f"/admin/territory/resident/{cast.resident_record.pk}/change/"
    ).content.decode()
    assert "13812345678" not in detail and cast.resident_record.id_number not in detail
    assert admin_client_.get("/admin/territory/resident/add/").status_code == 403


def test_adding_an_org_node_goes_through_the_service(admin_client_: Client, cast: Cast) -> None:
    response = admin_client_.post(
        "/admin/territory/orgnode/add/",
        {"kind": "community", "name": "新华社区", "code": "110199001003", "parent": cast.street.pk},
    )
    assert response.status_code == 302
    node = OrgNode.objects.get(code="110199001003")
    assert node.path == f"{cast.street.path}{node.pk}/"
    assert node.depth == cast.street.depth + 1


def test_an_org_node_under_the_wrong_parent_is_refused_with_a_message(
    admin_client_: Client, cast: Cast
) -> None:
    response = admin_client_.post(
        "/admin/territory/orgnode/add/",
        {"kind": "community", "name": "错位社区", "code": "110199009", "parent": cast.district.pk},
    )
    assert response.status_code == 200
    assert "请选择正确层级的上级" in response.content.decode()
    assert not OrgNode.objects.filter(code="110199009").exists()


def test_adding_a_grid_computes_its_geometry(admin_client_: Client, cast: Cast) -> None:
    response = admin_client_.post(
        "/admin/territory/grid/add/",
        {
            "code": "G100",
            "name": "新网格",
            "kind": "grid",
            "org_node": cast.community.pk,
            "boundary": json.dumps(square(116.42, 39.90)),
            "station_name": "",
        },
    )
    assert response.status_code == 302
    grid = Grid.objects.get(code="G100")
    assert grid.area_m2 > 100_000
    assert 116.42 < grid.centroid_lng < 116.43


def test_a_grid_with_a_broken_boundary_is_refused(admin_client_: Client, cast: Cast) -> None:
    bowtie = {"type": "Polygon", "coordinates": [[[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]]]}
    response = admin_client_.post(
        "/admin/territory/grid/add/",
        {
            "code": "G101",
            "name": "坏网格",
            "kind": "grid",
            "org_node": cast.community.pk,
            "boundary": json.dumps(bowtie),
        },
    )
    assert response.status_code == 200
    assert "四至边界不是有效的闭合多边形" in response.content.decode()
    assert not Grid.objects.filter(code="G101").exists()


def _building_form(cast: Cast, **fields: object) -> dict[str, object]:
    return {
        "grid": cast.grid.pk,
        "code": "B100",
        "name": "新楼",
        "address": "和平里100号楼",
        "lng": 116.4205,
        "lat": 39.9005,
        "floors": 6,
        "households_per_floor": 2,
        **fields,
    }


def test_adding_a_building_goes_through_the_service_with_its_homes_per_floor(
    admin_client_: Client, cast: Cast, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[dict[str, object]] = []
    real = services.building_create

    def spy(**kwargs: object) -> Building:
        calls.append(kwargs)
        return real(**kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(services, "building_create", spy)
    # A new building has no one living in it: the add form offers no captain (named once households live there).
    assert 'name="captain"' not in admin_client_.get("/admin/territory/building/add/").content.decode()
    response = admin_client_.post("/admin/territory/building/add/", _building_form(cast))
    assert response.status_code == 302
    building = Building.objects.get(code="B100")
    assert (building.households_per_floor, building.address_key) == (2, "和平里100号楼")
    assert [(c["households_per_floor"], c["captain"]) for c in calls] == [(2, None)]


def test_the_building_form_keeps_the_services_rules(admin_client_: Client, cast: Cast) -> None:
    too_many = admin_client_.post(
        "/admin/territory/building/add/", _building_form(cast, households_per_floor=51)
    )
    assert too_many.status_code == 200 and "请填写 0 到 50 之间的整数" in too_many.content.decode()
    assert not Building.objects.filter(code="B100").exists()
    change = f"/admin/territory/building/{cast.building.pk}/change/"
    where = {"lng": cast.building.lng, "lat": cast.building.lat}  # a building stays inside its grid
    elsewhere = _building_form(cast, code=cast.building.code, captain=cast.other_resident_record.pk, **where)
    refused = admin_client_.post(change, elsewhere)
    assert refused.status_code == 200 and "楼栋长须是住在本楼的居民" in refused.content.decode()
    living = admin_client_.post(change, {**elsewhere, "captain": cast.resident_record.pk})
    assert living.status_code == 302
    cast.building.refresh_from_db()
    assert cast.building.captain_id == cast.resident_record.pk


def test_changing_a_grid_boundary_recomputes_the_area(admin_client_: Client, cast: Cast) -> None:
    grid = cast.grid
    before = grid.area_m2
    response = admin_client_.post(
        f"/admin/territory/grid/{grid.pk}/change/",
        {
            "code": grid.code,
            "name": "阳光一网格（调整）",
            "kind": grid.kind,
            "org_node": grid.org_node_id,
            "boundary": json.dumps(square(116.40, 39.90, size=0.002)),
            "station_name": "阳光驿站",
            "workers": [cast.grid_worker.pk],
        },
    )
    assert response.status_code == 302
    grid.refresh_from_db()
    assert grid.name == "阳光一网格（调整）" and grid.station_name == "阳光驿站"
    assert grid.area_m2 == pytest.approx(before / 4, rel=0.01)
    assert list(grid.workers.all()) == [cast.grid_worker]


def test_audit_log_is_listed_but_cannot_be_edited(admin_client_: Client, cast: Cast) -> None:
    services.resident_reveal(actor=cast.community_worker, resident=cast.resident_record, ip="10.0.0.1")
    entry = AuditEntry.objects.get(action="reveal_personal_data")
    page = admin_client_.get("/admin/core/auditentry/").content.decode()
    assert "reveal_personal_data" in page and "10.0.0.1" in page
    assert admin_client_.get("/admin/core/auditentry/add/").status_code == 403
    response = admin_client_.post(f"/admin/core/auditentry/{entry.pk}/delete/", {"post": "yes"})
    assert response.status_code == 403
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


def test_staff_without_django_admin_rights_cannot_open_the_admin(client_for) -> None:
    response = client_for("community_worker").get("/admin/")
    assert response.status_code == 302


# Tables a deployment fills by the thousands: an admin form that offers one of them as a dropdown lists every row
# (the building form listed 20,001 residents as captains: 8–12 s and 777 KB a page).
LARGE_TABLES = {
    "territory.resident",
    "territory.household",
    "territory.building",
    "accounts.user",
    "appeals.appeal",
    "party.partymember",
}


def test_no_admin_form_offers_a_large_table_as_a_dropdown(rf) -> None:
    from django.contrib import admin

    from linli.accounts.models import User

    request = rf.get("/admin/")
    request.user = User(username="root", is_staff=True, is_superuser=True)
    offending = []
    for model, model_admin in admin.site._registry.items():
        if not (model_admin.has_add_permission(request) or model_admin.has_change_permission(request)):
            continue  # a read-only page shows the related row as text
        shown_otherwise = {
            *model_admin.raw_id_fields,
            *model_admin.autocomplete_fields,
            *(model_admin.readonly_fields or ()),
            *(model_admin.exclude or ()),
        }
        listed = model_admin.fields
        for field in model._meta.get_fields():
            if not (field.is_relation and getattr(field, "editable", False) and field.concrete):
                continue
            if field.related_model is None or field.name in shown_otherwise:
                continue
            if listed is not None and field.name not in listed:
                continue
            if field.related_model._meta.label_lower in LARGE_TABLES:
                offending.append(f"{model._meta.label_lower}.{field.name}")
    assert offending == [], "\n".join(offending)


LABELLED_APPS = ["appeals", "triage", "territory", "party", "accounts", "care", "deliberation"]


@pytest.mark.parametrize("app", LABELLED_APPS)
def test_every_field_and_table_is_labelled_in_chinese(app: str) -> None:
    """The admin's column and table names speak Chinese: no field or model of these apps shows English."""
    from django.apps import apps
    from django.utils import translation

    with translation.override("zh-hans"):
        english = [
            f"{model.__name__}.{field.name}: {field.verbose_name}"
            for model in apps.get_app_config(app).get_models()
            for field in [*model._meta.concrete_fields, *model._meta.many_to_many]
            if not field.auto_created and not re.search(r"[\u4e00-\u9fff]", str(field.verbose_name))
        ]
        english += [
            f"{model.__name__}: {name}"
            for model in apps.get_app_config(app).get_models()
            for name in (model._meta.verbose_name, model._meta.verbose_name_plural)
            if not re.search(r"[\u4e00-\u9fff]", str(name))
        ]
    assert english == [], "\n".join(english)


def test_org_node_choices_name_their_kind_and_street(admin_client_: Client, cast: Cast) -> None:
    """Two communities of one name under different streets read apart wherever the admin offers an org node."""
    other_street = services.org_node_create(
        actor=None, kind="street", name="光明街道", code="110199002", parent=cast.district
    )
    services.org_node_create(
        actor=None, kind="community", name="幸福社区", code="110199002001", parent=other_street
    )
    for path in ("/admin/accounts/user/add/", "/admin/territory/grid/add/"):
        page = admin_client_.get(path).content.decode()
        assert "和平街道 › 幸福社区（社区）" in page and "光明街道 › 幸福社区（社区）" in page, path
    user_page = admin_client_.get(f"/admin/accounts/user/{cast.community_worker.pk}/change/").content.decode()
    assert "和平街道 › 幸福社区 › 阳光小区（小区）" in user_page and "和平街道（街道）" in user_page
