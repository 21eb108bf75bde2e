"""Party work as staff and members do it, through the pages and the API: organisations over the tree, member
transfer and history, 双报到 online with its refusals, beacon plaques, partner units, and scope."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from linli.core.errors import PermissionDenied, ValidationFailed
from linli.core.models import AuditEntry
from linli.party import services as party
from linli.party.models import MemberRegistration, PartyMember, PartyOrg
from linli.territory import services as territory
from linli.testing import Cast

pytestmark = pytest.mark.django_db


def _apply(client: Client, cast: Cast, **extra: str) -> Any:
    data = {
        "name": "陈红",
        "phone": "13700001111",
        "workplace": "区人民医院",
        "workplace_branch": "区人民医院党委第二支部",
        "specialty": "medical",
        "availability": "weekends",
        "source": "qr",
        **extra,
    }
    return client.post(f"/party/join/{extra.pop('code', cast.community.code)}/?src=qr", data)


# --- organisations -------------------------------------------------------------------------------------------


def test_a_community_worker_creates_a_branch_and_a_building_group_from_the_page(
    cast: Cast, orgs: dict[str, PartyOrg], client_for: Any
) -> None:
    client = client_for("community_worker")
    page = client.get("/party/orgs/new/").content.decode()
    assert "幸福社区党委" in page and "和平街道党工委" in page  # the community's own and the one above
    assert "光明社区党委" not in page  # another community's organisations are not offered
    response = client.post(
        "/party/orgs/new/",
        {
            "kind": "branch",
            "name": "幸福社区第二党支部",
            "parent": orgs["committee"].pk,
            "org_node": cast.compound.pk,
            "category": "regular",
        },
    )
    branch = PartyOrg.objects.get(name="幸福社区第二党支部")
    assert response.status_code == 302 and response["Location"] == f"/party/orgs/{branch.pk}/"
    client.post(
        "/party/orgs/new/",
        {
            "kind": "group",
            "name": "1号楼党小组",
            "parent": branch.pk,
            "org_node": cast.compound.pk,
            "category": "regular",
            "building": cast.building.pk,
        },
    )
    group = PartyOrg.objects.get(name="1号楼党小组")
    assert group.building == cast.building and group.parent == branch
    assert AuditEntry.objects.filter(action="party_org_create", object_id=str(group.pk)).exists()
    assert "1号楼党小组" in client.get(f"/territory/grids/{cast.grid.pk}/").content.decode()


def test_a_property_company_branch_is_linked_to_the_compound_it_serves(
    cast: Cast, orgs: dict[str, PartyOrg]
) -> None:
    company = territory.organisation_create(
        actor=None, kind="property_company", name="金台物业", code="PC1", org_node=cast.compound
    )
    red = party.party_org_create(
        actor=cast.community_worker,
        kind="branch",
        name="金台物业党支部",
        org_node=cast.compound,
        parent=orgs["committee"],
        category="property",
        property_company=company,
    )
    assert red.property_company == company and red.org_node == cast.compound
    with pytest.raises(ValidationFailed) as exc:  # a property branch names its company
        party.party_org_create(
            actor=None,
            kind="branch",
            name="物业支部",
            org_node=cast.compound,
            parent=orgs["committee"],
            category="property",
        )
    assert exc.value.extra["field"] == "property_company"
    mobile = party.party_org_create(
        actor=cast.community_worker,
        kind="branch",
        name="流动党员党支部",
        org_node=cast.community,
        parent=orgs["committee"],
        category="mobile",
    )
    assert mobile.get_category_display()


def test_staff_see_and_change_only_organisations_in_their_area(
    cast: Cast, orgs: dict[str, PartyOrg], client_for: Any
) -> None:
    client = client_for("community_worker")
    page = client.get("/party/").content.decode()
    assert "阳光小区党支部" in page and "光明社区党委" not in page and "和平街道党工委" not in page
    assert client.get(f"/party/orgs/{orgs['other'].pk}/").status_code == 404
    assert client.get(f"/api/party/orgs/{orgs['other'].pk}").status_code == 404
    names = {o["name"] for o in client.get("/api/party/orgs").json()["items"]}
    assert names == {"幸福社区党委", "阳光小区党支部"}
    assert client_for("street_officer").get(f"/party/orgs/{orgs['other'].pk}/").status_code == 200
    with pytest.raises(PermissionDenied):  # a grid worker reads, but does not build the party tree
        party.party_org_create(
            actor=cast.grid_worker, kind="group", name="小组", org_node=cast.compound, parent=orgs["branch"]
        )
    with pytest.raises(ValidationFailed):  # another community's node is outside the worker's area
        party.party_org_create(
            actor=cast.community_worker,
            kind="branch",
            name="支部",
            org_node=cast.other_community,
            parent=orgs["other"],
        )


def test_the_api_creates_and_renames_an_organisation(
    cast: Cast, orgs: dict[str, PartyOrg], client_for: Any
) -> None:
    client = client_for("community_worker")
    created = client.post(
        "/api/party/orgs",
        {
            "kind": "group",
            "name": "一网格党小组",
            "org_node_id": cast.compound.pk,
            "parent_id": orgs["branch"].pk,
            "grid_id": cast.grid.pk,
        },
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    org_id = created.json()["id"]
    renamed = client.patch(
        f"/api/party/orgs/{org_id}",
        {
            "name": "阳光一网格党小组",
            "org_node_id": cast.compound.pk,
            "parent_id": orgs["branch"].pk,
            "grid_id": cast.grid.pk,
        },
        content_type="application/json",
    )
    assert renamed.json()["name"] == "阳光一网格党小组"
    refused = client.post(
        "/api/party/orgs",
        {"kind": "group", "name": "x", "org_node_id": cast.compound.pk, "parent_id": orgs["committee"].pk},
        content_type="application/json",
    )
    assert refused.status_code == 422 and refused.json()["code"] == "invalid"


# --- members -------------------------------------------------------------------------------------------------


def test_a_member_transfers_between_branches_and_leaves_with_history_kept(
    cast: Cast, orgs: dict[str, PartyOrg], client_for: Any
) -> None:
    second = party.party_org_create(
        actor=None,
        kind="branch",
        name="幸福社区第二党支部",
        org_node=cast.community,
        parent=orgs["committee"],
    )
    client = client_for("community_worker")
    client.post(
        "/party/members/new/", {"name": "王芳", "party_org": orgs["branch"].pk, "phone": "13900002222"}
    )
    member = PartyMember.objects.get(name="王芳")
    client.post(f"/party/members/{member.pk}/position/", {"position": "secretary"})
    member.refresh_from_db()
    orgs["branch"].refresh_from_db()
    assert member.position == "secretary" and orgs["branch"].secretary == "王芳"
    response = client.post(f"/party/members/{member.pk}/transfer/", {"to_org": second.pk, "note": "工作调整"})
    assert response.status_code == 302
    member.refresh_from_db()
    orgs["branch"].refresh_from_db()
    assert member.party_org == second and member.position == "member" and orgs["branch"].secretary == ""
    assert (
        client.post(f"/party/members/{member.pk}/transfer/", {"to_org": orgs["other"].pk}).status_code == 422
    )
    member.refresh_from_db()
    assert member.party_org == second  # another community's branch is not offered, nothing changed
    client.post(f"/party/members/{member.pk}/leave/", {"reason": "迁出本街道"})
    member.refresh_from_db()
    assert member.status == "left" and member.left_on is not None
    history = client.get(f"/api/party/members/{member.pk}").json()["history"]
    assert [e["kind"] for e in history] == ["joined", "position", "transferred", "left"]
    assert (
        history[2]["from_org"]["name"] == "阳光小区党支部"
        and history[2]["to_org"]["name"] == "幸福社区第二党支部"
    )
    page = client.get(f"/party/members/{member.pk}/").content.decode()
    assert "阳光小区党支部 → 幸福社区第二党支部" in page and "迁出本街道" in page
    with pytest.raises(ValidationFailed):
        party.party_member_transfer(actor=cast.community_worker, member=member, to_org=orgs["branch"])


def test_a_new_secretary_makes_the_old_one_a_committee_member(cast: Cast, orgs: dict[str, PartyOrg]) -> None:
    a = party.party_member_create(actor=None, name="甲", party_org=orgs["branch"])
    b = party.party_member_create(actor=None, name="乙", party_org=orgs["branch"])
    party.party_member_set_position(actor=cast.community_worker, member=a, position="secretary")
    party.party_member_set_position(actor=cast.community_worker, member=b, position="secretary")
    a.refresh_from_db()
    assert (a.position, PartyOrg.objects.get(pk=orgs["branch"].pk).secretary) == ("committee_member", "乙")


# --- 双报到 ------------------------------------------------------------------------------------------------------


def test_a_member_registers_by_qr_code_is_approved_given_a_post_and_sees_it(
    cast: Cast, orgs: dict[str, PartyOrg], client_for: Any
) -> None:
    public = Client()
    form = public.get(f"/party/join/{cast.community.code}/?src=qr").content.decode()
    assert "幸福社区" in form
    response = _apply(public, cast)
    reg = MemberRegistration.objects.get(phone="13700001111")
    assert response.status_code == 302 and response["Location"].startswith(f"/party/r/{reg.token}/")
    assert (reg.status, reg.source, reg.member) == ("pending", "qr", None)
    mine = public.get(response["Location"]).content.decode()
    assert "陈红" in mine and "待审核" in mine

    worker = client_for("community_worker")
    listing = worker.get("/party/registrations/").content.decode()
    assert "陈红" in listing and "137****1111" in listing
    detail = worker.post(f"/party/registrations/{reg.pk}/approve/", follow=True).content.decode()
    assert "健康服务岗" in detail  # the post suggested for the specialty
    assert "已批准：请为陈红安排岗位，报到即完成。" in detail  # said, where only the badge changed
    posted = worker.post(
        f"/party/registrations/{reg.pk}/post/",
        {"grid": cast.grid.pk, "post": "健康服务岗", "duties": "每周六上午在网格服务站为老人量血压。"},
        follow=True,
    )
    assert "陈红已在所安排的岗位报到。" in posted.content.decode()
    reg.refresh_from_db()
    assert (reg.status, reg.grid, reg.post) == ("active", cast.grid, "健康服务岗")
    mine = public.get(f"/party/r/{reg.token}/").content.decode()
    assert "健康服务岗" in mine and "阳光一网格" in mine and "每周六上午在网格服务站为老人量血压。" in mine
    api = public.get(f"/api/party/registrations/mine/{reg.token}").json()
    assert (api["status"], api["post"], api["grid"]["name"]) == ("active", "健康服务岗", "阳光一网格")
    actions = list(
        AuditEntry.objects.filter(object_id=str(reg.pk), object_type="party.memberregistration")
        .order_by("at", "id")
        .values_list("action", flat=True)
    )
    assert actions == [
        "member_registration_apply",
        "member_registration_approve",
        "member_registration_assign_post",
    ]


def test_a_second_registration_with_the_same_phone_is_refused_and_says_where(
    cast: Cast, orgs: dict[str, PartyOrg]
) -> None:
    public = Client()
    _apply(public, cast)
    page = _apply(public, cast, code=cast.other_community.code).content.decode()
    assert "已于" in page and "幸福社区" in page  # says where the open registration is
    assert MemberRegistration.objects.filter(phone="13700001111").count() == 1


def test_a_member_known_to_live_elsewhere_is_sent_to_their_own_community(
    cast: Cast, orgs: dict[str, PartyOrg]
) -> None:
    party.party_member_create(
        actor=None,
        name="李四",
        party_org=orgs["other"],
        resident=cast.other_resident_record,
        phone="13912345678",
    )
    with pytest.raises(ValidationFailed) as exc:
        party.member_registration_apply(
            actor=None,
            community=cast.community,
            name="李四",
            phone="13912345678",
            workplace="区法院",
            workplace_branch="区法院机关党委",
            specialty="legal",
            availability="evenings",
        )
    assert "光明社区" in str(exc.value.message) and exc.value.extra["field"] == "community"


# A member's online registration (双报到) as the services take it.
ONLINE = {
    "name": "陈红",
    "phone": "13700001111",
    "workplace": "区人民医院",
    "workplace_branch": "医院党委",
    "specialty": "medical",
    "availability": "weekends",
}


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"phone": "12345"}, "phone"),
        ({"specialty": "magic"}, "specialty"),
        ({"workplace_branch": " "}, "workplace_branch"),
        ({"availability": "never"}, "availability"),
        ({"name": ""}, "name"),
    ],
)
def test_an_online_registration_with_bad_details_is_refused(
    cast: Cast, changes: dict[str, str], field: str
) -> None:
    with pytest.raises(ValidationFailed) as exc:
        party.member_registration_apply(actor=None, community=cast.community, **(ONLINE | changes))
    assert exc.value.extra["field"] == field
    assert not MemberRegistration.objects.exists()


def test_a_member_registers_with_a_community_not_a_compound(cast: Cast) -> None:
    with pytest.raises(ValidationFailed) as exc:
        party.member_registration_apply(actor=None, community=cast.compound, **ONLINE)
    assert exc.value.extra["field"] == "community"


def test_the_community_refuses_with_a_reason_the_member_reads(cast: Cast, client_for: Any) -> None:
    public = Client()
    _apply(public, cast)
    reg = MemberRegistration.objects.get()
    worker = client_for("community_worker")
    page = worker.post(f"/party/registrations/{reg.pk}/refuse/", {"reason": "other", "note": ""})
    assert page.status_code == 422 and "说明" in page.content.decode()  # "other" needs an explanation
    worker.post(
        f"/party/registrations/{reg.pk}/refuse/", {"reason": "not_a_member", "note": "经核实，未查到党员身份"}
    )
    reg.refresh_from_db()
    assert (reg.status, reg.refusal_reason) == ("refused", "not_a_member")
    mine = public.get(f"/party/r/{reg.token}/").content.decode()
    assert "经核实，未查到党员身份" in mine and "未能确认党员身份" in mine
    worker.post(f"/party/registrations/{reg.pk}/approve/")  # refused is final
    reg.refresh_from_db()
    assert reg.status == "refused"
    _apply(public, cast)  # a refused member may register again
    assert MemberRegistration.objects.filter(status="pending").count() == 1


def test_a_refusal_s_reason_is_chosen_not_taken_from_the_top_of_the_list(cast: Cast, client_for: Any) -> None:
    # The list opened on 已在其他社区报到: one tap on 不予通过 refused a member with a reason nobody chose.
    _apply(Client(), cast)
    reg = MemberRegistration.objects.get()
    worker = client_for("community_worker")
    page = worker.get(f"/party/registrations/{reg.pk}/").content.decode()
    form = page.split(f'action="/party/registrations/{reg.pk}/refuse/"', 1)[1].split("</form>", 1)[0]
    assert '<option value="" selected>—请选择—</option>' in form
    refused = worker.post(f"/party/registrations/{reg.pk}/refuse/", {"reason": "", "note": "电话未接通"})
    body = refused.content.decode()
    assert refused.status_code == 422 and "原因" in body and "此项为必填项" in body
    assert 'value="电话未接通"' in body  # the explanation typed is kept
    reg.refresh_from_db()
    assert reg.status == "pending"


def test_only_the_communitys_workers_decide_and_post(cast: Cast, client_for: Any) -> None:
    _apply(Client(), cast)
    reg = MemberRegistration.objects.get()
    assert client_for("outsider").post(f"/party/registrations/{reg.pk}/approve/").status_code == 404
    assert client_for("grid_worker").post(f"/party/registrations/{reg.pk}/approve/").status_code == 404
    with pytest.raises(PermissionDenied):  # a grid worker does not decide on registrations
        party.member_registration_approve(actor=cast.grid_worker, registration=reg)
    api = client_for("outsider").post(f"/api/party/registrations/{reg.pk}/approve")
    assert api.status_code == 404
    reg.refresh_from_db()
    assert reg.status == "pending"
    with pytest.raises(ValidationFailed):  # a grid of another community
        party.member_registration_assign_post(
            actor=cast.street_officer, registration=reg, grid=cast.other_grid, post="宣传员"
        )


def test_the_community_qr_code_and_sheet(cast: Cast, client_for: Any) -> None:
    client = client_for("community_worker")
    page = client.get("/party/qr/").content.decode()
    assert f"/party/join/{cast.community.code}/?src=qr" in page and cast.other_community.name not in page
    png = client.get(f"/party/qr/{cast.community.pk}.png")
    assert png["Content-Type"] == "image/png" and png.content.startswith(b"\x89PNG")
    pdf = client.get(f"/party/qr/{cast.community.pk}/sheet.pdf")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    assert pdf["Content-Disposition"] == f'inline; filename="register-{cast.community.code}.pdf"'
    assert client.get(f"/party/qr/{cast.other_community.pk}.png").status_code == 404


# --- beacon households and partner units ----------------------------------------------------------------------


def test_beacon_households_are_designated_listed_per_grid_and_printed(
    cast: Cast, orgs: dict[str, PartyOrg], client_for: Any
) -> None:
    member = party.party_member_create(
        actor=None, name="张三", party_org=orgs["branch"], resident=cast.resident_record
    )
    client = client_for("grid_worker")
    response = client.post("/party/beacons/", {"member": "张三", "households_served": 12})
    assert response.status_code == 302
    page = client.get("/party/beacons/").content.decode()
    assert "阳光一网格" in page and "张三" in page
    pdf = client.get(f"/party/beacons/plaques.pdf?grid={cast.grid.pk}")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    assert pdf["Content-Disposition"] == 'inline; filename="beacon-plaques.pdf"'
    assert pdf.content.count(b"/Type /Page\n") + pdf.content.count(b"/Type /Page ") >= 1
    assert b"STSong-Light" in pdf.content  # Chinese drawn with the built-in CID font
    assert client.get(f"/party/beacons/plaques.pdf?grid={cast.other_grid.pk}").status_code == 404
    assert client_for("outsider").get("/party/beacons/plaques.pdf").status_code == 404
    beacon = member.beacon
    client.post(f"/party/beacons/{beacon.pk}/revoke/", {"reason": "搬离本楼"})
    assert not type(beacon).objects.filter(pk=beacon.pk).exists()
    assert AuditEntry.objects.filter(action="beacon_household_revoke", detail__reason="搬离本楼").exists()


def test_partner_units_and_property_companies_offered_are_those_of_the_area_and_above_it(
    cast: Cast, orgs: dict[str, PartyOrg], client_for: Any
) -> None:
    """A community worker pairs with a unit the street (or the district) keeps and names a property company kept
    in their community or over it; a sibling community's are not offered."""
    kept = {
        "区文化馆": (cast.district, "partner_unit"),
        "街道卫生院": (cast.street, "partner_unit"),
        "幸福小学": (cast.community, "partner_unit"),
        "光明中学": (cast.other_community, "partner_unit"),
        "和平物业": (cast.street, "property_company"),
        "阳光物业": (cast.compound, "property_company"),
        "光明物业": (cast.other_community, "property_company"),
    }
    for i, (name, (node, kind)) in enumerate(kept.items()):
        territory.organisation_create(actor=None, kind=kind, name=name, code=f"U{i}", org_node=node)
    partner_page = client_for("community_worker").get("/party/partners/new/").content.decode()
    for name in ("区文化馆", "街道卫生院", "幸福小学"):
        assert name in partner_page
    assert "光明中学" not in partner_page
    org_page = client_for("community_worker").get("/party/orgs/new/").content.decode()
    assert "和平物业" in org_page and "阳光物业" in org_page and "光明物业" not in org_page
    officer_page = client_for("street_officer").get("/party/partners/new/").content.decode()
    assert "光明中学" in officer_page and "区文化馆" in officer_page
    assert client_for("resident").get("/party/partners/new/").status_code in (403, 404)


