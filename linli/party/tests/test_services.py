from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from linli.core.errors import InvalidTransition, PermissionDenied, ValidationFailed
from linli.core.models import AuditEntry
from linli.party import services as party
from linli.party.models import MemberRegistration, PartyMember, PartyOrg
from linli.testing import Cast


def _member(cast: Cast, branch: PartyOrg, **extra: object) -> PartyMember:
    return party.party_member_create(
        actor=None, name="张三", party_org=branch, resident=cast.resident_record, **extra
    )  # type: ignore[arg-type]


# --- party organisations -----------------------------------------------------------------------------------


def test_party_organisations_nest_committee_general_branch_branch_group(cast: Cast) -> None:
    street = party.party_org_create(actor=None, kind="committee", name="街道党工委", org_node=cast.street)
    general = party.party_org_create(
        actor=None, kind="general_branch", name="幸福社区党总支", org_node=cast.community, parent=street
    )
    branch = party.party_org_create(
        actor=None, kind="branch", name="第一党支部", org_node=cast.compound, parent=general
    )
    group = party.party_org_create(
        actor=None, kind="group", name="一网格党小组", org_node=cast.compound, parent=branch, grid=cast.grid
    )
    assert [o.parent for o in (street, general, branch, group)] == [None, street, general, branch]
    assert group.grid == cast.grid


@pytest.mark.parametrize(
    ("kind", "parent_kind"),
    [
        ("general_branch", None),
        ("branch", None),
        ("group", None),
        ("group", "committee"),
        ("group", "general_branch"),
        ("general_branch", "general_branch"),
        ("committee", "branch"),
        ("branch", "branch"),
    ],
)
def test_a_party_organisation_out_of_order_is_refused(cast: Cast, kind: str, parent_kind: str | None) -> None:
    chain = {
        "committee": party.party_org_create(actor=None, kind="committee", name="党工委", org_node=cast.street)
    }
    chain["general_branch"] = party.party_org_create(
        actor=None, kind="general_branch", name="党总支", org_node=cast.street, parent=chain["committee"]
    )
    chain["branch"] = party.party_org_create(
        actor=None, kind="branch", name="支部", org_node=cast.street, parent=chain["general_branch"]
    )
    before = PartyOrg.objects.count()
    with pytest.raises(ValidationFailed) as exc:
        party.party_org_create(
            actor=None,
            kind=kind,
            name="新组织",
            org_node=cast.community,
            parent=chain[parent_kind] if parent_kind else None,
        )
    assert exc.value.extra["field"] == "parent"
    assert PartyOrg.objects.count() == before


def test_a_party_organisation_stays_inside_its_parents_area(cast: Cast) -> None:
    committee = party.party_org_create(
        actor=None, kind="committee", name="幸福社区党委", org_node=cast.community
    )
    with pytest.raises(ValidationFailed) as exc:
        party.party_org_create(
            actor=None, kind="branch", name="光明支部", org_node=cast.other_community, parent=committee
        )
    assert exc.value.extra["field"] == "org_node"


def test_a_party_group_is_attached_only_to_a_grid_inside_its_area(cast: Cast, branch: PartyOrg) -> None:
    with pytest.raises(ValidationFailed) as exc:
        party.party_org_create(
            actor=None,
            kind="group",
            name="光明网格党小组",
            org_node=cast.compound,
            parent=branch,
            grid=cast.other_grid,
        )
    assert exc.value.extra["field"] == "grid"
    with pytest.raises(ValidationFailed):
        party.party_org_create(
            actor=None, kind="branch", name="网格支部", org_node=cast.compound, parent=branch, grid=cast.grid
        )


def test_an_unknown_party_organisation_kind_is_refused(cast: Cast) -> None:
    with pytest.raises(ValidationFailed) as exc:
        party.party_org_create(actor=None, kind="cell", name="x", org_node=cast.street)
    assert exc.value.extra["field"] == "kind"


# --- members and beacon households -------------------------------------------------------------------------


def test_a_member_belongs_to_a_branch_with_a_valid_phone(cast: Cast, branch: PartyOrg) -> None:
    member = _member(cast, branch, phone="+86 138 1234 5678", joined_on=dt.date(1975, 7, 1))
    assert member.phone == "13812345678"
    assert member.party_org == branch
    assert cast.resident_record.party_member == member  # type: ignore[attr-defined]


