"""The demo's co-building part after volunteering: the hours of the orders volunteers fulfilled, and the bonuses of
the wishes they met, dated when the work was done."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from linli.cobuild.models import Order, Wish
from linli.demo import cobuild, deliberation, grid_log, volunteers
from linli.demo.parts import DemoRun
from linli.demo.tests.shared_run import small_run_fixtures
from linli.volunteers.credits import wish_credits
from linli.volunteers.models import PointsEntry, Transfer

# Built once for this module (shared_build): its tests stay on one xdist worker (`--dist loadgroup`).
pytestmark = pytest.mark.xdist_group("test_cobuild_hours")

# The small district with the grid log, the meetings and volunteering (the skilled residents who answer orders and
# adopt wishes are volunteers with accounts), built once for this module's tests; each runs the co-building part on
# a copy and rolls back what it wrote.
small_run, run, _only_where_asked = small_run_fixtures(grid_log.part, deliberation.part, volunteers.part)


def test_a_volunteers_hours_for_an_order_are_paid_when_it_was_done(run: DemoRun) -> None:
    """The hours of every order a volunteer fulfilled were paid at the end of the build, all dated today: a
    provider's statement read half a year's work as one day's. The worker's job now hands each over a minute after
    the order was done, through the real service with the clock there."""
    cobuild.part(run)
    paid = list(Transfer.objects.filter(note__contains=" · FW"))
    orders = {o.number: o for o in Order.objects.filter(served_at__isnull=False, done_at__isnull=False)}
    assert len(paid) >= 3
    today = timezone.localdate()
    for transfer in paid:
        order = orders[transfer.note.rsplit(" · ", 1)[1]]
        assert order.done_at is not None
        assert dt.timedelta(0) <= transfer.at - order.done_at <= dt.timedelta(minutes=5), order.number
        assert timezone.localdate(transfer.at) < today
    assert len({timezone.localdate(t.at) for t in paid}) >= 3


def test_the_wishes_are_met_over_the_last_weeks_and_their_bonuses_dated_then(run: DemoRun) -> None:
    """Every wish was posted, adopted and fulfilled the day the demo was built, so each adopter's wish bonus read
    today. They are lived over the last four weeks, within the wish credits' look-back: the worker's round (run here
    at now, as the demo's last parts do) credits each on the day it was fulfilled."""
    cobuild.part(run)
    today = timezone.localdate()
    fulfilled = Wish.objects.filter(fulfilled_at__isnull=False)
    days = {timezone.localdate(w.fulfilled_at) for w in fulfilled if w.fulfilled_at}
    assert fulfilled.count() >= 3 and today not in days and len(days) >= 3, days
    assert all(timezone.localdate(w.created_at) < today for w in Wish.objects.all())
    assert wish_credits() > 0
    bonuses = PointsEntry.objects.filter(kind="wish")
    assert bonuses.exists() and set(bonuses.values_list("on", flat=True)) <= days
    assert set(bonuses.values_list("source", flat=True)) == {
        f"cobuild.wish:{w.pk}"
        for w in fulfilled.filter(state__in=["fulfilled", "thanked"], adopter__volunteer__isnull=False)
    }