def test_partner_units_are_paired_with_a_community(cast: Cast, client_for: Any) -> None:
    client = client_for("community_worker")
    response = client.post(
        "/party/partners/new/",
        {
            "community": cast.community.pk,
            "partner": "",
            "partner_name": "区第九十四中学",
            "kind": "alliance",
            "member_count": 36,
            "contact_name": "周老师",
            "contact_phone": "13600003333",
            "note": "共建四点半课堂",
        },
    )
    assert response.status_code == 302, response.content.decode()
    page = client.get("/party/partners/").content.decode()
    assert "区第九十四中学" in page and "36" in page and "136****3333" in page
    again = client.post(
        "/party/partners/new/",
        {
            "community": cast.community.pk,
            "partner_name": "区第九十四中学",
            "kind": "paired",
            "member_count": 1,
            "contact_name": "周老师",
            "contact_phone": "13600003333",
        },
    )
    assert "已与" in again.content.decode()  # already paired
    assert client_for("outsider").get("/api/party/partners").json()["items"] == []


def test_the_pairing_form_starts_on_the_workers_only_community_and_names_a_too_long_field(
    cast: Cast, client_for: Any
) -> None:
    client = client_for("community_worker")
    page = client.get("/party/partners/new/").content.decode()
    assert f'<option value="{cast.community.pk}" selected>' in page
    response = client.post(
        "/party/partners/new/",
        {
            "community": cast.community.pk,
            "partner_name": "区第九十四中学",
            "kind": "alliance",
            "member_count": 3,
            "contact_name": "周" * 60,
            "contact_phone": "13600003333",
        },
    )
    text = response.content.decode()
    assert "联系人太长：最多 50 个字（您已输入 60 个字）。" in text
    assert "周" * 60 in text and "区第九十四中学" in text


