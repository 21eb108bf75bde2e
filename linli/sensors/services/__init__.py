"""Every write of sensors, in rooms named by noun: `devices` (register, update, mark offline, a battery's work
order), `alarms` (raise as a work order, acknowledge, clear, mark false, escalate), `readings` (a batch of device
messages taken in, message ids kept against redelivery, the device codes of a long-running process) and what they
share in `common` (who is told, the fire-safety category, the battery levels)."""

from __future__ import annotations

from .alarms import ESCALATION, alarm_acknowledge, alarm_clear, alarm_escalate, alarm_mark_false, alarm_raise
from .common import BATTERY_REPLACED_PCT, FIRE_CATEGORY, LOW_BATTERY_PCT
from .devices import device_register, device_update, devices_mark_offline
from .readings import DeviceCodes, IngestResult, messages_forget, readings_ingest

__all__ = [
    "BATTERY_REPLACED_PCT",
    "ESCALATION",
    "FIRE_CATEGORY",
    "LOW_BATTERY_PCT",
    "DeviceCodes",
    "IngestResult",
    "alarm_acknowledge",
    "alarm_clear",
    "alarm_escalate",
    "alarm_mark_false",
    "alarm_raise",
    "device_register",
    "device_update",
    "devices_mark_offline",
    "messages_forget",
    "readings_ingest",
]
