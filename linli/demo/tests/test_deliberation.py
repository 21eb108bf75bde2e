"""The demo's co-governance part names members of the convening branch among those present at its joint
meetings, so party's decision-points job credits them once the meetings' results are delivered."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from linli.core.snapshots import snapshots_forget
from linli.deliberation.models import Meeting
from linli.demo.deliberation import part
from linli.demo.parts import DemoRun
from linli.demo.territory import demo_build
from linli.party.models import MemberPointsEntry, PartyMember


@pytest.fixture
def run(db: None, settings: object, tmp_path: object) -> Iterator[DemoRun]:
    settings.MEDIA_ROOT = tmp_path  # type: ignore[attr-defined]
    snapshots_forget()
    demo = DemoRun(scale=0.05, seed=11, say=lambda _line: None)
    demo.district = demo_build(scale=0.05, seed=11)
    yield demo
    snapshots_forget()


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
