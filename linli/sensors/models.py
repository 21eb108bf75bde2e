from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from linli.core.models import BaseModel
from linli.territory.models import Building, Grid, Household, Venue

from .choices import AlarmAction, AlarmOutcome, AlarmState, AlarmType, DeviceKind, Severity


class Device(BaseModel):
    """A sensor bound to what it protects (a venue, a building or a household), in that place's grid."""

    code = models.CharField(_("device code"), max_length=64, unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=DeviceKind.choices)
    grid = models.ForeignKey(Grid, on_delete=models.PROTECT, related_name="sensors", verbose_name=_("grid"))
    org_path = models.CharField(max_length=255, db_index=True, editable=False)
    venue = models.ForeignKey(
        Venue,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="sensors",
        verbose_name=_("venue"),
    )
    building = models.ForeignKey(
        Building,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="sensors",
        verbose_name=_("building"),
    )
    household = models.ForeignKey(
        Household,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="sensors",
        verbose_name=_("household"),
    )
    location = models.CharField(_("where it hangs"), max_length=100, blank=True)
    lng = models.FloatField(_("longitude"))
    lat = models.FloatField(_("latitude"))
    installer = models.CharField(_("installed by"), max_length=100, blank=True)
    installed_on = models.DateField(_("installed on"), null=True, blank=True)
    battery_pct = models.PositiveSmallIntegerField(_("battery (%)"), null=True, blank=True)
    last_seen_at = models.DateTimeField(_("last heartbeat"), null=True, blank=True)
    online = models.BooleanField(_("online"), default=True)
    offline_since = models.DateTimeField(_("offline since"), null=True, blank=True)
    battery_order = models.CharField(_("battery work order"), max_length=32, blank=True, default="")
    active = models.BooleanField(_("in service"), default=True)
    # The demo district's own sensors (set by the demo when it registers them): only these get the demo's
    # heartbeats (`linli demo_heartbeats`); a device registered by anyone else never does.
    is_demo = models.BooleanField(_("demo data"), default=False, editable=False)

    class Meta:
        verbose_name = _("sensor")
        verbose_name_plural = _("sensors")
        ordering = ["code"]
        indexes = [models.Index(fields=["online", "kind", "last_seen_at"])]

    def __str__(self) -> str:
        return self.code

    @property
    def place_label(self) -> str:
        if self.venue_id:
            return self.venue.name  # type: ignore[union-attr]
        if self.household_id:
            return self.household.address  # type: ignore[union-attr]
        if self.building_id:
            return self.building.address or self.building.name  # type: ignore[union-attr]
        return self.grid.name


class Alarm(BaseModel):
    """One alarm of a device and type: however many messages the device sends, one alarm stays open (active)
    until it is cleared; it opens one work order and escalates while nobody acknowledges it."""

    device = models.ForeignKey(
        Device, on_delete=models.PROTECT, related_name="alarms", verbose_name=_("sensor")
    )
    type = models.CharField(_("type"), max_length=16, choices=AlarmType.choices)
    severity = models.CharField(
        _("severity"), max_length=10, choices=Severity.choices, default=Severity.CRITICAL
    )
    state = models.CharField(_("state"), max_length=10, choices=AlarmState.choices, default=AlarmState.ACTIVE)
    org_path = models.CharField(max_length=255, db_index=True, editable=False)
    published_at = models.DateTimeField(_("sent by the device at"))
    raised_at = models.DateTimeField(_("received at"), db_index=True)
    last_message_at = models.DateTimeField(_("last message at"))
    messages = models.PositiveIntegerField(_("messages"), default=1)
    # Indexed: an order's page finds its alarm by the number (contributions: the link to the alarm).
    appeal_number = models.CharField(_("work order"), max_length=32, blank=True, default="", db_index=True)
    ordered_at = models.DateTimeField(_("work order opened at"), null=True, blank=True)
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    escalation_level = models.PositiveSmallIntegerField(_("escalation level"), default=0)
    escalate_at = models.DateTimeField(null=True, blank=True, db_index=True, editable=False)
    cleared_at = models.DateTimeField(_("cleared at"), null=True, blank=True)
    # When the device sent the clear message: an alarm message the device sent before it, arriving late (several
    # listeners in a shared subscription do not keep a device's order), is a repeat, not a new alarm.
    clear_sent_at = models.DateTimeField(null=True, blank=True, editable=False)
    false_alarm_reason = models.CharField(_("false alarm because"), max_length=200, blank=True, default="")
    outcome = models.CharField(
        pgettext_lazy("alarm", "outcome"), max_length=10, choices=AlarmOutcome.choices, blank=True, default=""
    )

    class Meta:
        verbose_name = _("alarm")
        verbose_name_plural = _("alarms")
        ordering = ["-raised_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["device", "type"],
                condition=models.Q(state="active"),
                name="sensors_one_active_alarm_per_device_type",
            )
        ]

    def __str__(self) -> str:
        return f"{self.device.code} {self.get_type_display()}"


class AlarmEvent(models.Model):
    alarm = models.ForeignKey(Alarm, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(_("at"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(_("action"), max_length=16, choices=AlarmAction.choices)
    note = models.CharField(_("note"), max_length=200, blank=True, default="")

    class Meta:
        verbose_name = _("alarm event")
        verbose_name_plural = _("alarm events")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.alarm_id} {self.action}"


class Message(models.Model):
    """The id of an alarm or clear message already written: a redelivered copy is skipped (kept two days)."""

    mid = models.CharField(max_length=80, unique=True)
    at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = _("delivered message")
        verbose_name_plural = _("delivered messages")

    def __str__(self) -> str:
        return self.mid
