"""Idempotency-Keys of submissions over the API (IETF draft "The Idempotency-Key HTTP Header Field")."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

KEY_MAX = 255


class IdempotencyRecord(models.Model):
    """One Idempotency-Key: written (and committed) before the appeal is, with the fingerprint of the request, so a
    retry of the same request while the first is in flight is told so (409), a different request under the same key
    is refused (422), and one the first finished gets its appeal again (200). `appeal` is set when it is done."""

    key = models.CharField(_("key"), max_length=KEY_MAX, unique=True)
    fingerprint = models.CharField(_("fingerprint"), max_length=64)
    started_at = models.DateTimeField(_("started at"))
    appeal = models.ForeignKey(
        "appeals.Appeal",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("appeal"),
    )

    class Meta:
        verbose_name = _("idempotency key")
        verbose_name_plural = _("idempotency keys")

    def __str__(self) -> str:
        return self.key
