"""Keeping people and housing up to date: each life event, edits, housing figures, all audited and scoped."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.utils import timezone

from linli.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from linli.core.jobs import run_all
from linli.core.models import AuditEntry, Notification
from linli.territory import services
from linli.territory.models import Building, Household, Resident, ResidentEvent
from linli.territory.selectors import grid_profile
from linli.testing import Cast

pytestmark = pytest.mark.django_db

DAY = dt.date(2024, 3, 1)


def _second_household(cast: Cast, code: str = "H011", room: str = "201") -> Household:
    return services.household_create(actor=None, building=cast.building, code=code, room=room)


def _kinds(resident: Resident) -> list[str]:
    return list(resident.events.order_by("id").values_list("kind", flat=True))


def test_a_family_moving_to_another_grid_changes_both_grids_counts(cast: Cast) -> None:
    spouse = services.resident_create(
        actor=None, household=cast.household, name="王五", gender="female", birth_date=dt.date(1952, 1, 1)
    )
    before = grid_profile(cast.grid)["residents"], grid_profile(cast.other_grid)["residents"]
    other_home = cast.other_resident_record.household
    assert other_home is not None
    moved = services.household_move(
        actor=cast.admin, household=cast.household, to_household=other_home, on=DAY
    )
    assert moved == 2
    assert (grid_profile(cast.grid)["residents"], grid_profile(cast.other_grid)["residents"]) == (
        before[0] - 2,
        before[1] + 2,
    )
    spouse.refresh_from_db()
    assert (spouse.household_id, spouse.grid_id) == (other_home.pk, cast.other_grid.pk)
    event = spouse.events.get()
    assert (event.kind, event.occurred_on, event.from_household_id, event.to_household_id) == (
        "moved",
        DAY,
        cast.household.pk,
        other_home.pk,
    )
    assert AuditEntry.objects.filter(action="resident_moved").count() == 2


def test_moving_out_keeps_the_person_and_their_history(cast: Cast) -> None:
    r = cast.resident_record
    services.resident_move_out(actor=cast.community_worker, resident=r, on=DAY, destination="上海")
    r.refresh_from_db()
    assert (r.status, r.household_id, r.grid_id) == ("moved_away", None, cast.grid.pk)
    assert r.events.get().note == "上海"
    assert grid_profile(cast.grid)["residents"] == 0
    with pytest.raises(Conflict):
        services.resident_move_out(actor=cast.community_worker, resident=r, on=DAY)


def test_a_person_who_moved_away_moves_back_with_their_history(cast: Cast) -> None:
    r = cast.resident_record
    services.resident_move_out(actor=None, resident=r, on=DAY)
    back = services.resident_move_in(
        actor=cast.grid_worker,
        household=_second_household(cast),
        name="张三",
        gender="male",
        birth_date=r.birth_date,
        id_number=r.id_number,
        on=DAY,
    )
    assert back.pk == r.pk and back.status == "present"
    assert _kinds(back) == ["moved_out", "moved_in"]


def test_a_newcomer_moves_in_and_a_present_resident_cannot_move_in_twice(cast: Cast) -> None:
    newcomer = services.resident_move_in(
        actor=cast.grid_worker,
        household=cast.household,
        name="新住户",
        gender="female",
        birth_date=dt.date(1990, 2, 2),
        relation="租户",
    )
    assert _kinds(newcomer) == ["moved_in"] and newcomer.grid_id == cast.grid.pk
    with pytest.raises(ValidationFailed) as exc:
        services.resident_move_in(
            actor=cast.grid_worker,
            household=cast.household,
            name="张三",
            gender="male",
            birth_date=dt.date(1950, 3, 1),
            id_number=cast.resident_record.id_number,
        )
    assert exc.value.extra["field"] == "id_number"


def test_a_birth_registers_a_child_under_three(cast: Cast) -> None:
    born = timezone.localdate() - dt.timedelta(days=10)
    child = services.resident_birth(
        actor=cast.grid_worker, household=cast.household, name="张小宝", gender="male", birth_date=born
    )
    assert child.tag_list == ["child_under_3"]
    assert child.events.get().kind == "born"
    with pytest.raises(ValidationFailed):
        services.resident_birth(
            actor=cast.grid_worker,
            household=cast.household,
            name="未来",
            gender="male",
            birth_date=timezone.localdate() + dt.timedelta(days=1),
        )


def test_a_death_is_recorded_and_the_building_loses_its_captain(cast: Cast) -> None:
    r = cast.resident_record
    services.building_update(actor=cast.community_worker, building=cast.building, captain=r)
    services.resident_death(actor=cast.community_worker, resident=r, on=DAY)
    r.refresh_from_db()
    cast.building.refresh_from_db()
    assert (r.status, cast.building.captain_id) == ("deceased", None)
    assert r.events.get().kind == "died"


def test_a_household_splits_and_two_households_merge(cast: Cast) -> None:
    son = services.resident_create(
        actor=None, household=cast.household, name="张一", gender="male", birth_date=dt.date(1980, 1, 1)
    )
    new = services.household_split(
        actor=cast.grid_worker,
        household=cast.household,
        members=[son],
        code="H001-2",
        room="102",
        head=son,
        on=DAY,
    )
    son.refresh_from_db()
    assert (son.household_id, son.relation) == (new.pk, "户主")
    with pytest.raises(ValidationFailed):  # the last member cannot leave by a split
        services.household_split(
            actor=cast.grid_worker, household=new, members=[son], code="H001-3", room="103"
        )
    assert services.households_merge(actor=cast.grid_worker, household=new, into=cast.household, on=DAY) == 1
    son.refresh_from_db()
    assert son.household_id == cast.household.pk
    assert _kinds(son) == ["household_split", "households_merged"]


def test_the_head_of_household_changes(cast: Cast) -> None:
    cast.resident_record.relation = "户主"
    cast.resident_record.save()
    daughter = services.resident_create(
        actor=None, household=cast.household, name="张女", gender="female", birth_date=dt.date(1978, 1, 1)
    )
    services.household_head_change(
        actor=cast.grid_worker, household=cast.household, head=daughter, previous_relation="父亲"
    )
    cast.resident_record.refresh_from_db()
    daughter.refresh_from_db()
    assert (daughter.relation, cast.resident_record.relation) == ("户主", "父亲")
    assert ResidentEvent.objects.filter(kind="head_changed").count() == 2


def test_editing_a_resident_is_validated_and_audited(cast: Cast) -> None:
    r = services.resident_update(
        actor=cast.grid_worker,
        resident=cast.resident_record,
        phone="13900001111",
        tags=["disabled"],
        care_level="red",
        occupation="退休",
        notes="腿脚不便",
    )
    assert (r.phone, r.tags, r.care_level, r.occupation) == ("13900001111", " disabled ", "red", "退休")
    entry = AuditEntry.objects.get(action="resident_update")
    assert set(entry.detail["fields"]) == {"phone", "tags", "care_level", "occupation", "notes"}
    with pytest.raises(ValidationFailed) as exc:
        services.resident_update(actor=cast.grid_worker, resident=r, phone="12345")
    assert exc.value.extra["field"] == "phone"


def test_roles_that_read_the_register_do_not_change_it(cast: Cast) -> None:
    with pytest.raises(PermissionDenied):
        services.resident_update(actor=cast.street_officer, resident=cast.resident_record, occupation="x")
    with pytest.raises(NotFound):  # another community's resident does not exist for the outsider... nor here
        services.resident_update(
            actor=cast.community_worker, resident=cast.other_resident_record, occupation="x"
        )
    other_home = cast.other_resident_record.household
    assert other_home is not None
    with pytest.raises(NotFound):  # a move names a household outside the scope
        services.resident_move(actor=cast.grid_worker, resident=cast.resident_record, to_household=other_home)


def test_building_figures_hold_its_households(cast: Cast) -> None:
    b = services.building_update(
        actor=cast.community_worker, building=cast.building, floors=6, entrances=2, households_per_floor=2
    )
    assert b.households_per_floor == 2
    with pytest.raises(ValidationFailed) as exc:
        services.building_update(actor=cast.community_worker, building=b, floors=0)
    assert exc.value.extra["field"] == "floors"
    with pytest.raises(ValidationFailed):  # room 701 on a six-floor building
        services.household_create(actor=None, building=b, code="H-701", room="701")
    services.building_update(
        actor=cast.community_worker, building=b, floors=1, entrances=1, households_per_floor=1
    )
    with pytest.raises(ValidationFailed):  # one home per floor, one floor, one entrance: full
        services.household_create(actor=None, building=b, code="H-102", room="102")
    with pytest.raises(ValidationFailed):  # H001 lives behind entrance 1
        services.building_update(actor=cast.community_worker, building=b, entrances=0)
    with pytest.raises(ValidationFailed):  # the captain must live in the building
        services.building_update(actor=cast.community_worker, building=b, captain=cast.other_resident_record)


def test_a_new_building_takes_its_homes_per_floor_and_no_captain_from_elsewhere(cast: Cast) -> None:
    place = {"grid": cast.grid, "name": "9号楼", "address": "和平里9号楼", "lng": 116.4205, "lat": 39.9005}
    b = services.building_create(actor=None, code="B-9", floors=6, households_per_floor=2, **place)
    assert (b.households_per_floor, b.captain_id) == (2, None)
    with pytest.raises(ValidationFailed) as exc:
        services.building_create(actor=None, code="B-10", households_per_floor=51, **place)
    assert exc.value.extra["field"] == "households_per_floor"
    with pytest.raises(ValidationFailed) as exc:  # no one lives in a new building yet
        services.building_create(actor=None, code="B-11", captain=cast.resident_record, **place)
    assert exc.value.extra["field"] == "captain"
    assert not Building.objects.filter(code__in=["B-10", "B-11"]).exists()


def test_household_tenure_and_floor_area(cast: Cast) -> None:
    h = services.household_update(
        actor=cast.grid_worker, household=cast.household, is_rented=True, floor_area="86.5"
    )
    assert (h.is_rented, h.floor_area) == (True, Decimal("86.50"))
    with pytest.raises(ValidationFailed):
        services.household_update(actor=cast.grid_worker, household=h, floor_area="很大")


def test_the_grid_worker_is_reminded_once_before_a_lease_ends(cast: Cast) -> None:
    tenant = services.resident_create(
        actor=None,
        household=cast.household,
        name="租客",
        gender="male",
        birth_date=dt.date(1995, 1, 1),
        tags=["tenant"],
    )
    services.resident_update(actor=cast.grid_worker, resident=tenant, lease_ends_on=dt.date(2024, 4, 10))
    with time_machine.travel(dt.datetime(2024, 3, 1, 9, tzinfo=dt.UTC)):
        assert run_all(["territory.lease_reminders"]) == {"territory.lease_reminders": 0}
    with time_machine.travel(dt.datetime(2024, 3, 20, 9, tzinfo=dt.UTC)):
        assert run_all(["territory.lease_reminders"]) == {"territory.lease_reminders": 1}
        assert run_all(["territory.lease_reminders"]) == {"territory.lease_reminders": 0}
    note = Notification.objects.get(user=cast.grid_worker)
    assert "租客" in note.title and f"/territory/residents/{tenant.pk}/" == note.url
