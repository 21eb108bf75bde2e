"""What a resident adds around appeals: following one (关注, "this is my problem too"), voice messages, and the
intake counters that limit guest submissions across every web process."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .appeal import Appeal


class AppealFollower(models.Model):
    """A signed-in resident follows an appeal that is not theirs: they hear of its progress like its own
    resident (inbox and SMS to the number they proved at sign-in)."""

    appeal = models.ForeignKey(
        Appeal, on_delete=models.CASCADE, related_name="followers", verbose_name=_("appeal")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="followed_appeals",
        verbose_name=_("user"),
    )
    created_at = models.DateTimeField(_("since"))

    class Meta:
        verbose_name = _("follower")
        verbose_name_plural = _("followers")
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["appeal", "user"], name="uniq_appeal_follower")]

    def __str__(self) -> str:
        return f"{self.appeal_id} ← {self.user_id}"


def _voice_path(instance: AppealVoice, filename: str) -> str:
    return f"appeals/{instance.appeal_id}/voice/{filename}"


class AppealVoice(models.Model):
    """A voice message recorded in the browser, at reporting or afterwards; handlers play it on the appeal."""

    appeal = models.ForeignKey(
        Appeal, on_delete=models.CASCADE, related_name="voices", verbose_name=_("appeal")
    )
    audio = models.FileField(_("voice message"), upload_to=_voice_path)
    content_type = models.CharField(_("content type"), max_length=40)
    size = models.PositiveIntegerField(_("size"), default=0)
    seconds = models.PositiveSmallIntegerField(_("length in seconds"), default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    created_at = models.DateTimeField(_("recorded at"))

    class Meta:
        verbose_name = _("voice message")
        verbose_name_plural = _("voice messages")
        ordering = ["id"]

    def __str__(self) -> str:
        return str(self.audio.name or "")


class IntakeCounter(models.Model):
    """Guest submissions per key (a phone number or a network address) in one window: a row per key and window
    in the database, so the limit holds whatever number of web processes serve the requests."""

    key = models.CharField(_("key"), max_length=80)
    window_start = models.DateTimeField(_("window start"))
    count = models.PositiveIntegerField(_("count"), default=0)

    class Meta:
        verbose_name = _("intake counter")
        verbose_name_plural = _("intake counters")
        constraints = [models.UniqueConstraint(fields=["key", "window_start"], name="uniq_intake_counter")]

    def __str__(self) -> str:
        return f"{self.key} @ {self.window_start:%Y-%m-%d %H:%M}: {self.count}"
