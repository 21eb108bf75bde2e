"""Staff accounts: each tree role needs a node of the right kind, a department handler a department."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import authenticate
from django.contrib.auth.hashers import make_password
from django.test import RequestFactory

from linli.accounts import services
from linli.accounts.models import User
from linli.core.errors import PermissionDenied, ValidationFailed
from linli.core.models import AuditEntry
from linli.testing import PASSWORD, Cast, signed_in


@pytest.mark.parametrize(
    ("role", "node", "ok"),
    [
        ("grid_worker", "compound", True),
        ("grid_worker", "community", True),
        ("grid_worker", "street", False),
        ("community_worker", "community", True),
        ("community_worker", "compound", False),
        ("street_officer", "street", True),
        ("street_officer", "community", False),
        ("district_leader", "district", True),
        ("district_leader", "street", False),
        ("community_worker", None, False),
    ],
)
def test_tree_roles_need_a_node_of_a_sensible_kind(cast: Cast, role: str, node: str | None, ok: bool) -> None:
    org_node = getattr(cast, node) if node else None
    if ok:
        user = services.staff_create(actor=cast.admin, username="new", role=role, org_node=org_node)
        assert (user.role, user.org_node_id) == (role, org_node.pk)  # type: ignore[union-attr]
        assert AuditEntry.objects.filter(action="staff_create", object_id=str(user.pk)).exists()
    else:
        with pytest.raises(ValidationFailed) as err:
            services.staff_create(actor=cast.admin, username="new", role=role, org_node=org_node)
        assert err.value.extra["field"] == "org_node"
        assert not User.objects.filter(username="new").exists()


def test_department_handler_needs_a_department_and_no_node(cast: Cast) -> None:
    with pytest.raises(ValidationFailed) as err:
        services.staff_create(actor=cast.admin, username="d1", role="department_handler")
    assert err.value.extra["field"] == "organisation"
    with pytest.raises(ValidationFailed):
        services.staff_create(
            actor=cast.admin,
            username="d1",
            role="department_handler",
            organisation=cast.department,
            org_node=cast.street,
        )
    user = services.staff_create(
        actor=cast.admin, username="d1", role="department_handler", organisation=cast.department
    )
    assert user.organisation_id == cast.department.pk


def test_only_an_administrator_creates_staff_and_weak_passwords_are_refused(cast: Cast) -> None:
    with pytest.raises(PermissionDenied):
        services.staff_create(
            actor=cast.community_worker, username="x", role="grid_worker", org_node=cast.compound
        )
    with pytest.raises(ValidationFailed) as err:
        services.staff_create(
            actor=cast.admin, username="x", role="grid_worker", org_node=cast.compound, password="12345678"
        )
    assert err.value.extra["field"] == "password"
    with pytest.raises(ValidationFailed):
        services.staff_create(
            actor=cast.admin, username="GridWorker", role="grid_worker", org_node=cast.compound
        )


def test_an_administrator_account_can_use_the_admin(cast: Cast) -> None:
    user = services.staff_create(actor=cast.admin, username="root2", role="admin", password=PASSWORD)
    assert user.is_staff and user.is_superuser
    assert user.check_password(PASSWORD)


def test_admin_creates_a_grid_worker_through_the_add_form(cast: Cast, client_for: Any) -> None:
    client = client_for("admin")
    form = {
        "username": "wanggrid",
        "role": "grid_worker",
        "org_node": cast.compound.pk,
        "organisation": "",
        "display_name": "王二网格",
        "phone": "13600001111",
        "usable_password": "true",
        "password1": PASSWORD,
        "password2": PASSWORD,
    }
    response = client.post("/admin/accounts/user/add/", form)
    assert response.status_code == 302, response.content.decode()[:3000]
    user = User.objects.get(username="wanggrid")
    assert (user.role, user.org_node_id, user.display_name) == ("grid_worker", cast.compound.pk, "王二网格")
    assert user.check_password(PASSWORD)
    assert AuditEntry.objects.filter(action="staff_create", object_id=str(user.pk), actor=cast.admin).exists()


def test_admin_add_form_explains_a_wrong_placement_in_chinese(cast: Cast, client_for: Any) -> None:
    form = {
        "username": "badstreet",
        "role": "street_officer",
        "org_node": cast.community.pk,
        "usable_password": "false",
    }
    response = client_for("admin").post("/admin/accounts/user/add/", form)
    assert response.status_code == 200
    assert "街道干部须归属于某个街道" in response.content.decode()
    assert not User.objects.filter(username="badstreet").exists()


def test_admin_change_of_attachment_is_validated_and_audited(cast: Cast, client_for: Any) -> None:
    client = client_for("admin")
    url = f"/admin/accounts/user/{cast.grid_worker.pk}/change/"
    page = client.get(url)
    assert page.status_code == 200
    form = page.context["adminform"].form
    data = {
        k: v
        for k, v in form.initial.items()
        if v is not None
        and k
        not in (
            "password",
            "groups",
            "user_permissions",
            "last_login",
            "date_joined",
            "household_verified_at",
        )
    }
    data.update(
        {
            "org_node": cast.street.pk,
            "role": "grid_worker",
            "date_joined_0": "2026-01-01",
            "date_joined_1": "08:00:00",
        }
    )
    bad = client.post(url, data)
    assert bad.status_code == 200
    cast.grid_worker.refresh_from_db()
    assert cast.grid_worker.org_node_id == cast.compound.pk
    data.update({"org_node": cast.community.pk})
    good = client.post(url, data)
    assert good.status_code == 302, good.content.decode()[:2000]
    cast.grid_worker.refresh_from_db()
    assert cast.grid_worker.org_node_id == cast.community.pk
    assert AuditEntry.objects.filter(action="staff_update", object_id=str(cast.grid_worker.pk)).exists()


def test_admin_lists_users_with_role_and_place_and_claims(cast: Cast, client_for: Any) -> None:
    from linli.accounts.models import HouseholdClaim

    HouseholdClaim.objects.create(account=cast.resident, household=cast.household, claimant_name="张三")
    client = client_for("admin")
    users = client.get("/admin/accounts/user/?role=community_worker").content.decode()
    assert "刘社工" in users and "外社区社工" in users
    assert "幸福社区" in users
    assert "王网格" not in users
    claims = client.get("/admin/accounts/householdclaim/")
    assert claims.status_code == 200
    assert "张三" in claims.content.decode()
    assert client.get("/admin/accounts/householdclaim/add/").status_code == 403


def test_accounts_sharing_one_password_can_be_created_from_its_hash(cast: Cast) -> None:
    shared = make_password("one-Shared-pass-42")
    for name in ("w1", "w2"):
        services.staff_create(
            actor=None, username=name, role="grid_worker", org_node=cast.compound, password_hash=shared
        )
    request = RequestFactory().post("/login/")
    assert authenticate(request, username="w1", password="one-Shared-pass-42") is not None
    assert authenticate(request, username="w2", password="one-Shared-pass-42") is not None
    assert authenticate(request, username="w2", password="another-pass-42") is None
    assert AuditEntry.objects.filter(action="staff_create").count() == 2


def test_the_user_form_offers_no_django_permissions_as_access_follows_the_role(
    cast: Cast, client_for: Any
) -> None:
    """Nothing in Linli reads Django's per-model permissions or groups (the role decides, and the administrator
    role is a superuser): the user form lists none of them in English, and says what decides instead."""
    client = client_for("admin")
    page = client.get(f"/admin/accounts/user/{cast.grid_worker.pk}/change/").content.decode()
    assert 'name="user_permissions"' not in page and 'name="groups"' not in page
    assert "Can add" not in page
    assert "权限由角色决定" in page
    assert client.get("/admin/auth/group/").status_code == 404


def _change_form_data(client: Any, user: User) -> dict[str, Any]:
    form = client.get(f"/admin/accounts/user/{user.pk}/change/").context["adminform"].form
    skip = ("password", "groups", "user_permissions", "last_login", "date_joined", "household_verified_at")
    data = {k: v for k, v in form.initial.items() if v is not None and k not in skip}
    data.update({"date_joined_0": "2026-01-01", "date_joined_1": "08:00:00"})
    return {k: v for k, v in data.items() if v is not False}


def test_a_role_changed_in_the_admin_decides_who_is_an_administrator(cast: Cast, client_for: Any) -> None:
    """The role is the one source: made an administrator in the admin, the worker opens the admin site; made a
    community worker again, they no longer do, nor see the whole tree, whatever the form's flags said."""
    from linli.core.scoping import is_admin, tree_scope_path

    client = client_for("admin")
    worker = cast.community_worker
    url = f"/admin/accounts/user/{worker.pk}/change/"
    data = _change_form_data(client, worker)
    data.update({"role": "admin", "org_node": cast.district.pk})
    assert client.post(url, data).status_code == 302
    worker.refresh_from_db()
    assert worker.is_staff and worker.is_superuser and is_admin(worker)
    assert signed_in(worker).get("/admin/").status_code == 200

    data = _change_form_data(client, worker)
    data.update({"role": "community_worker", "org_node": cast.community.pk, "is_superuser": "on"})
    assert client.post(url, data).status_code == 302
    worker.refresh_from_db()
    assert worker.role == "community_worker"
    assert not worker.is_staff and not worker.is_superuser and not is_admin(worker)
    assert tree_scope_path(worker) == cast.community.path
    assert signed_in(worker).get("/admin/").status_code == 302


def test_admin_password_pages_say_in_chinese_what_disabling_password_sign_in_does(
    cast: Cast, client_for: Any
) -> None:
    # Django's own words spoke of Single Sign-On and LDAP, which Linli has not, and its warning on the password
    # page ("If disabled, the current password for this user will be lost.") has no Chinese at all.
    client = client_for("admin")
    change = client.get(f"/admin/accounts/user/{cast.grid_worker.pk}/password/").content.decode()
    add = client.get("/admin/accounts/user/add/").content.decode()
    for html in (change, add):
        assert "LDAP" not in html
        assert "工作人员只能用密码登录：停用后此账号将无法登录" in html
    assert "current password for this user will be lost" not in change
    assert (
        '<ul id="id_unusable_warning" class="messagelist"><li class="warning">停用后，此账号当前的密码将作废。'
        in change
    )