def test_member_records_with_bad_data_are_refused(cast: Cast, branch: PartyOrg) -> None:
    group = party.party_org_create(
        actor=None, kind="group", name="党小组", org_node=cast.compound, parent=branch
    )
    cases = [
        ({"party_org": group}, "party_org"),
        ({"phone": "12345"}, "phone"),
        ({"joined_on": timezone.localdate() + dt.timedelta(days=1)}, "joined_on"),
        ({"name": "  "}, "name"),
    ]
    for extra, field in cases:
        kwargs = {"actor": None, "name": "王五", "party_org": branch, **extra}
        with pytest.raises(ValidationFailed) as exc:
            party.party_member_create(**kwargs)  # type: ignore[arg-type]
        assert exc.value.extra["field"] == field
    assert not PartyMember.objects.exists()


def test_a_resident_is_a_party_member_only_once(cast: Cast, branch: PartyOrg) -> None:
    _member(cast, branch)
    with pytest.raises(ValidationFailed) as exc:
        _member(cast, branch)
    assert exc.value.extra["field"] == "resident"


def test_a_beacon_household_is_the_members_own_household(cast: Cast, branch: PartyOrg) -> None:
    member = _member(cast, branch)
    beacon = party.beacon_household_designate(actor=None, member=member, households_served=12)
    assert (beacon.household, beacon.grid, beacon.households_served) == (cast.household, cast.grid, 12)
    with pytest.raises(ValidationFailed):
        party.beacon_household_designate(actor=None, member=member)


def test_a_beacon_household_elsewhere_or_without_a_resident_is_refused(cast: Cast, branch: PartyOrg) -> None:
    member = _member(cast, branch)
    other = cast.other_resident_record.household
    with pytest.raises(ValidationFailed) as exc:
        party.beacon_household_designate(actor=None, member=member, household=other)
    assert exc.value.extra["field"] == "household"
    with pytest.raises(ValidationFailed) as exc:
        party.beacon_household_designate(actor=None, member=member, households_served=0)
    assert exc.value.extra["field"] == "households_served"
    loner = party.party_member_create(actor=None, name="赵六", party_org=branch)
    with pytest.raises(ValidationFailed) as exc:
        party.beacon_household_designate(actor=None, member=loner)
    assert exc.value.extra["field"] == "member"


# --- member registration (双报到) ---------------------------------------------------------------------------


@pytest.fixture
def registration(cast: Cast, branch: PartyOrg) -> MemberRegistration:
    member = _member(cast, branch, workplace="区人民医院")
    return party.member_registration_register(
        actor=None, member=member, community=cast.community, workplace="区人民医院", specialty="medical"
    )


def test_a_member_registers_with_a_community_and_waits_for_a_post(
    cast: Cast, registration: MemberRegistration
) -> None:
    assert registration.status == "pending"
    assert registration.community == cast.community
    assert registration.registered_on == timezone.localdate()
    assert AuditEntry.objects.filter(action="member_registration_register").count() == 1


@pytest.mark.parametrize("node", ["street", "compound", "district"])
def test_a_member_registers_only_with_a_community(cast: Cast, branch: PartyOrg, node: str) -> None:
    member = _member(cast, branch)
    with pytest.raises(ValidationFailed) as exc:
        party.member_registration_register(
            actor=None, member=member, community=getattr(cast, node), workplace="某单位", specialty="legal"
        )
    assert exc.value.extra["field"] == "community"
    assert not MemberRegistration.objects.exists()


def test_a_registration_needs_a_known_specialty_and_a_workplace(cast: Cast, branch: PartyOrg) -> None:
    member = _member(cast, branch)
    for workplace, specialty, field in [("某单位", "cooking", "specialty"), ("  ", "legal", "workplace")]:
        with pytest.raises(ValidationFailed) as exc:
            party.member_registration_register(
                actor=None, member=member, community=cast.community, workplace=workplace, specialty=specialty
            )
        assert exc.value.extra["field"] == field


