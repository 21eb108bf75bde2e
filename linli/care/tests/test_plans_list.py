"""The plans page's list of people in care, as a grid worker on patrol reads it on a phone: each person's next
visit or call and how late it is, and the filters they reach for first (their grid, the colour, the overdue)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from linli.care import services
from linli.care.choices import ContactKind, ContactState
from linli.care.models import CareContact, CarePlan
from linli.testing import Cast, make_neighbour


def people(client: Any, query: str = "") -> str:
    """The list of people in care on the plans page (its section, from its heading to its end)."""
    page = client.get(f"/care/plans/{query}").content.decode()
    start = page.index('id="people"')
    return page[start : page.index("</section>", start)]


def neighbour_plan(cast: Cast) -> CarePlan:
    """A yellow plan in the compound's second grid (阳光二网格), which the cast's grid worker does not see."""
    neighbour = make_neighbour(cast)
    return services.care_plan_confirm(
        actor=cast.community_worker,
        resident=neighbour.resident,
        level="yellow",
        reason="入户核实，按登记情况确认",
    )


def missed_call(plan: CarePlan, days_ago: int) -> CareContact:
    return CareContact.objects.create(
        plan=plan,
        kind=ContactKind.CALL,
        due_on=timezone.localdate() - dt.timedelta(days=days_ago),
        state=ContactState.MISSED,
    )


def test_each_person_says_when_their_next_visit_or_call_falls_and_how_late(
    cast: Cast, plan: CarePlan, client_for: Any
) -> None:
    """The list named a person, a colour, a grid, a visitor and a reassessment date: nothing said who was due or
    late, the one thing a worker on patrol opens the list for."""
    neighbour_plan(cast)
    listed = people(client_for("community_worker"))
    assert "下次探访或电话" in listed
    assert listed.count("今天") == 2  # both were confirmed today: their first visit falls today
    missed_call(plan, 3)
    listed = people(client_for("community_worker"))
    assert '电话问候</span> <strong class="care-far">已逾期 3 天</strong>' in listed
    assert listed.count("今天") == 1


def test_an_escalated_one_the_person_was_reached_on_since_is_not_overdue(
    cast: Cast, plan: CarePlan, client_for: Any
) -> None:
    """Escalated, then reached by a later call: the community closes it; the person is not late for a visit."""
    old = missed_call(plan, 4)
    old.state = ContactState.ESCALATED
    old.save(update_fields=["state"])
    assert "已逾期 4 天" in people(client_for("community_worker"))
    later = missed_call(plan, 2)
    later.state, later.done_at = ContactState.DONE, timezone.now()
    later.save(update_fields=["state", "done_at"])
    listed = people(client_for("community_worker"))
    assert "已逾期" not in listed and "今天" in listed


def test_the_list_filters_by_grid_colour_and_overdue_each_keeping_the_others(
    cast: Cast, plan: CarePlan, client_for: Any
) -> None:
    neighbour_plan(cast)
    missed_call(plan, 1)
    client = client_for("community_worker")
    everyone = people(client)
    assert "张三" in everyone and "邻网格居民" in everyone
    assert 'name="grid"' in everyone and "阳光二网格" in everyone  # two grids: the grid filter is offered
    mine = people(client, f"?grid={cast.grid.pk}")
    assert "张三" in mine and "邻网格居民" not in mine
    # The colour links keep the grid chosen, and the overdue one both.
    assert f'href="?level=red&amp;grid={cast.grid.pk}#people"' in mine
    assert f'href="?grid={cast.grid.pk}&amp;overdue=1#people"' in mine
    late = people(client, "?overdue=1")
    assert "张三" in late and "邻网格居民" not in late
    assert 'aria-pressed="true"' in late
    assert "没有符合这些条件的关爱对象" in people(client, "?overdue=1&level=yellow")
    # An unknown grid (or one outside the reader's area) filters nothing out, rather than emptying the list.
    assert "邻网格居民" in people(client, "?grid=99999")


def test_a_grid_worker_of_one_grid_is_offered_no_grid_filter(
    cast: Cast, plan: CarePlan, client_for: Any
) -> None:
    neighbour_plan(cast)
    listed = people(client_for("grid_worker"))
    assert "张三" in listed and "邻网格居民" not in listed
    assert 'name="grid"' not in listed  # only their own grid: nothing to choose
