"""Per-process snapshots: built once, rebuilt when the version moves, in this process at once and in another after
the recheck interval; a copy built from a change that rolled back is never handed out."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import transaction

from linli.core import workdays
from linli.core.models import SnapshotVersion
from linli.core.snapshots import Snapshot, bump
from linli.testing import Cast
from linli.testing.snapshots import in_another_process

pytestmark = pytest.mark.django_db


def counting(name: str) -> tuple[Snapshot[int], list[int]]:
    builds: list[int] = []

    def build() -> int:
        builds.append(1)
        return len(builds)

    return Snapshot(name, build), builds


def test_a_snapshot_is_built_once_and_rebuilt_after_a_bump_in_this_process() -> None:
    snapshot, builds = counting("test_once")
    assert snapshot.get() == 1
    assert snapshot.get() == 1
    bump("test_once")
    assert snapshot.get() == 2
    assert SnapshotVersion.objects.get(name="test_once").version == 1
    assert len(builds) == 2


def test_another_process_sees_a_bump_after_the_recheck_interval(settings: Any) -> None:
    settings.LINLI_SNAPSHOT_RECHECK_SECONDS = 3600
    snapshot, _builds = counting("test_other")
    assert snapshot.get() == 1
    with in_another_process():
        bump("test_other")
    assert snapshot.get() == 1  # within the interval the copy is kept without a query
    settings.LINLI_SNAPSHOT_RECHECK_SECONDS = 0
    assert snapshot.get() == 2


def test_a_dependency_bump_rebuilds_too() -> None:
    builds: list[int] = []
    snapshot = Snapshot("test_main", lambda: builds.append(1) or len(builds), depends_on=("test_dep",))
    assert snapshot.get() == 1
    bump("test_dep")
    assert snapshot.get() == 2


def test_a_copy_built_inside_a_rolled_back_change_is_not_kept(settings: Any) -> None:
    settings.LINLI_SNAPSHOT_RECHECK_SECONDS = 3600
    rows: list[str] = []
    snapshot = Snapshot("test_rollback", lambda: tuple(rows))
    assert snapshot.get() == ()

    class Undo(Exception):
        pass

    with pytest.raises(Undo), transaction.atomic():
        rows.append("uncommitted")  # stands for a row written in the transaction
        bump("test_rollback")
        assert snapshot.get() == ("uncommitted",)  # the transaction sees its own change
        rows.pop()
        raise Undo
    assert snapshot.get() == ()  # read again after the rollback, not from the versions read inside it
    # Another process now commits its own change, which takes the same version number the rolled-back one had.
    with in_another_process():
        rows.append("committed")
        bump("test_rollback")
    assert SnapshotVersion.objects.get(name="test_rollback").version == 1
    settings.LINLI_SNAPSHOT_RECHECK_SECONDS = (
        0  # this process rechecks: same number, but its copy was built at 0
    )
    assert snapshot.get() == ("committed",)


def test_a_calendar_day_set_through_the_service_is_seen_by_another_process(cast: Cast, settings: Any) -> None:
    settings.LINLI_SNAPSHOT_RECHECK_SECONDS = 3600
    day = dt.date(2027, 3, 1)  # a Monday the calendar package does not know
    assert workdays.is_workday(day)
    with in_another_process():
        workdays.calendar_override_set(actor=cast.admin, day=day, is_workday=False, name="停工日")
        assert not workdays.is_workday(day)
    assert workdays.is_workday(day)  # this process has not rechecked yet
    settings.LINLI_SNAPSHOT_RECHECK_SECONDS = 0
    assert not workdays.is_workday(day)
