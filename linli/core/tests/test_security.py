"""Security settings as a user or an attacker meets them: lockout, CSRF, CSP, and a clean `check --deploy`."""

from __future__ import annotations

import json
import secrets
from pathlib import Path
from typing import Any

from django.test import Client

from linli.core.tests.fresh_process import run_python
from linli.testing import PASSWORD, Cast


def _login(client: Client, username: str, password: str) -> Any:
    return client.post("/login/", {"username": username, "password": password})


def test_five_failed_sign_ins_lock_the_account_even_for_the_right_password(cast: Cast) -> None:
    client = Client()
    for _ in range(4):
        response = _login(client, "communityworker", "wrong-password")
        assert response.status_code == 200
        assert "_auth_user_id" not in client.session
    fifth = _login(client, "communityworker", "wrong-password")
    assert fifth.status_code == 429
    locked = _login(client, "communityworker", PASSWORD)
    assert locked.status_code == 429
    assert "登录失败次数过多" in locked.content.decode()
    assert "_auth_user_id" not in client.session
    # Another account from the same address is not locked by someone else's failures.
    other = _login(Client(), "streetofficer", PASSWORD)
    assert other.status_code == 302


def test_a_successful_sign_in_resets_the_failure_count(cast: Cast) -> None:
    client = Client()
    for _ in range(4):
        _login(client, "gridworker", "wrong-password")
    assert _login(client, "gridworker", PASSWORD).status_code == 302
    client.logout()
    for _ in range(4):
        assert _login(client, "gridworker", "wrong-password").status_code == 200
    assert _login(client, "gridworker", PASSWORD).status_code == 302


def test_forms_without_a_csrf_token_are_refused(cast: Cast) -> None:
    client = Client(enforce_csrf_checks=True)
    assert _login(client, "communityworker", PASSWORD).status_code == 403
    page = client.get("/login/")
    token = page.cookies["csrftoken"].value
    response = client.post(
        "/login/", {"username": "communityworker", "password": PASSWORD, "csrfmiddlewaretoken": token}
    )
    assert response.status_code == 302


def test_api_writes_with_a_session_need_the_csrf_token(cast: Cast) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(cast.community_worker)
    url = f"/api/residents/{cast.resident_record.pk}/reveal"
    assert client.post(url).status_code == 403
    client.get("/")  # a page sets the CSRF cookie, which htmx and fetch send back as X-CSRFToken
    token = client.cookies["csrftoken"].value
    assert client.post(url, headers={"X-CSRFToken": token}).status_code == 200


def test_pages_carry_a_strict_content_security_policy(cast: Cast, client_for: Any) -> None:
    for client, url in (
        (Client(), "/login/"),
        (Client(), "/accounts/resident/login/"),
        (client_for("admin"), "/"),
    ):
        response = client.get(url)
        csp = response.headers["Content-Security-Policy"]
        assert "default-src 'self'" in csp, url
        assert "script-src 'self'" in csp
        assert "frame-ancestors 'none'" in csp
        assert "object-src 'none'" in csp
        assert response.headers["X-Frame-Options"] == "DENY"
        assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_session_and_csrf_cookies_are_http_only_where_it_matters(cast: Cast) -> None:
    client = Client()
    client.get("/login/")
    response = _login(client, "communityworker", PASSWORD)
    assert response.cookies["sessionid"]["httponly"]


# `linli check --deploy` twice in one fresh process: first with the production settings below, then with an insecure
# set, the settings module read again from the new environment (starting Django twice cost half a minute of CI).
CHECK_DEPLOY_TWICE = """
import contextlib, importlib, io, json, os, sys
from linli.cli import main

def check_deploy(env):
    for name in [k for k in os.environ if k.startswith("LINLI_")]:
        del os.environ[name]
    os.environ.update(env)
    os.makedirs(env["LINLI_VAR_DIR"], exist_ok=True)
    if "linli.settings" in sys.modules:  # the second set: the settings read again from the environment
        from django.conf import empty, settings
        importlib.reload(sys.modules["linli.settings"])
        settings._wrapped = empty
    out, err, code = io.StringIO(), io.StringIO(), 0
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            main(["linli", "check", "--deploy", "--fail-level", "WARNING"])
        except SystemExit as exc:
            code = exc.code or 0
    return {"returncode": code, "stdout": out.getvalue(), "stderr": err.getvalue()}

print(json.dumps([check_deploy(env) for env in json.loads(sys.argv[1])]))
"""


