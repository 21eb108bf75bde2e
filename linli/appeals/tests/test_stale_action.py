"""An action posted from a page opened before someone else moved the appeal on, with a field left out: the form
was checked first, and its error put on a form the fresh page no longer shows (the action is not offered in the
new state), so the person got the page again (422) with no word of why nothing happened. Now the page says the
appeal's state and that the action is not possible in it, whatever the form held."""

from __future__ import annotations

import pytest

from linli.appeals import services
from linli.appeals.tests.factories import submit
from linli.testing import Cast, signed_in

pytestmark = pytest.mark.django_db


def test_an_incomplete_action_on_an_appeal_moved_on_says_why(cast: Cast) -> None:
    appeal = submit(cast)
    services.appeal_acknowledge(actor=cast.grid_worker, appeal=appeal)
    services.appeal_escalate(actor=cast.grid_worker, appeal=appeal, reason="需要社区协调处置")
    c = signed_in(cast.grid_worker)
    # The page was open while the appeal was acknowledged; the resolve form is sent without its note.
    answer = c.post(
        f"/appeals/{appeal.pk}/act/resolve/",
        {"seen_state": "acknowledged", "resolve-outcome": "fixed", "resolve-note": ""},
        follow=True,
    )
    html = answer.content.decode()
    assert "已有他人先行处理" in html or "不能执行“办结”" in html