def test_a_refused_form_address_opened_by_get_goes_to_its_page(
    cast: Cast, world: Any, client_for: Any
) -> None:
    """A refused leave, refusal of a registration or review of a rating is shown again at its POST-only address;
    reloading that address (or opening it from a shared link) goes to the member's, registration's or rating's
    page, not to a 405. Someone outside the area still gets the 404."""
    from django.urls import reverse
    from django.utils import timezone

    staff = client_for("community_worker")
    member = world.member
    refused = staff.post(reverse("party:member_leave", args=[member.pk]), {"reason": ""})
    assert refused.status_code == 422 and "王五" in refused.content.decode()
    for name in ("party:member_transfer", "party:member_leave", "party:member_position"):
        opened = staff.get(reverse(name, args=[member.pk]))
        assert opened.status_code == 302 and opened["Location"] == reverse("party:member", args=[member.pk])
    reg = party.member_registration_register(
        actor=None, member=member, community=cast.community, workplace="区教委", specialty="education"
    )
    for name in ("party:registration_refuse", "party:registration_post"):
        opened = staff.get(reverse(name, args=[reg.pk]))
        assert opened["Location"] == reverse("party:registration", args=[reg.pk])
    rating = party.branch_stars_compute(actor=None, branch=world.branch, year=timezone.localdate().year)
    street = client_for("street_officer")
    for name in ("party:star_approve", "party:star_return"):
        opened = street.get(reverse(name, args=[rating.pk]), follow=True)
        assert opened.redirect_chain == [(reverse("party:star", args=[rating.pk]), 302)]
        assert opened.status_code == 200
    assert street.put(reverse("party:star_return", args=[rating.pk])).status_code == 405
    outsider = client_for("outsider").get(reverse("party:star_return", args=[rating.pk]), follow=True)
    assert outsider.status_code == 404


