"""并单 suggestions around a sensor's work order. Sensors open orders through appeals' intake on the sensor channel
with a template text ("…烟雾告警", "传感器 … 发出严重级烟雾告警，请立即前往处置。"), so every alarm within 300 m
read as a duplicate of every other (the demo's 疑似重复 tab offered a bicycle shed's smoke alarm as a duplicate of a
noodle shop's heat alarm 150 m away). A sensor's order is compared with its own device's open orders only; a
person's appeal is offered a device's order only when filed under its category and as alike as any suggestion."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from linli.appeals.jobs import JOBS
from linli.appeals.models import Appeal, DuplicateSuggestion
from linli.appeals.services import appeal_submit
from linli.appeals.tests import factories
from linli.core.errors import ValidationFailed
from linli.testing import Cast

FIRE = "public_safety.fire_safety"
SHOP = (116.4039, 39.9020)
# The bicycle shed across the lane: 80 m east, the same grid.
SHED = (116.4039 + 80 / (111_320 * 0.7672), 39.9020)


def alarm(cast: Cast, device: str, place: str, where: tuple[float, float], *, kind: str = "烟雾") -> Appeal:
    """A sensor's alarm order as the sensors app opens it (its template text, fire safety, the device's point)."""
    return appeal_submit(
        actor=None,
        kind="help",
        channel="sensor",
        title=f"{place}{kind}告警",
        description=f"传感器 {device}（烟感，{place}）于 {timezone.localtime():%Y-%m-%d %H:%M:%S} "
        f"发出严重级{kind}告警，请立即前往处置。",
        category_code=FIRE,
        priority="emergency",
        grid=cast.grid,
        lng=where[0],
        lat=where[1],
        address=place,
        device_code=device,
    )


def checked(appeal: Appeal) -> list[int]:
    """The worker's duplicates round, then the appeals suggested for `appeal`."""
    JOBS["appeals.duplicates"]()
    return list(DuplicateSuggestion.objects.filter(appeal=appeal).values_list("candidate_id", flat=True))


def test_an_alarm_is_offered_its_own_device_s_open_order_never_a_neighbouring_device_s(
    cast: Cast, client_for: Any
) -> None:
    shop = alarm(cast, "SM-0001", "王记麻辣烫", SHOP)
    assert checked(shop) == []
    shed = alarm(cast, "SM-0002", "12号楼自行车棚", SHED)
    assert checked(shed) == []  # another device, 80 m away, the same words: not the same problem
    again = alarm(cast, "SM-0001", "王记麻辣烫", SHOP)
    assert checked(again) == [shop.pk]  # the shop's sensor again while its first order is open
    battery = appeal_submit(
        actor=None,
        kind="help",
        channel="sensor",
        title="更换传感器 SM-0001 的电池",
        description="王记麻辣烫的传感器 SM-0001（烟感）电量仅剩 8%，请在失联前更换电池。",
        category_code=FIRE,
        grid=cast.grid,
        lng=SHOP[0],
        lat=SHOP[1],
        device_code="SM-0001",
    )
    assert checked(battery) == []  # the same device, another matter
    page = client_for("grid_worker").get(reverse("appeals:detail", args=[shed.pk])).content.decode()
    assert shop.tracking_number not in page


def test_an_order_that_names_no_device_is_offered_nothing(cast: Cast) -> None:
    shop = alarm(cast, "", "王记麻辣烫", SHOP)
    again = alarm(cast, "", "王记麻辣烫", SHOP)
    JOBS["appeals.duplicates"]()
    assert not DuplicateSuggestion.objects.filter(appeal__in=[shop, again]).exists()


def test_only_a_sensor_s_order_names_a_device(cast: Cast) -> None:
    with pytest.raises(ValidationFailed) as refused:
        factories.submit(cast, device_code="SM-0001")
    assert refused.value.extra["field"] == "device_code"
    assert not Appeal.objects.exists()


def test_a_person_s_report_of_the_same_alarm_is_offered_the_order_a_complaint_beside_it_is_not(
    cast: Cast,
) -> None:
    shop = alarm(cast, "SM-0001", "王记麻辣烫", SHOP)
    heard = factories.submit(
        cast,
        kind="help",
        title="王记麻辣烫烟雾告警",
        description="王记麻辣烫的烟雾报警一直响，后厨有烟，请立即前往处置。",
        category_code=FIRE,
        lng=SHOP[0],
        lat=SHOP[1],
    )
    assert checked(heard) == [shop.pk]
    # The same words filed as a fume complaint: not what the alarm's order is about.
    fumes = factories.submit(
        cast,
        title="王记麻辣烫烟雾告警",
        description="王记麻辣烫的烟雾报警一直响，后厨有烟，请立即前往处置。",
        category_code="environment.noise",
        lng=SHOP[0],
        lat=SHOP[1],
    )
    assert shop.pk not in checked(fumes)
    # And an alarm coming after a person's report merges into nothing but its own device's orders.
    later = alarm(cast, "SM-0003", "王记麻辣烫", SHOP)
    assert checked(later) == []


def test_the_window_and_the_threshold_hold_for_a_device_s_orders_too(cast: Cast) -> None:
    """LINLI_DUPLICATE_DAYS and LINLI_DUPLICATE_MIN_SCORE as for any appeal: the orders' titles compared (a smoke
    and a heat alarm of the shop's sensor: 王记麻辣烫烟雾告警, 王记麻辣烫高温告警, about 0.6 alike)."""
    with time_machine.travel(timezone.now() - dt.timedelta(days=3)):
        old = alarm(cast, "SM-0001", "王记麻辣烫", SHOP)
    with override_settings(LINLI_DUPLICATE_DAYS=2):
        smoke = alarm(cast, "SM-0001", "王记麻辣烫", SHOP)
        assert checked(smoke) == []  # the old one is out of the window
    with override_settings(LINLI_DUPLICATE_MIN_SCORE=0.7):
        heat = alarm(cast, "SM-0001", "王记麻辣烫", SHOP, kind="高温")
        assert checked(heat) == []  # the smoke alarms read too little alike for this threshold
    # With the usual settings: the same heat alarm first, then the two smoke alarms.
    assert checked(alarm(cast, "SM-0001", "王记麻辣烫", SHOP, kind="高温")) == [heat.pk, old.pk, smoke.pk]
