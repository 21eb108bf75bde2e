"""The demo accounts' own appeals: each of residents 1–6 signs in to appeals of their own (one waiting, one being
handled, one closed and rated), and the property company's staff account to work sent to its company."""

from __future__ import annotations

from linli.accounts.models import User
from linli.appeals.selectors import appeals_visible_to
from linli.demo import deliberation, own_appeals
from linli.demo.appeals import build_history
from linli.demo.parts import DemoRun
from linli.demo.territory.organisations import PROPERTY_STAFF_PHONE


def test_demo_residents_and_the_property_staff_find_their_own_appeals(run: DemoRun) -> None:
    build_history(days=2, seed=run.seed, per_day=2)
    deliberation.part(run)
    own_appeals.part(run)
    for n in range(1, 7):
        resident = User.objects.get(username=f"resident{n}")
        mine = appeals_visible_to(resident).filter(resident=resident)
        assert sorted(mine.values_list("state", flat=True)) == ["closed", "dispatched", "in_progress"], n
        closed = mine.get(state="closed")
        assert closed.ratings.get().value == ("basically" if n == 4 else "satisfied")
        assert closed.events.filter(action="close").exists()  # by the worker, a day after the rating
    # Residents 7–12 have none of their own (they take part in the hall and volunteering instead).
    assert not appeals_visible_to(User.objects.get(username="resident7")).exists()

    staff = User.objects.get(username="property1")
    assert staff.role == "property_staff" and staff.phone == PROPERTY_STAFF_PHONE
    assert staff.organisation is not None and staff.organisation.kind == "property_company"
    theirs = appeals_visible_to(staff)
    assert sorted(theirs.values_list("state", flat=True)) == ["closed", "dispatched", "in_progress"]
    assert {a.unit_org_id for a in theirs} == {staff.organisation.pk}
    assert all(a.events.filter(action="return").exists() for a in theirs)  # the grid worker sent them on