def _check_deploy(*settings: dict[str, str]) -> list[dict[str, Any]]:
    """`linli check --deploy` in one fresh process, once for each set of `settings` in turn (no LINLI_ or DJANGO_
    variables of this run leak in): each result's returncode, stdout and stderr."""
    result = run_python(["-c", CHECK_DEPLOY_TWICE, json.dumps(settings)], {})
    assert result.returncode == 0, result.stdout + result.stderr
    results: list[dict[str, Any]] = json.loads(result.stdout.strip().splitlines()[-1])
    return results


def test_check_deploy_is_clean_with_production_settings_and_catches_an_insecure_configuration(
    tmp_path: Path,
) -> None:
    """Production settings pass `check --deploy` in a fresh process; the check is not vacuous: plain HTTP with
    debug on and a weak key, read from the environment in the same process afterwards, is reported."""
    production, insecure = _check_deploy(
        {
            "LINLI_HTTPS": "true",
            "LINLI_DEBUG": "false",
            "LINLI_SECRET_KEY": secrets.token_urlsafe(64),
            "LINLI_FIELD_KEY": secrets.token_urlsafe(32),
            "LINLI_ALLOWED_HOSTS": "linli.example.gov.cn",
            "LINLI_VAR_DIR": str(tmp_path / "production"),
        },
        {
            "LINLI_HTTPS": "true",
            "LINLI_DEBUG": "true",
            "LINLI_SECRET_KEY": "short",
            "LINLI_VAR_DIR": str(tmp_path / "insecure"),
        },
    )
    assert production["returncode"] == 0, production["stdout"] + production["stderr"]
    assert "系统检查未发现问题" in production["stdout"]  # the report in Chinese too (core.checks_report)
    assert insecure["returncode"] != 0
    assert "security.W018" in insecure["stdout"] + insecure["stderr"]  # DEBUG on
    assert "security.W009" in insecure["stdout"] + insecure["stderr"]  # weak secret key
    # … in Chinese, naming the variable to set (linli.core.checks.deploy_settings).
    assert (
        "LINLI_DEBUG 为 true" in insecure["stderr"] and "LINLI_SECRET_KEY 太短或太简单" in insecure["stderr"]
    )


def test_public_pages_never_say_public_while_setting_a_cookie(cast: Cast) -> None:
    from linli.territory.models import OrgNode

    community = OrgNode.objects.filter(kind="community").first()
    assert community is not None
    with_cookie = []
    for url in ("/public/", f"/public/c/{community.pk}/", "/appeals/public/"):
        response = Client().get(url)
        assert response.status_code == 200, url
        if response.cookies:
            with_cookie.append(url)
            assert "public" not in response.get("Cache-Control", ""), (url, response["Cache-Control"])
    assert with_cookie  # the pages carry a form (language switch): the CSRF cookie is set on them
    # A response that sets no cookie keeps its public caching.
    plain = Client().get("/appeals/grids.json")
    assert plain.status_code == 200 and not plain.cookies
    assert "public" in plain["Cache-Control"]


def test_the_tile_servers_address_is_allowed_for_images_as_written() -> None:
    # `{s}` (a, b, c subdomains) is a wildcard; an "a." elsewhere in the host is part of its name: the host
    # mapdata.chaoyang.gov.cn became mapdat*.chaoyang.gov.cn, and the browser refused every tile.
    from linli.core.env import tile_image_source

    assert (
        tile_image_source("https://mapdata.chaoyang.gov.cn/{z}/{x}/{y}.png")
        == "https://mapdata.chaoyang.gov.cn"
    )
    assert (
        tile_image_source("https://{s}.tiles.intranet:8443/{z}/{x}/{y}.png")
        == "https://*.tiles.intranet:8443"
    )
    assert tile_image_source("/tiles/{z}/{x}/{y}.png") is None  # on Linli's own host: 'self' allows it
    assert tile_image_source("") is None
