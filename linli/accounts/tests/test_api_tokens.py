"""Other systems call the API with a key that acts as one account, with that account's scope."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client

from linli.accounts import services
from linli.accounts.models import ApiToken
from linli.core.errors import PermissionDenied
from linli.testing import Cast


def bearer(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


def test_a_key_acts_as_its_account_with_that_scope_and_needs_no_csrf(cast: Cast) -> None:
    _, key = services.api_token_create(actor=cast.admin, user=cast.community_worker, name="12345 热线系统")
    client = Client(enforce_csrf_checks=True)
    grids = client.get("/api/grids", headers=bearer(key))
    assert grids.status_code == 200
    assert {f["properties"]["code"] for f in grids.json()["features"]} == {"G001"}
    # Another community's grid is simply not there for this key.
    assert client.get(f"/api/grids/{cast.other_grid.pk}", headers=bearer(key)).status_code == 404
    # A write with the key needs no CSRF token (there is no cookie to forge).
    submitted = client.post(
        "/api/appeals/",
        data={
            "kind": "complaint",
            "title": "路灯不亮",
            "description": "和平路1号院1号楼门口的路灯坏了一周了",
            "channel": "api",
            "contact_name": "张三",
            "contact_phone": "13812345678",
            "lng": 116.402,
            "lat": 39.902,
        },
        content_type="application/json",
        headers={**bearer(key), "Idempotency-Key": "hotline-1"},
    )
    assert submitted.status_code == 201, submitted.content
    listed = client.get("/api/appeals/", headers=bearer(key))
    assert listed.status_code == 200
    assert listed.json()["count"] >= 1


def test_a_wrong_or_revoked_key_is_refused(cast: Cast) -> None:
    token, key = services.api_token_create(actor=cast.admin, user=cast.street_officer, name="区级平台")
    client = Client()
    assert client.get("/api/org-tree", headers=bearer(key)).status_code == 200
    assert client.get("/api/org-tree", headers=bearer(key + "x")).status_code == 401
    services.api_token_revoke(actor=cast.admin, token=token)
    refused = client.get("/api/org-tree", headers=bearer(key))
    assert refused.status_code == 401
    assert refused.json()["code"] == "unauthenticated"
    appeal = {
        "kind": "help",
        "title": "求助",
        "description": "楼道灯坏了",
        "channel": "api",
        "contact_phone": "13812345678",
    }
    bad_submit = client.post(
        "/api/appeals/", data=appeal, content_type="application/json", headers=bearer(key)
    )
    assert bad_submit.status_code == 401


def test_only_an_administrator_makes_keys_and_only_a_hash_is_stored(cast: Cast) -> None:
    with pytest.raises(PermissionDenied):
        services.api_token_create(actor=cast.community_worker, user=cast.community_worker, name="x")
    token, key = services.api_token_create(actor=cast.admin, user=cast.grid_worker, name="巡查终端")
    stored = ApiToken.objects.get(pk=token.pk)
    assert key not in (stored.key_hash, stored.prefix) and key.startswith(stored.prefix)


def test_the_command_makes_lists_and_revokes_keys(cast: Cast) -> None:
    out = io.StringIO()
    call_command("api_token", "create", "streetofficer", "区级平台", stdout=out)
    key = out.getvalue().strip().splitlines()[-1]
    assert Client().get("/api/org-tree", headers=bearer(key)).status_code == 200
    token = ApiToken.objects.get()
    call_command("api_token", "revoke", str(token.pk), stdout=io.StringIO())
    listing = io.StringIO()
    call_command("api_token", "list", stdout=listing)
    assert "已作废" in listing.getvalue()
    assert Client().get("/api/org-tree", headers=bearer(key)).status_code == 401


def test_a_key_the_admin_cannot_make_is_refused_once_on_its_form_with_what_was_typed(
    cast: Cast, client_for: Any
) -> None:
    cast.grid_worker.is_active = False
    cast.grid_worker.save(update_fields=["is_active"])
    admin = client_for("admin")
    page = admin.post(
        "/admin/accounts/apitoken/add/", {"user": cast.grid_worker.pk, "name": "巡查终端"}, follow=True
    )
    text = page.content.decode()
    assert page.status_code == 200 and text.count("该账号已停用。") == 1
    assert 'value="巡查终端"' in text and f'value="{cast.grid_worker.pk}"' in text
    assert not ApiToken.objects.exists()
    made = admin.post(
        "/admin/accounts/apitoken/add/", {"user": cast.street_officer.pk, "name": "区级平台"}, follow=True
    )
    assert "区级平台 的接口密钥（请立即复制，之后不再显示）：ll_" in made.content.decode()


def test_password_sign_in_is_offered_as_on_or_off_not_in_the_resident_tags_words(client_for: Any) -> None:
    admin = client_for("admin")
    page = admin.get("/admin/accounts/user/add/").content.decode()
    assert "启用" in page and "停用" in page and "残疾人" not in page


def test_the_command_speaks_chinese_and_names_createsuperuser_without_an_administrator(cast: Cast) -> None:
    # A production database has no demo: `linli setup` (the advice given) would load the demo district into it.
    from django.core.management import CommandError
    from django.utils import translation

    from linli.accounts.models import User

    with translation.override("zh-hans"):
        with pytest.raises(CommandError, match="没有名为“nosuch”的账号"):
            call_command("api_token", "create", "nosuch", "区级平台", stdout=io.StringIO())
        listing = io.StringIO()
        call_command("api_token", "create", "streetofficer", "区级平台", stdout=listing)
        assert "仅显示这一次" in listing.getvalue()
        User.objects.filter(is_superuser=True).update(is_active=False)
        with pytest.raises(CommandError, match="linli createsuperuser") as refused:
            call_command("api_token", "list", stdout=io.StringIO())
        assert "linli setup" not in str(refused.value)
