"""In headless Chromium at 1400 × 900: the organiser's page of an activity without a description leaves space
between its facts (报名开始时间) and 班次与岗位, and the roster's rows reach the table's right edge (its last cell
was laid out as a flex box, not a table cell, leaving an empty strip)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from linli.testing.browser import SignedInSession

pytestmark = pytest.mark.browser

# The gap between the facts and the heading under them, and how far a roster row's last cell is from filling the
# row's end (short of the table's right edge, or above or below its row: the largest).
MEASURE = """() => {
  const dl = document.querySelector('.page-deflist').getBoundingClientRect();
  const h3 = [...document.querySelectorAll('h3')].find(h => h.textContent.includes('班次与岗位'))
    .getBoundingClientRect();
  const table = document.querySelector('#roster table').getBoundingClientRect();
  const off = Math.max(...[...document.querySelectorAll('#roster tbody tr')].map(tr => {
    const row = tr.getBoundingClientRect(), last = tr.lastElementChild.getBoundingClientRect();
    return Math.max(table.right - last.right, Math.abs(row.top - last.top), Math.abs(row.bottom - last.bottom));
  }));
  return {gap: h3.top - dl.bottom, off: off};
}"""


class Walk(SignedInSession):
    prefix = "volunteers-activity-layout"


def test_the_activity_card_and_roster_are_laid_out_on_a_desktop(
    live_server: Any, transactional_db: None, browser: Any
) -> None:
    from linli.testing import build_cast
    from linli.volunteers import services
    from linli.volunteers.tests.conftest import make_activity, resident_volunteer

    cast = build_cast()
    me = resident_volunteer(cast)
    activity = make_activity(cast, starts=timezone.now() + dt.timedelta(days=2))
    assert not activity.description
    role = activity.shifts.get().roles.get(name="引导员")
    services.signup_create(actor=None, volunteer=me, role=role)
    worker = Walk(browser, "desktop", cast.community_worker, live_server.url)
    page = worker.go(f"/volunteers/staff/activities/{activity.pk}/")
    measured = page.evaluate(MEASURE)
    assert measured["gap"] >= 12, measured
    assert measured["off"] <= 1, measured
    worker.close()
