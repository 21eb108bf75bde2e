"""From November, administrators are warned (home page, `linli check`) until next year's holidays are entered."""

from __future__ import annotations

import datetime as dt
import io
from zoneinfo import ZoneInfo

import time_machine
from django.core.management import call_command
from django.test import Client

from linli.core import workdays
from linli.testing import Cast

CST = ZoneInfo("Asia/Shanghai")


def _check() -> str:
    err = io.StringIO()
    call_command("check", stdout=io.StringIO(), stderr=err)
    return err.getvalue()


def test_no_warning_before_november_or_for_a_year_the_package_knows(db: None) -> None:
    with time_machine.travel(dt.datetime(2026, 10, 31, 12, 0, tzinfo=CST), tick=False):
        assert workdays.holidays_missing_year() is None
    with time_machine.travel(dt.datetime(2025, 11, 3, 12, 0, tzinfo=CST), tick=False):
        assert workdays.holidays_missing_year() is None  # the package knows 2026


def test_from_november_the_check_and_the_admin_home_warn_until_the_holidays_are_entered(cast: Cast) -> None:
    admin, officer = Client(), Client()
    admin.force_login(cast.admin)
    officer.force_login(cast.street_officer)
    with time_machine.travel(dt.datetime(2026, 11, 2, 10, 0, tzinfo=CST), tick=False):
        assert workdays.holidays_missing_year() == 2027
        assert "linli.W001" in _check() and "2027" in _check()
        # The warning says exactly where and how: the add page's address, one entry per holiday (its first and
        # last day), one per make-up working day with 工作日 ticked.
        for exact in (
            "/admin/core/calendaroverride/add/（系统 → 工作日历 → 增加）",
            "“日期”填第一天、“至”填最后一天，不勾选“工作日”",
            "每个调休上班日单独录入一条，勾选“工作日”",
        ):
            assert exact in _check()
        home = admin.get("/").content.decode()
        assert 'id="calendar-warning"' in home and "2027年的节假日尚未录入" in home
        assert 'id="calendar-warning"' not in officer.get("/").content.decode()
        workdays.calendar_override_set(
            actor=cast.admin, day=dt.date(2027, 1, 1), is_workday=False, name="元旦"
        )
        assert workdays.holidays_missing_year() is None
        assert "linli.W001" not in _check()
        assert 'id="calendar-warning"' not in admin.get("/").content.decode()
