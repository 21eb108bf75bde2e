"""The party members import and export, a kind of the territory's import pages (/territory/io/)."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import openpyxl
import pytest
from django.utils import translation

from linli.party.models import PartyMember, PartyOrg
from linli.party.services import party_member_create
from linli.territory.exports import export_rows, export_workbook
from linli.territory.imports import KINDS, territory_import
from linli.territory.tests.test_exports import sheet_rows
from linli.territory.tests.test_imports import csv_bytes, problems, run, xlsx_bytes
from linli.testing import Cast, valid_id_number


@pytest.fixture(autouse=True)
def _fast_passwords(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def branch(cast: Cast) -> PartyOrg:
    return PartyOrg.objects.create(kind="branch", name="幸福社区第一党支部", org_node=cast.community)


MEMBER_HEADER = ["姓名", "党组织", "党组织区划代码", "户编码", "身份证号", "联系电话", "入党日期", "工作单位"]
# The template before it took the member page's word for the phone (联系电话).
OLDER_MEMBER_HEADER = [*MEMBER_HEADER[:5], "手机号", *MEMBER_HEADER[6:]]


def test_members_import_links_residents_by_household_or_id_number(cast: Cast, branch: PartyOrg) -> None:
    rows = [
        MEMBER_HEADER,
        ["张三", "幸福社区第一党支部", "", "H001", "", "13812345678", "1975-07-01", ""],
        ["陈红", "幸福社区第一党支部", "110199001001", "", "", "", "2010年7月1日", "市第一医院"],
    ]
    result = run(cast.community_worker, "members", xlsx_bytes(rows), "m.xlsx")
    assert problems(result) == [] and result.created == 2
    zhang = PartyMember.objects.get(name="张三")
    assert zhang.resident == cast.resident_record and zhang.party_org == branch
    assert PartyMember.objects.get(name="陈红").joined_on == dt.date(2010, 7, 1)


def test_member_errors_are_reported_per_row(cast: Cast, branch: PartyOrg) -> None:
    PartyOrg.objects.create(kind="branch", name="光明社区党支部", org_node=cast.other_community)
    rows = [
        MEMBER_HEADER,
        ["张三", "幸福社区第一党支部", "", "H001", "", "", "", ""],
        ["张三", "幸福社区第一党支部", "", "H001", "", "", "", ""],
        ["李四", "光明社区党支部", "", "", "", "", "", ""],  # outside the worker's community
        ["王五", "幸福社区第一党支部", "", "H001", "", "", "", ""],
        ["赵六", "幸福社区第一党支部", "", "", "", "5551234", "", ""],
        ["钱七", "幸福社区第一党支部", "", "", "", "", "1900-01-01", ""],
        ["孙八", "幸福社区第一党支部", "", "", valid_id_number(seq="999"), "", "", ""],
    ]
    result = run(cast.community_worker, "members", csv_bytes(rows), "m.csv")
    assert [(r, c) for r, c, _m in problems(result)] == [
        (3, "name"),
        (4, "party_org"),
        (5, "household"),
        (6, "phone"),
        (7, "joined_on"),
        (8, "id_number"),
    ]
    assert PartyMember.objects.count() == 0


def test_a_party_group_cannot_keep_members(cast: Cast, branch: PartyOrg) -> None:
    PartyOrg.objects.create(kind="group", name="第一党小组", org_node=cast.community, parent=branch)
    rows = [MEMBER_HEADER, ["陈红", "第一党小组", "", "", "", "", "", ""]]
    result = run(cast.community_worker, "members", csv_bytes(rows), "m.csv")
    assert [(r, c) for r, c, _m in problems(result)] == [(2, "party_org")]


@pytest.fixture
def members(cast: Cast) -> Cast:
    """A member linked to a resident, one not linked, and one in the other community."""
    branch = PartyOrg.objects.create(kind="branch", name="幸福社区第一党支部", org_node=cast.community)
    other = PartyOrg.objects.create(kind="branch", name="光明社区党支部", org_node=cast.other_community)
    party_member_create(actor=None, name="张三", party_org=branch, resident=cast.resident_record)
    party_member_create(
        actor=None, name="陈红", party_org=branch, phone="13700001234", workplace="市第一医院"
    )
    party_member_create(actor=None, name="李四", party_org=other, resident=cast.other_resident_record)
    return cast


def test_members_are_an_import_kind_after_the_territorys_own(db: None) -> None:
    assert KINDS.index("members") > KINDS.index("residents")  # other apps may add kinds after it (devices)


def test_member_export_masks_phones_and_keeps_to_the_scope(members: Cast, client_for: Any) -> None:
    rows = sheet_rows(client_for("community_worker").get("/territory/io/export/members.xlsx").content)
    assert [r[0] for r in rows[1:]] == ["张三", "陈红"]
    assert rows[2][5] == "137****1234"
    outsider_rows = sheet_rows(client_for("outsider").get("/territory/io/export/members.xlsx").content)
    assert [r[0] for r in outsider_rows[1:]] == ["李四"]


def test_a_member_export_re_imports_linked_to_the_same_residents(members: Cast) -> None:
    admin = members.admin
    with translation.override("zh-hans"):
        before = list(export_rows("members", admin))
        content = export_workbook("members", admin)
    PartyMember.objects.all().delete()
    result = territory_import(actor=admin, kind="members", data=content, filename="members.xlsx")
    assert result.errors == [] and result.created == len(before) == 3
    after = list(export_rows("members", admin))
    # Everything but the masked phone round-trips: the ID number shown is the relinked resident's.
    assert [r[:5] + r[6:] for r in after] == [r[:5] + r[6:] for r in before]
    assert all(r[5] == "" for r in after) and any(r[5] for r in before)
    assert result.masked_skipped == sum(1 for r in before for v in (r[4], r[5]) if v) > 0
    assert PartyMember.objects.get(name="张三").resident == members.resident_record


def test_the_member_export_reads_with_a_fixed_number_of_queries(
    members: Cast, django_assert_num_queries: Any
) -> None:
    with django_assert_num_queries(1):
        rows = list(export_rows("members", members.admin))
    assert len(rows) == 3


def test_re_importing_a_member_previews_then_transfers_and_updates_them(members: Cast) -> None:
    from linli.party.models import PartyMemberEvent

    second = PartyOrg.objects.create(kind="branch", name="幸福社区第二党支部", org_node=members.community)
    rows = [MEMBER_HEADER, ["张三", "幸福社区第二党支部", "", "H001", "", "13900002222", "", "区医院"]]
    with translation.override("en"):
        preview = territory_import(
            actor=members.community_worker,
            kind="members",
            data=csv_bytes(rows),
            filename="m.csv",
            preview=True,
        )
    assert preview.ok and not preview.new_rows
    changes = {c.column: (c.old, c.new) for c in preview.changed_rows[0].changes}
    assert changes["party_org"] == ("幸福社区第一党支部", "幸福社区第二党支部")
    assert changes["workplace"] == ("—", "区医院")
    assert PartyMember.objects.get(name="张三").party_org.name == "幸福社区第一党支部"
    result = run(members.community_worker, "members", csv_bytes(rows), "m.csv")
    assert result.ok and result.updated == 1 and result.created == 0
    zhang = PartyMember.objects.get(name="张三")
    assert (zhang.party_org, zhang.phone, zhang.workplace) == (second, "13900002222", "区医院")
    assert PartyMemberEvent.objects.filter(member=zhang, kind="transferred", to_org=second).exists()


def test_a_member_of_another_community_is_still_refused(members: Cast) -> None:
    rows = [
        MEMBER_HEADER,
        ["李四", "幸福社区第一党支部", "", "", valid_id_number(birth="19850601", seq="246"), "", "", ""],
    ]
    result = run(members.community_worker, "members", csv_bytes(rows), "m.csv")
    assert [(r, c) for r, c, _m in problems(result)] == [(2, "id_number")]


def test_the_members_page_leads_to_the_import_page_opened_on_party_members(
    cast: Cast, branch: PartyOrg, client_for: Any
) -> None:
    client = client_for("community_worker")
    page = client.get("/party/members/").content.decode()
    assert 'href="/territory/io/?kind=members"' in page
    io = client.get("/territory/io/?kind=members").content.decode()
    assert 'name="kind" value="members"' in io and 'href="/territory/io/template/members.xlsx"' in io
    assert "党组织区划代码" in io  # the members' columns, not the residents'


def test_the_template_names_the_phone_as_the_member_page_does_and_an_older_file_still_imports(
    cast: Cast, branch: PartyOrg, client_for: Any
) -> None:
    """The template said 手机号 where the member's page and form say 联系电话: one word for one thing now, and a
    file kept from the older template imports as before."""
    client = client_for("community_worker")
    template = openpyxl.load_workbook(
        io.BytesIO(client.get("/territory/io/template/members.xlsx").content)
    ).worksheets[0]
    assert [c.value for c in template[1]] == MEMBER_HEADER
    member = party_member_create(actor=None, name="周明", party_org=branch, phone="13700005555")
    assert "联系电话" in client.get(f"/party/members/{member.pk}/").content.decode()
    assert "联系电话" in client.get(f"/party/members/{member.pk}/edit/").content.decode()
    io_page = client.get("/territory/io/?kind=members").content.decode()
    assert "联系电话" in io_page and "手机号" in io_page  # the older header named beside the column

    new = [MEMBER_HEADER, ["陈红", "幸福社区第一党支部", "", "", "", "13812340001", "", ""]]
    older = [OLDER_MEMBER_HEADER, ["刘芳", "幸福社区第一党支部", "", "", "", "13812340002", "", ""]]
    for rows in (new, older):
        result = run(cast.community_worker, "members", csv_bytes(rows), "m.csv")
        assert problems(result) == [] and result.created == 1
    phones = dict(PartyMember.objects.filter(name__in=["陈红", "刘芳"]).values_list("name", "phone"))
    assert phones == {"陈红": "13812340001", "刘芳": "13812340002"}

    # A refusal in an older file names the column by the page's word.
    refused = [OLDER_MEMBER_HEADER, ["赵六", "幸福社区第一党支部", "", "", "", "5551234", "", ""]]
    with translation.override("zh-hans"):
        result = territory_import(
            actor=cast.community_worker, kind="members", data=csv_bytes(refused), filename="m.csv"
        )
    assert [(r, c) for r, c, _m in problems(result)] == [(2, "联系电话")]