def test_the_organisation_tree_folds_a_branchs_party_groups(
    cast: Cast, orgs: dict[str, PartyOrg], client_for: Any
) -> None:
    """A branch's party groups (one per grid, often many) fold under "N 个党小组", so the street reads its
    committees and branches without scrolling past every group; each group is still listed and linked."""
    for n in (1, 2, 3):
        party.party_org_create(
            actor=None, kind="group", name=f"第{n}网格党小组", org_node=cast.compound, parent=orgs["branch"]
        )
    page = client_for("street_officer").get("/party/").content.decode()
    folded = re.search(
        r'<details class="pt-groups"><summary class="small">3 个党小组</summary>(.*?)</details>', page, re.S
    )
    assert folded and all(f"第{n}网格党小组" in folded.group(1) for n in (1, 2, 3))
    assert page.index("阳光小区党支部") < folded.start()


def test_leaving_refusing_and_ending_ask_first(cast: Cast, world: Any, client_for: Any) -> None:
    """A member's leaving, a registration's refusal or end, and a pairing's end cannot be undone: each form
    carries the question (naming who) that web/site.js asks before it is sent."""
    from django.urls import reverse

    staff = client_for("community_worker")
    member = staff.get(reverse("party:member", args=[world.member.pk])).content.decode()
    assert 'data-confirm="确定登记王五离开党组织？其职务和党员中心户随之终止，此操作不可撤销。"' in member
    reg = party.member_registration_register(
        actor=None, member=world.member, community=cast.community, workplace="区教委", specialty="education"
    )
    pending = staff.get(reverse("party:registration", args=[reg.pk])).content.decode()
    assert (
        'data-confirm="确定不予通过王五的报到？本人将在报到页面看到原因，需重新报到；此操作不可撤销。"'
        in pending
    )
    party.member_registration_assign_post(actor=None, registration=reg, grid=cast.grid, post="宣传员")
    active = staff.get(reverse("party:registration", args=[reg.pk])).content.decode()
    assert 'data-confirm="确定结束王五的报到？其认领的岗位随之结束，此操作不可撤销。"' in active


