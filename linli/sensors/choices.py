import datetime as dt

from django.db import models
from django.utils.translation import gettext_lazy as _

from linli.core.choices import ColouredChoices


class DeviceKind(models.TextChoices):
    SMOKE = "smoke", _("Smoke detector")
    HEAT = "heat", _("Heat detector")
    GAS = "gas", _("Gas detector")
    ELECTRICAL = "electrical", _("Electrical fire monitor")


# How long a device of each kind may stay silent before it counts as offline (its heartbeat period with slack):
# battery NB-IoT smoke and heat detectors report every few hours, mains-powered gas and electrical monitors often.
HEARTBEAT_TIMEOUT: dict[str, dt.timedelta] = {
    DeviceKind.SMOKE: dt.timedelta(hours=6),
    DeviceKind.HEAT: dt.timedelta(hours=6),
    DeviceKind.GAS: dt.timedelta(hours=1),
    DeviceKind.ELECTRICAL: dt.timedelta(minutes=30),
}


class AlarmType(models.TextChoices):
    SMOKE = "smoke", _("Smoke")
    HEAT = "heat", _("High temperature")
    GAS = "gas", _("Gas leak")
    ELECTRICAL = "electrical", _("Electrical fault")
    TAMPER = "tamper", _("Device removed or tampered with")


class Severity(ColouredChoices):
    CRITICAL = "critical", "#c8102e", _("Critical")
    MAJOR = "major", "#e07b00", _("Major")
    MINOR = "minor", "#d4a017", _("Minor")
    WARNING = "warning", "#1f6fb2", _("Warning")


class AlarmState(ColouredChoices):
    ACTIVE = "active", "#c8102e", _("Not cleared")
    CLEARED = "cleared", "#2e9d5b", _("Cleared")


class AlarmOutcome(ColouredChoices):
    """How an alarm ended (blank while it is on): checked and cleared by a person on site, cleared by the device
    itself (nobody has said what it was), or a false alarm (with its reason; also when said after a clear)."""

    HANDLED = "handled", "#2e9d5b", _("Handled on site")
    DEVICE = "device", "#1f6fb2", _("Reset by the device")
    FALSE = "false", "#8a8f98", _("False alarm")


class AlarmAction(models.TextChoices):
    RAISED = "raised", _("Raised")
    REPEATED = "repeated", _("Repeated by the device")
    ORDERED = "ordered", _("Work order opened")
    ACKNOWLEDGED = "acknowledged", _("Alarm acknowledged")
    ESCALATED = "escalated", _("Escalated")
    CLEARED = "cleared", _("Cleared")
    FALSE_ALARM = "false_alarm", _("Marked as a false alarm")
    ORDER = "order", _("Work order")
