"""Holidays the calendar package does not know yet are entered by hand and deadlines follow them."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from linli.core import workdays
from linli.core.errors import PermissionDenied, ValidationFailed
from linli.core.models import AuditEntry, CalendarOverride
from linli.testing import Cast, at


def test_a_holiday_entered_for_an_unknown_year_moves_the_deadline(
    cast: Cast, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    # 2027 is beyond the calendar package: Monday–Friday are working days until the administrator says otherwise.
    start = at(2027, 2, 5, 10, 0)  # Friday
    assert workdays.add_working_time(start, days=1) == at(2027, 2, 8, 10, 0)
    with django_capture_on_commit_callbacks(execute=True):
        for day in (8, 9, 10, 11, 12):  # 春节 Monday to Friday
            workdays.calendar_override_set(
                actor=cast.admin, day=dt.date(2027, 2, day), is_workday=False, name="春节"
            )
        workdays.calendar_override_set(
            actor=cast.admin, day=dt.date(2027, 2, 20), is_workday=True, name="春节调休上班"
        )
    assert not workdays.is_workday(dt.date(2027, 2, 9))
    assert workdays.is_workday(dt.date(2027, 2, 20))  # a Saturday
    assert workdays.add_working_time(start, days=1) == at(2027, 2, 15, 10, 0)
    assert AuditEntry.objects.filter(action="calendar_override_set").count() == 6


def test_an_entry_overrides_the_package_and_deleting_it_restores_the_package(
    cast: Cast,
    django_capture_on_commit_callbacks,  # type: ignore[no-untyped-def]
) -> None:
    national_day = dt.date(2026, 10, 1)
    assert not workdays.is_workday(national_day)
    with django_capture_on_commit_callbacks(execute=True):
        entry = workdays.calendar_override_set(
            actor=cast.admin, day=national_day, is_workday=True, name="值班日"
        )
    assert workdays.is_workday(national_day)
    with django_capture_on_commit_callbacks(execute=True):
        workdays.calendar_override_delete(actor=cast.admin, entry=entry)
    assert not workdays.is_workday(national_day)


def test_only_an_administrator_edits_the_calendar(cast: Cast) -> None:
    with pytest.raises(PermissionDenied):
        workdays.calendar_override_set(
            actor=cast.street_officer, day=dt.date(2027, 1, 1), is_workday=False, name="元旦"
        )
    assert not CalendarOverride.objects.exists()


def test_the_admin_page_writes_through_the_service(cast: Cast) -> None:
    client = Client()
    client.force_login(cast.admin)
    response = client.post(
        "/admin/core/calendaroverride/add/", {"day": "2027-01-01", "is_workday": "", "name": "元旦"}
    )
    assert response.status_code == 302, response.content.decode()[:500]
    entry = CalendarOverride.objects.get(day=dt.date(2027, 1, 1))
    assert entry.is_workday is False
    assert AuditEntry.objects.filter(action="calendar_override_set", object_id=str(entry.pk)).exists()


def test_the_admin_lists_by_date_say_filter_by_in_chinese(cast: Cast) -> None:
    # Django 6.1's date hierarchy ("Filter by %(field_name)s") has no Chinese in Django's own catalogue.
    client = Client()
    client.force_login(cast.admin)
    html = client.get("/admin/core/calendaroverride/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "Filter by" not in html
    assert "按日期筛选" in html


def test_a_holiday_of_several_days_is_entered_at_once_in_the_admin(cast: Cast) -> None:
    client = Client()
    client.force_login(cast.admin)
    form = client.get("/admin/core/calendaroverride/add/").content.decode()
    assert "至（含当日）" in form and "不勾选：这一天放假" in form
    response = client.post(
        "/admin/core/calendaroverride/add/",
        {"day": "2027-02-06", "last_day": "2027-02-14", "is_workday": "", "name": "春节"},
        follow=True,
    )
    assert "已录入 9 天：2027-02-06 至 2027-02-14。" in response.content.decode()
    days = CalendarOverride.objects.filter(name="春节")
    assert sorted(d.day.day for d in days) == list(range(6, 15))
    assert not any(d.is_workday for d in days)
    assert not workdays.is_workday(dt.date(2027, 2, 8))  # a Monday
    assert AuditEntry.objects.filter(action="calendar_override_set").count() == 9
    listing = client.get("/admin/core/calendaroverride/").content.decode()
    assert "星期一" in listing and "星期日" in listing


def test_a_last_day_before_the_first_is_refused_and_nothing_is_entered(cast: Cast) -> None:
    client = Client()
    client.force_login(cast.admin)
    response = client.post(
        "/admin/core/calendaroverride/add/",
        {"day": "2027-10-07", "last_day": "2027-10-01", "is_workday": "", "name": "国庆节"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "“至”不能早于“日期”，且最多比它晚 30 天。" in html
    assert 'value="国庆节"' in html and 'value="2027-10-01"' in html
    assert not CalendarOverride.objects.exists()


def test_a_run_longer_than_a_month_is_refused_by_the_service(cast: Cast) -> None:
    with pytest.raises(ValidationFailed):
        workdays.calendar_override_set(
            actor=cast.admin,
            day=dt.date(2027, 1, 1),
            last_day=dt.date(2027, 3, 1),
            is_workday=False,
            name="假",
        )
    assert not CalendarOverride.objects.exists()
