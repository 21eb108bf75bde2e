"""One plan, visit or service is fetched by its key and checked against the reader's scope: the same rule as the
lists (`*_visible_to`), a 404 outside it, for a read and for a locked write alike."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.db.models import QuerySet
from django.utils import timezone

from linli.accounts.models import User
from linli.care import selectors, services
from linli.care.models import CarePlan
from linli.core.errors import NotFound
from linli.testing import Cast

ROWS: dict[str, tuple[Callable[[Any], QuerySet[Any]], Callable[..., Any]]] = {
    "plan": (selectors.plans_visible_to, selectors.plan_get_for),
    "contact": (selectors.contacts_visible_to, selectors.contact_get_for),
    "service": (selectors.services_visible_to, selectors.service_get_for),
}
READERS = [
    "grid_worker",
    "community_worker",
    "street_officer",
    "admin",
    "outsider",
    "department_handler",
    "resident",
    "other_grid_worker",
    "volunteer",
    "idle_volunteer",
]


@pytest.fixture
def rows(cast: Cast, plan: CarePlan, volunteer: User) -> dict[str, Any]:
    """Today's visit of the red plan given to the volunteer, and a service booked with them."""
    contact = plan.contacts.filter(due_on=timezone.localdate()).first()
    assert contact is not None
    services.care_contact_assign(actor=cast.community_worker, contact=contact, assignee=volunteer)
    service = services.care_service_order(
        actor=cast.grid_worker,
        plan=plan,
        kind="bathing",
        provider="幸福社区助浴队",
        scheduled_on=timezone.localdate(),
        volunteer=volunteer,
    )
    return {"plan": plan, "contact": contact, "service": service}


def _reader(cast: Cast, volunteer: User, name: str) -> Any:
    if name == "volunteer":
        return volunteer
    if name == "idle_volunteer":
        return User.objects.create_user(username="idle", password="x", role="resident", phone="13700000009")
    if name == "other_grid_worker":
        worker = User.objects.create_user(
            username="gw9", password="x", role="grid_worker", org_node=cast.compound
        )
        cast.other_grid.workers.add(worker)
        return worker
    return getattr(cast, name)


@pytest.mark.parametrize("kind", list(ROWS))
@pytest.mark.parametrize("reader", READERS)
def test_one_row_is_found_exactly_when_the_list_shows_it(
    cast: Cast, volunteer: User, rows: dict[str, Any], kind: str, reader: str
) -> None:
    visible_to, get_for = ROWS[kind]
    user = _reader(cast, volunteer, reader)
    row = rows[kind]
    listed = visible_to(user).filter(pk=row.pk).exists()
    for lock in (False, True):
        if listed:
            assert get_for(user, row.pk, lock=lock) == row
        else:
            with pytest.raises(NotFound):
                get_for(user, row.pk, lock=lock)


def test_the_scope_is_not_trivially_open_or_shut(cast: Cast, volunteer: User, rows: dict[str, Any]) -> None:
    """The readers above fall on both sides of each rule."""
    for kind, (visible_to, get_for) in ROWS.items():
        assert visible_to(cast.grid_worker).filter(pk=rows[kind].pk).exists()
        assert visible_to(volunteer).filter(pk=rows[kind].pk).exists()
        with pytest.raises(NotFound):
            get_for(cast.outsider, rows[kind].pk)
        with pytest.raises(NotFound):
            get_for(cast.resident, rows[kind].pk)


def test_a_missing_key_is_not_found(cast: Cast, plan: CarePlan) -> None:
    with pytest.raises(NotFound):
        selectors.plan_get_for(cast.admin, plan.pk + 1000)
