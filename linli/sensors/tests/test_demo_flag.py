"""The migration that brought `Device.is_demo` marks the sensors an existing demo database holds, recognised the
way the demo's heartbeats recognised them before the flag, and nothing in a database without the demo."""

from __future__ import annotations

import importlib

from django.apps import apps

from linli.sensors import services
from linli.sensors.models import Device
from linli.territory.models import Resident
from linli.testing import Cast

from .conftest import smoke_detector

step = importlib.import_module("linli.sensors.migrations.0004_device_is_demo")


def _devices(cast: Cast) -> tuple[Device, Device, Device]:
    """One of the demo's scheme and installer, one of the demo's scheme by another installer, and the tests'
    usual detector (another scheme)."""
    usual = smoke_detector(cast)
    assert usual.venue is not None

    def register(code: str, installer: str) -> Device:
        return services.device_register(
            actor=cast.community_worker, code=code, kind="heat", venue=usual.venue, installer=installer
        )

    return (
        register(f"HE-{cast.grid.code}-0002", "城安物联"),
        register(f"HE-{cast.grid.code}-0003", "本地安装队"),
        usual,
    )


def _marked() -> set[str]:
    return set(Device.objects.filter(is_demo=True).values_list("code", flat=True))


def test_the_migration_marks_an_existing_demo_databases_sensors(cast: Cast) -> None:
    demo, _other_installer, _usual = _devices(cast)
    assert _marked() == set()  # registered through the service: nobody's device is the demo's
    Resident.objects.filter(pk=cast.resident_record.pk).update(is_demo=True)
    step.mark_demo_devices(apps, None)
    assert _marked() == {demo.code}


def test_the_migration_marks_nothing_without_the_demo(cast: Cast) -> None:
    _devices(cast)
    step.mark_demo_devices(apps, None)
    assert _marked() == set()
