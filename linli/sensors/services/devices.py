"""Devices: register one (bound to the venue, building or household it protects), change where it hangs, mark
those silent past their timeout offline, and open a work order to replace a low battery."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from linli.accounts.models import User
from linli.appeals.choices import AppealKind, Channel
from linli.appeals.services import appeal_submit
from linli.core.errors import Conflict, invalid
from linli.core.outbox import sms_enqueue
from linli.core.validators import clean_text
from linli.territory.models import Building, Grid, Household, Venue

from .. import permissions
from ..choices import HEARTBEAT_TIMEOUT, DeviceKind
from ..models import Device
from .common import fire_category, grid_workers, tell


def device_register(
    *,
    actor: User | None,
    code: str,
    kind: str,
    venue: Venue | None = None,
    building: Building | None = None,
    household: Household | None = None,
    location: str = "",
    installer: str = "",
    installed_on: dt.date | None = None,
) -> Device:
    """A device bound to the venue, building or household it protects (exactly one), in that place's grid."""
    code = clean_text("code", code, most=64, label=_("Code"))
    if not code:
        raise invalid("code", _("A value is required."))
    location = clean_text("location", location, most=100, label=_("Location"))
    installer = clean_text("installer", installer, most=100, label=_("Installed by"))
    if kind not in DeviceKind.values:
        raise invalid("kind", _("Choose a kind of sensor."))
    if sum(x is not None for x in (venue, building, household)) != 1:
        raise invalid("venue", _("Bind the sensor to one venue, building or household."))
    grid: Grid
    if venue is not None:
        grid, lng, lat = venue.grid, venue.lng, venue.lat
    elif building is not None:
        grid, lng, lat = building.grid, building.lng, building.lat
    else:
        assert household is not None
        grid, lng, lat = household.building.grid, household.building.lng, household.building.lat
    permissions.require(actor, "device_manage", grid.org_node.path)
    if Device.objects.filter(code=code).exists():
        raise Conflict(_("A sensor with this code is already registered."), extra={"field": "code"})
    return Device.objects.create(
        code=code,
        kind=kind,
        grid=grid,
        org_path=grid.org_node.path,
        venue=venue,
        building=building,
        household=household,
        location=location,
        lng=lng,
        lat=lat,
        installer=installer,
        installed_on=installed_on,
    )


def device_update(
    *,
    actor: User | None,
    device: Device,
    location: str | None = None,
    installer: str | None = None,
    installed_on: dt.date | None = None,
) -> Device:
    """Change where a device hangs, who installed it and when (None leaves a value as it is)."""
    permissions.require(actor, "device_manage", device.org_path)
    fields = ["updated_at"]
    for name, value, label in (
        ("location", location, _("Location")),
        ("installer", installer, _("Installed by")),
    ):
        if value is not None:
            setattr(device, name, clean_text(name, value, most=100, label=label))
            fields.append(name)
    if installed_on is not None:
        device.installed_on = installed_on
        fields.append("installed_on")
    device.save(update_fields=fields)
    return device


def devices_mark_offline(*, now: dt.datetime | None = None, limit: int = 500) -> int:
    """Devices silent past their kind's heartbeat timeout: marked offline (compare-and-swap), their grid workers
    and the venue's person in charge told."""
    now = now or timezone.now()
    done = 0
    for kind, timeout in HEARTBEAT_TIMEOUT.items():
        silent = Device.objects.filter(active=True, online=True, kind=kind, last_seen_at__lt=now - timeout)
        for device in silent.select_related("grid", "venue", "building", "household")[:limit]:
            with transaction.atomic():
                if not Device.objects.filter(pk=device.pk, online=True).update(
                    online=False, offline_since=now
                ):
                    continue
                title = _("Sensor offline: %(code)s") % {"code": device.code}
                body = _("%(kind)s at %(place)s has sent nothing since %(at)s.") % {
                    "kind": device.get_kind_display(),
                    "place": device.place_label,
                    "at": f"{timezone.localtime(device.last_seen_at):%m-%d %H:%M}"
                    if device.last_seen_at
                    else "-",
                }
                tell(grid_workers(device), title, body, "/sensors/")
                if device.venue is not None and device.venue.contact_phone:
                    sms_enqueue(phone=device.venue.contact_phone, text=f"{title}：{body}")
                done += 1
    return done


def battery_order(device: Device, now: dt.datetime) -> None:
    appeal = appeal_submit(
        actor=None,
        kind=AppealKind.HELP,
        channel=Channel.SENSOR,
        title=_("Replace the battery of sensor %(code)s") % {"code": device.code},
        description=_(
            "Sensor %(code)s (%(kind)s) at %(place)s reports %(pct)s%% battery. Replace it before it goes silent."
        )
        % {
            "code": device.code,
            "kind": device.get_kind_display(),
            "place": device.place_label,
            "pct": device.battery_pct,
        },
        category_code=fire_category(),  # fire-safety equipment: no need to classify the text
        grid=device.grid,
        lng=device.lng,
        lat=device.lat,
        address=device.place_label[:200],
        idempotency_key=f"sensor-battery-{device.pk}-{now:%Y%m%d}",
        device_code=device.code,  # its possible duplicates are this device's own open orders
    )
    Device.objects.filter(pk=device.pk).update(battery_order=appeal.tracking_number)
