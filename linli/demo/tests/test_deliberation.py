"""The demo's co-governance part names members of the convening branch among those present at its joint
meetings, so party's decision-points job credits them once the meetings' results are delivered."""

from __future__ import annotations

from linli.deliberation.models import Meeting
from linli.demo.deliberation import part
from linli.demo.parts import DemoRun
from linli.party.models import MemberPointsEntry, PartyMember


def test_members_present_at_joint_meetings_earn_decision_points(run: DemoRun) -> None:
    part(run)
    filed = Meeting.objects.get(title="停车难与充电桩联席会议")
    assert filed.convener is not None
    members = PartyMember.objects.filter(party_org=filed.convener)
    present = set(filed.participants.filter(signed_in_at__isnull=False).values_list("name", flat=True))
    named = present & set(members.values_list("name", flat=True))
    assert named
    credited = MemberPointsEntry.objects.filter(kind="decision")
    assert credited.exists()
    assert set(credited.values_list("member__name", flat=True)) <= named
    assert all(e.points > 0 and e.source for e in credited)
    assert not credited.exclude(member__party_org=filed.convener).exists()