def test_a_member_has_one_open_registration_at_a_time(cast: Cast, registration: MemberRegistration) -> None:
    with pytest.raises(ValidationFailed) as exc:
        party.member_registration_register(
            actor=None,
            member=registration.member,
            community=cast.other_community,
            workplace="区人民医院",
            specialty="medical",
        )
    assert exc.value.extra["field"] == "member"


def test_a_community_worker_gives_a_post_in_a_grid_of_that_community(
    cast: Cast, registration: MemberRegistration
) -> None:
    party.member_registration_assign_post(
        actor=cast.community_worker, registration=registration, grid=cast.grid, post="健康咨询志愿者"
    )
    registration.refresh_from_db()
    assert (registration.status, registration.grid, registration.post) == (
        "active",
        cast.grid,
        "健康咨询志愿者",
    )
    entry = AuditEntry.objects.get(action="member_registration_assign_post")
    assert entry.actor == cast.community_worker
    assert entry.detail["from"] == "pending" and entry.detail["to"] == "active"


@pytest.mark.parametrize(
    ("grid", "post", "field"),
    [("other_grid", "宣传员", "grid"), ("grid", " ", "post")],
    ids=["a grid of another community", "no name"],
)
def test_a_post_in_a_grid_of_another_community_or_without_a_name_is_refused(
    cast: Cast, registration: MemberRegistration, grid: str, post: str, field: str
) -> None:
    with pytest.raises(ValidationFailed) as exc:
        party.member_registration_assign_post(
            actor=cast.community_worker, registration=registration, grid=getattr(cast, grid), post=post
        )
    assert exc.value.extra["field"] == field
    registration.refresh_from_db()
    assert registration.status == "pending" and registration.grid is None


@pytest.mark.parametrize("persona", ["outsider", "grid_worker", "department_handler", "resident"])
def test_only_a_worker_of_the_community_gives_posts(
    cast: Cast, registration: MemberRegistration, persona: str
) -> None:
    with pytest.raises(PermissionDenied):
        party.member_registration_assign_post(
            actor=getattr(cast, persona), registration=registration, grid=cast.grid, post="宣传员"
        )
    registration.refresh_from_db()
    assert registration.status == "pending"


def test_a_registration_runs_pending_active_ended_and_not_back(
    cast: Cast, registration: MemberRegistration
) -> None:
    party.member_registration_assign_post(
        actor=cast.street_officer, registration=registration, grid=cast.grid, post="宣传员"
    )
    with pytest.raises(InvalidTransition):
        party.member_registration_assign_post(
            actor=cast.community_worker, registration=registration, grid=cast.grid, post="调解员"
        )
    party.member_registration_end(actor=cast.community_worker, registration=registration, reason="搬离本社区")
    registration.refresh_from_db()
    assert registration.status == "ended"
    assert AuditEntry.objects.get(action="member_registration_end").detail["reason"] == "搬离本社区"
    with pytest.raises(InvalidTransition):
        party.member_registration_end(actor=cast.community_worker, registration=registration)
    # Once ended, the member may register again (for instance with the community they moved to).
    again = party.member_registration_register(
        actor=None,
        member=registration.member,
        community=cast.other_community,
        workplace="区人民医院",
        specialty="medical",
    )
    assert again.status == "pending"


def test_a_stale_copy_cannot_overwrite_a_transition_made_meanwhile(
    cast: Cast, registration: MemberRegistration
) -> None:
    stale = MemberRegistration.objects.get(pk=registration.pk)
    party.member_registration_end(actor=cast.community_worker, registration=registration)
    with pytest.raises(InvalidTransition) as refused:
        party.member_registration_assign_post(
            actor=cast.community_worker, registration=stale, grid=cast.grid, post="宣传员"
        )
    # The row is read again under its lock, so the refusal says what it is now, not what the stale copy said.
    assert str(refused.value.message) == "状态为“已结束”的报到记录不能变更为“在岗”。"
    assert MemberRegistration.objects.get(pk=registration.pk).status == "ended"


def test_a_pending_registration_can_be_ended(cast: Cast, registration: MemberRegistration) -> None:
    party.member_registration_end(actor=None, registration=registration)
    assert MemberRegistration.objects.get(pk=registration.pk).status == "ended"
