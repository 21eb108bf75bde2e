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
    theirs = credited.filter(member__party_org=filed.convener)
    assert theirs.exists()
    assert set(theirs.values_list("member__name", flat=True)) <= named
    assert all(e.points > 0 and e.source for e in credited)
    # The second community's branch sits for its own meetings: only conveners' members are credited.
    conveners = Meeting.objects.exclude(convener=None).values_list("convener", flat=True)
    assert not credited.exclude(member__party_org__in=conveners).exists()


def test_an_agenda_item_s_appeal_speaks_of_it_and_came_before_it(run: DemoRun) -> None:
    """Every meeting's first agenda item named the community's latest appeal (a noise complaint on the agenda of
    a meeting about parking, about roads, about a lift, and received after the meeting): an item names an appeal
    that speaks of its subject, received before the item, and each appeal sits on one agenda only."""
    from collections import Counter

    from linli.deliberation.models import AgendaSource
    from linli.demo.appeals import build_history

    build_history(days=90, seed=3, per_day=3)
    part(run)
    linked = list(AgendaSource.objects.filter(appeal__isnull=False).select_related("appeal", "item"))
    assert linked  # the community's appeals do speak of parking, charging, roads…
    for source in linked:
        appeal, item = source.appeal, source.item
        assert appeal is not None and appeal.created_at <= item.created_at, item.title
    subjects = {
        "小区停车位不足、夜间乱停": "停",
        "电动自行车充电难": "充电",
        "老旧小区加装电梯意愿摸底": "电梯",
    }
    for source in linked:
        if source.item.title in subjects:
            said = f"{source.appeal.title}{source.appeal.description}"  # type: ignore[union-attr]
            assert subjects[source.item.title] in said, (source.item.title, said)
    assert max(Counter(s.appeal_id for s in linked).values()) == 1
