"""网格吹哨: a grid worker asks their community to summon departments for an appeal they handle."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..choices import WhistleRequestStatus
from .appeal import Appeal


class WhistleRequest(models.Model):
    """A grid worker's whistle request: the community summons departments from it, or declines with a reason."""

    appeal = models.ForeignKey(
        Appeal, on_delete=models.CASCADE, related_name="whistle_requests", verbose_name=_("appeal")
    )
    community = models.ForeignKey(
        "territory.OrgNode", on_delete=models.PROTECT, related_name="+", verbose_name=_("community")
    )
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("by")
    )
    raised_at = models.DateTimeField(_("raised at"))
    reason = models.TextField(_("reason"), max_length=2000)
    status = models.CharField(
        _("status"), max_length=12, choices=WhistleRequestStatus.choices, default=WhistleRequestStatus.OPEN
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.TextField(_("decision note"), max_length=1000, blank=True)

    class Meta:
        verbose_name = _("whistle request")
        verbose_name_plural = _("whistle requests")
        ordering = ["-raised_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["appeal"], condition=models.Q(status="open"), name="one_open_whistle_request"
            )
        ]
        indexes = [models.Index(fields=["community", "status"])]

    def __str__(self) -> str:
        return f"{self.appeal_id} → {self.community_id} ({self.status})"
