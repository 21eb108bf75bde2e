"""The sensors import: a kind of the territory's import pages (upload, preview, confirm; CSV or XLSX).

devices     设备编号/code*, 类型/kind* (smoke/heat/gas/electrical or 烟感/温感/燃气/电气火灾), and the one place it
            protects: 场所名称/venue (a small venue of the user's area, by name), 楼栋编码/building or 户编码/household;
            安装位置/location, 安装单位/installer, 安装日期/installed_on.

Rows are checked all together and written only if all are valid (linli/territory/imports/). A new code is
registered by `device_register`; a code already registered in the user's area is an update of its location,
installer and date (`device_update`); an empty cell leaves the stored value."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from linli.territory.imports import Column, Importer, Records
from linli.territory.selectors import buildings_visible_to, households_visible_to, venues_visible_to

from .choices import DeviceKind
from .models import Device
from .selectors import devices_visible_to
from .services import device_register, device_update

KIND = "devices"
LABEL = gettext_lazy("Fire sensors")

COLUMNS = [
    Column("code", "设备编号", True, gettext_lazy("Code printed on the sensor"), "SD-0001"),
    Column(
        "kind", "类型", True, gettext_lazy("smoke, heat, gas or electrical (烟感/温感/燃气/电气火灾)"), "烟感"
    ),
    Column("venue", "场所名称", False, gettext_lazy("Small venue it protects, by name"), "老王家常菜"),
    Column("building", "楼栋编码", False, gettext_lazy("Code of the building it protects")),
    Column("household", "户编码", False, gettext_lazy("Code of the household it protects")),
    Column("location", "安装位置", False, gettext_lazy("Where it hangs"), "后厨"),
    Column("installer", "安装单位", False, gettext_lazy("Who installed it"), "平安消防"),
    Column("installed_on", "安装日期", False, gettext_lazy("Date of installation"), "2026-05-01"),
]

KIND_WORDS = {
    "烟感": DeviceKind.SMOKE,
    "烟雾": DeviceKind.SMOKE,
    "温感": DeviceKind.HEAT,
    "燃气": DeviceKind.GAS,
    "电气": DeviceKind.ELECTRICAL,
    "电气火灾": DeviceKind.ELECTRICAL,
    **{str(k.label): k.value for k in DeviceKind},
    **{k.value: k.value for k in DeviceKind},
}


def _by_name(qs: Any, names: Iterable[str]) -> dict[str, list[Any]]:
    found: dict[str, list[Any]] = {}
    for venue in qs.filter(name__in=sorted(set(names))):
        found.setdefault(venue.name, []).append(venue)
    return found


class DeviceImporter(Importer):
    kind = KIND

    def validate(self, records: Records) -> None:
        venues = _by_name(
            venues_visible_to(self.user), (r.get("venue", "") for _row, r in records if r.get("venue"))
        )
        buildings = self.lookup(
            buildings_visible_to(self.user), (r.get("building", "") for _row, r in records)
        )
        households = self.lookup(
            households_visible_to(self.user).select_related("building"),
            (r.get("household", "") for _row, r in records),
        )
        codes = [r.get("code", "") for _row, r in records if r.get("code")]
        mine = self.lookup(devices_visible_to(self.user), codes)
        elsewhere = set(Device.objects.filter(code__in=codes).values_list("code", flat=True)) - set(mine)
        seen: dict[str, int] = {}
        for row, rec in records:
            ok = self.required(row, rec, "code", "kind")
            ok &= not self.too_long(row, rec, "code", 64) and not self.too_long(row, rec, "location", 100)
            ok &= not self.too_long(row, rec, "installer", 100)
            code = rec.get("code", "")
            if code in seen:
                self.error(row, "code", _("The same code is also in row %(row)d.") % {"row": seen[code]})
                ok = False
            elif code:
                seen[code] = row
            if code in elsewhere:
                self.error(row, "code", _("A sensor with this code is registered outside your area."))
                ok = False
            kind = KIND_WORDS.get(rec.get("kind", "").strip().lower()) or KIND_WORDS.get(
                rec.get("kind", "").strip()
            )
            if rec.get("kind") and kind is None:
                self.error(
                    row, "kind", _("Write smoke, heat, gas or electrical (烟感, 温感, 燃气, 电气火灾).")
                )
                ok = False
            installed_on, valid = self.date(row, rec, "installed_on", 2000)
            ok &= valid
            existing = mine.get(code)
            if existing is not None:
                if ok:
                    proposed: dict[str, tuple[Any, Any]] = {}
                    for key, value in (
                        ("location", rec.get("location")),
                        ("installer", rec.get("installer")),
                        ("installed_on", installed_on),
                    ):
                        if value:
                            proposed[key] = (getattr(existing, key), value)
                    self.compare(
                        row, existing.code, existing, proposed, {k: v for k, (_o, v) in proposed.items()}
                    )
                continue
            named = [k for k in ("venue", "building", "household") if rec.get(k)]
            if len(named) != 1:
                self.error(row, "venue", _("Bind the sensor to one venue, building or household."))
                ok = False
                continue
            where: dict[str, Any] = {}
            if named[0] == "venue":
                candidates = venues.get(rec["venue"], [])
                if not candidates:
                    self.unknown_parent(row, "venue", rec["venue"])
                    ok = False
                elif len(candidates) > 1:
                    self.error(row, "venue", _("Several venues have this name: bind the sensor on its page."))
                    ok = False
                else:
                    where["venue"] = candidates[0]
            else:
                target, found = self.known(
                    row, rec, named[0], buildings if named[0] == "building" else households
                )
                ok &= found
                where[named[0]] = target
            if ok:
                self.plan.append(
                    (
                        row,
                        {
                            "code": code,
                            "kind": kind,
                            "location": rec.get("location", ""),
                            "installer": rec.get("installer", ""),
                            "installed_on": installed_on,
                            **where,
                        },
                    )
                )

    def create(self, **kwargs: Any) -> Device:
        return device_register(actor=self.user, **kwargs)  # type: ignore[arg-type]

    def update(self, obj: Device, changes: dict[str, Any]) -> None:
        device_update(actor=self.user, device=obj, **changes)  # type: ignore[arg-type]
