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