def test_the_registrations_list_pages_with_its_filter(
    cast: Cast, world: Any, client_for: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The registrations list pages (it stopped at 200 before), keeping the state and community chosen."""
    from django.urls import reverse

    from linli.party.views import registrations as registration_views

    monkeypatch.setattr(registration_views, "REGISTRATIONS_PER_PAGE", 1)
    for member in (world.member, world.secretary_member):
        party.member_registration_register(
            actor=None, member=member, community=cast.community, workplace="区教委", specialty="education"
        )
    staff = client_for("community_worker")
    url = reverse("party:registrations")
    first = staff.get(url, {"status": "pending"}).content.decode()
    assert "第 1 / 2 页，共 2 条" in first and 'href="?status=pending&amp;page=2"' in first
    second = staff.get(url, {"status": "pending", "page": 2}).content.decode()
    names = {"王五", "张三"}
    assert {n for n in names if n in first.split("第 1 / 2 页")[0]} != {
        n for n in names if n in second.split("第 2 / 2 页")[0]
    }


def test_the_organisation_tree_counts_each_committee_with_the_members_below_it(
    cast: Cast, orgs: dict[str, PartyOrg], client_for: Any
) -> None:
    """A committee keeps few members itself (they are kept in branches): the street reads how many members each
    committee leads, its branches' counted with it; a branch shows its own count as before."""
    for name in ("甲", "乙"):
        party.party_member_create(actor=None, name=name, party_org=orgs["branch"])
    page = client_for("street_officer").get("/party/").content.decode()
    committee = page[page.index("幸福社区党委") : page.index("阳光小区党支部")]
    assert "含下级共 2 名党员" in committee
    branch = page[page.index("阳光小区党支部") :]
    assert "2 名党员" in branch[:600] and "含下级" not in branch[:600]
