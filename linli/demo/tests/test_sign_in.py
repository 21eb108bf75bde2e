"""While the database holds the demo, the staff sign-in page has a folded block 演示账号 listing the demo's staff
accounts by role with their areas (each one signs in with the demo's password, which the page never shows), and
both sign-in pages give the demo residents' mobile numbers; without the demo, neither page says a word of it."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from linli.accounts.models import User
from linli.demo import deliberation, sign_in
from linli.demo.parts import DemoRun
from linli.demo.territory.organisations import PARTNER_STAFF_USERNAME
from linli.demo.tests.shared_run import small_run_fixtures
from linli.territory.models import Resident

# Built once for this module (shared_build): its tests stay on one xdist worker (`--dist loadgroup`).
pytestmark = pytest.mark.xdist_group("test_sign_in")

STAFF_LOGIN = "/login/"
RESIDENT_LOGIN = "/accounts/resident/login/"


# The small district and the demo residents' accounts (the deliberation part makes them), built once for this
# module's tests; each rolls back what it wrote.
small_run, run, _only_where_asked = small_run_fixtures(deliberation.part)


def _block(html: str) -> str:
    found = re.search(r'<details class="demo-accounts">(.*?)</details>', html, re.S)
    assert found is not None, "no 演示账号 block"
    return found.group(1)


def test_the_sign_in_pages_name_the_demo_accounts(
    run: DemoRun, client: Client, django_assert_num_queries: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    demo = run.district
    assert demo is not None
    grid_workers = demo.usernames["grid_worker"]
    monkeypatch.setattr(sign_in, "LIST_ALL", len(grid_workers))  # every account named
    html = client.get(STAFF_LOGIN).content.decode()
    block = _block(html)
    assert "<summary>演示账号</summary>" in block and "make run" in block
    assert demo.password not in html  # a random password, printed once: never on the page

    listed = re.findall(r"<li><code>([^<]+)</code><span>([^<]+)</span>", block)
    usernames = [u for u, _area in listed]
    assert usernames == [
        *demo.usernames["district_leader"],
        *demo.usernames["street_officer"],
        *demo.usernames["community_worker"],
        *demo.usernames["grid_worker"],
        *demo.usernames["department_handler"],
        PARTNER_STAFF_USERNAME,
        *demo.usernames["property_staff"],
    ]
    # Each named account signs in with the demo's password; with its role and area beside it.
    for user in User.objects.filter(username__in=usernames):
        assert user.is_active and user.check_password(demo.password), user.username
    assert User.objects.filter(username__in=usernames).count() == len(usernames)
    first = User.objects.get(username=grid_workers[0])
    assert (grid_workers[0], f"网格员 · {first.grids.order_by('code')[0].name}") in listed
    company = User.objects.get(username="property1").organisation
    assert company is not None and ("property1", f"物业人员 · {company.name}") in listed
    assert ("community1", f"社区工作者 · {demo.communities[0].name}") in listed
    # A partner unit's contact: its unit's account (a handler of the unit), listed under 共建单位.
    unit = User.objects.get(username=PARTNER_STAFF_USERNAME).organisation
    assert unit is not None and unit.kind == "partner_unit"
    assert (PARTNER_STAFF_USERNAME, f"共建单位 · {unit.name}") in listed
    assert client.post(STAFF_LOGIN, {"username": "community1", "password": demo.password}).status_code == 302

    # The residents, at their own sign-in page, with the code from the server log.
    assert "<code>19900000001</code>–<code>19900000012</code>" in block and "服务器日志" in block
    assert f'href="{RESIDENT_LOGIN}"' in block and "<code>19900000020</code>" in block
    resident_page = Client().get(RESIDENT_LOGIN).content.decode()
    assert "演示：居民手机号 19900000001–19900000012，党支部书记手机号 19900000020" in resident_page

    # The full demo's 200 grid workers: the first few named, the rest summed up to the last.
    monkeypatch.setattr(sign_in, "LIST_ALL", len(grid_workers) - 1)
    block = _block(Client().get(STAFF_LOGIN).content.decode())
    assert f"<li><code>{grid_workers[sign_in.SHOWN - 1]}</code>" in block
    assert f"<li><code>{grid_workers[sign_in.SHOWN]}</code>" not in block
    assert f"<code>… {grid_workers[-1]}</code><span>网格员共 {len(grid_workers)} 个账号</span>" in block

    # Without the demo district, nothing (a database that only kept the accounts).
    Resident.objects.update(is_demo=False)
    with django_assert_num_queries(1):
        assert sign_in.staff_accounts() is None
    with django_assert_num_queries(1):
        assert sign_in.resident_phones() is None
    assert "demo-accounts" not in Client().get(STAFF_LOGIN).content.decode()
    assert "19900000001" not in Client().get(RESIDENT_LOGIN).content.decode()


def _accounts_read(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The usernames of the accounts loaded from the database from now on."""
    read: list[str] = []
    from_db = User.from_db

    def counted(cls: type[User], db: Any, field_names: Any, values: Any, **kwargs: Any) -> User:
        user = from_db.__func__(cls, db, field_names, values, **kwargs)  # type: ignore[attr-defined]
        read.append(user.username)
        return user

    monkeypatch.setattr(User, "from_db", classmethod(counted))
    return read


def test_each_sign_in_page_reads_only_the_accounts_it_names(
    run: DemoRun, django_assert_num_queries: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    demo = run.district
    assert demo is not None
    grid_workers = demo.usernames["grid_worker"]
    monkeypatch.setattr(sign_in, "LIST_ALL", len(grid_workers) - 1)
    read = _accounts_read(monkeypatch)

    # The residents' page names the first and last number: it reads no account at all, staff or resident.
    with django_assert_num_queries(2):
        phones = sign_in.resident_phones()
    assert phones == sign_in.Residents("19900000001", "19900000012", "19900000020") and read == []
    resident_page = Client().get(RESIDENT_LOGIN).content.decode()
    assert "19900000001–19900000012" in resident_page and "19900000020" in resident_page and read == []

    # The staff page reads the accounts it names and the last grid worker's, no other grid worker and no resident.
    with django_assert_num_queries(4):
        accounts = sign_in.staff_accounts()
    assert accounts is not None and accounts.residents == phones
    named = [a.username for r in accounts.roles for a in r.shown]
    lasts = [r.last for r in accounts.roles if r.more]
    assert grid_workers[-1] in lasts
    assert sorted(read) == sorted([*named, *lasts, *(["admin"] if accounts.admin else [])])
    assert sorted(u for u in read if u in grid_workers) == sorted(
        [*grid_workers[: sign_in.SHOWN], grid_workers[-1]]
    )
