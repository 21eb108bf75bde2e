"""The demo's volunteering part on the small district: each person's sign-up is one call of the service, its refusal
handled where it comes back, with the same season lived as when the demo asked first."""

from __future__ import annotations

from typing import Any

from linli.demo import volunteers
from linli.demo.parts import DemoRun
from linli.volunteers.models import Signup


def test_each_sign_up_asks_the_service_once(run: DemoRun, monkeypatch: Any) -> None:
    """`_live` and `_recruiting` asked `signup_refusal` before `signup_create`, which asks it again under the role's
    lock and refuses with the same reason: the demo now calls `signup_create` and handles its refusal (a full role
    is waited for by about half of those refused, as before)."""
    asked: list[Any] = []
    real = volunteers.services.signup_refusal

    def counted(*args: Any, **kwargs: Any) -> Any:
        asked.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(volunteers.services, "signup_refusal", counted)
    volunteers.part(run)
    assert asked == []
    states = set(Signup.objects.values_list("state", flat=True))
    assert {"done", "no_show", "confirmed", "waiting"} <= states


def test_the_branches_meetings_take_up_topics_of_their_kind(run: DemoRun) -> None:
    # A branch's register of meetings read 学习研讨 on every row, whatever the meeting was.
    import random

    from django.utils import timezone

    from linli.party.models import BranchMeeting

    assert volunteers._meetings(random.Random(1), timezone.localdate()) > 0
    for kind, topics in volunteers.MEETING_TOPICS.items():
        held = set(BranchMeeting.objects.filter(kind=kind).values_list("topic", flat=True))
        assert held <= set(topics) and len(held) >= 3, (kind, held)
    branch = BranchMeeting.objects.values_list("branch", flat=True).first()
    assert len(set(BranchMeeting.objects.filter(branch=branch).values_list("topic", flat=True))) >= 5


def test_hours_spent_and_points_redeemed_are_dated_in_the_season(run: DemoRun) -> None:
    """The hours spent on care for an elderly parent and given to a neighbour, and the points redeemed in the store,
    were all dated the day the demo was built: a volunteer's statement read every spending on one day. Each is now on
    a day of the season, before today, once the hours or points were there (no balance below nought on the way)."""
    from decimal import Decimal

    from django.db.models import Sum
    from django.utils import timezone

    from linli.volunteers.models import Movement, PointsEntry, Redemption, Transfer

    volunteers.part(run)
    today = timezone.localdate()
    spent = Transfer.objects.filter(category__in=["elder_care", "gift"])
    days = {timezone.localdate(t.at) for t in spent}
    assert spent.count() >= 2 and today not in days and len(days) >= 2, days
    givers = Movement.objects.filter(transfer__in=spent, account__volunteer__isnull=False)
    for account_id in set(givers.values_list("account_id", flat=True)):
        held = Decimal(0)
        rows = Movement.objects.filter(account_id=account_id).order_by("transfer__at", "id")
        for amount in rows.values_list("amount", flat=True):
            held += amount
            assert held >= 0, (account_id, held)
    redeemed = PointsEntry.objects.filter(kind="redeemed")
    assert redeemed.exists() and not redeemed.filter(on=today).exists()
    for entry in redeemed:
        before = PointsEntry.objects.filter(volunteer=entry.volunteer, on__lte=entry.on)
        assert (before.aggregate(total=Sum("points"))["total"] or 0) >= 0
    handed = Redemption.objects.filter(state="handed")
    assert handed.exists() and all(r.handed_at and timezone.localdate(r.handed_at) < today for r in handed)
