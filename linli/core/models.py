"""Infrastructure tables every app shares: the abstract base model and the audit log.

Core holds no domain models; domain apps build on these.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from .masking import mask_phone


class BaseModel(models.Model):
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


class AuditEntry(models.Model):
    """One read of personal data in clear, or one sensitive change, by whom and when."""

    at = models.DateTimeField(_("at"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    action = models.CharField(_("action"), max_length=64)
    object_type = models.CharField(_("object type"), max_length=64)
    object_id = models.CharField(_("object id"), max_length=64)
    detail = models.JSONField(_("detail"), default=dict, blank=True)
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")
        ordering = ["-at"]
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        from .audit_actions import action_label, object_type_label

        when = f"{timezone.localtime(self.at):%Y-%m-%d %H:%M} " if self.at else ""
        return f"{when}{action_label(self.action, self.object_type)} {object_type_label(self.object_type)}#{self.object_id}"


class OutboxChannel(models.TextChoices):
    SMS = "sms", _("SMS")
    EMAIL = "email", _("Email")
    WEBHOOK = "webhook", _("Webhook")
    INBOX = "inbox", _("In-app inbox")


class OutboxStatus(models.TextChoices):
    # In a context of their own: the bare words are other things' elsewhere (a claim's 待审核, a column's 提交时间).
    PENDING = "pending", pgettext_lazy("outbox status", "Pending")
    SENDING = "sending", pgettext_lazy("outbox status", "Sending")
    SENT = "sent", pgettext_lazy("outbox status", "Sent")
    FAILED = "failed", pgettext_lazy("outbox status", "Failed")


class OutboxMessage(models.Model):
    """One message to leave the system (SMS, email, webhook), written in the same transaction as the change
    that caused it and delivered after the commit, retried with exponential backoff."""

    channel = models.CharField(_("channel"), max_length=8, choices=OutboxChannel.choices)
    recipient = models.CharField(_("recipient"), max_length=500)
    payload = models.JSONField(_("payload"), default=dict)
    status = models.CharField(
        _("status"), max_length=8, choices=OutboxStatus.choices, default=OutboxStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt at"))
    claimed_until = models.DateTimeField(null=True, blank=True, editable=False)
    last_error = models.TextField(_("last error"), blank=True, default="")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("outbox message")
        verbose_name_plural = _("outbox")
        ordering = ["-id"]
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                condition=models.Q(status__in=["pending", "sending"]),
                name="outbox_due_idx",
            )
        ]

    def __str__(self) -> str:
        return gettext("%(channel)s → %(recipient)s (%(status)s)") % {
            "channel": self.get_channel_display(),
            "recipient": self.recipient_masked(),
            "status": self.get_status_display(),
        }

    def recipient_masked(self) -> str:
        """The recipient as lists show it: a phone number masked, an address (email, webhook) as it is."""
        value = self.recipient
        return mask_phone(value) if value.replace("-", "").isdigit() else value


class Notification(models.Model):
    """One entry of a user's in-app inbox."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("user"),
    )
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("body"), blank=True, default="")
    url = models.CharField(_("link"), max_length=300, blank=True, default="")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("inbox")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "read_at", "-created_at"], name="inbox_user_idx")]

    def __str__(self) -> str:
        return self.title


class CalendarOverride(models.Model):
    """One day whose working status the administrator sets by hand: a holiday or make-up working day the
    calendar package does not know yet (the State Council publishes next year's calendar each winter)."""

    day = models.DateField(_("day"), unique=True)
    is_workday = models.BooleanField(_("working day"))
    name = models.CharField(_("name"), max_length=60, help_text=_("For example 春节 or 春节调休上班."))
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("calendar day")
        verbose_name_plural = _("working-day calendar")
        ordering = ["day"]

    def __str__(self) -> str:
        return f"{self.day:%Y-%m-%d} {self.name}"


class SnapshotVersion(models.Model):
    """The version of one kind of data that processes keep a copy of (linli.core.snapshots): a service that changes
    the data increments it in the same transaction, and every process rebuilds its copy when it sees it move."""

    name = models.CharField(_("name"), max_length=40, primary_key=True)
    version = models.PositiveBigIntegerField(_("version"), default=0)
    changed_at = models.DateTimeField(_("changed at"))

    class Meta:
        verbose_name = _("snapshot version")
        verbose_name_plural = _("snapshot versions")

    def __str__(self) -> str:
        return f"{self.name} v{self.version}"
