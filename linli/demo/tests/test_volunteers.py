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
