from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ClaimStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting verification")
    APPROVED = "approved", _("Verified")
    REJECTED = "rejected", _("Rejected")


CLAIM_STATUS_COLOURS = {"pending": "#d9a400", "approved": "#2e9d5b", "rejected": "#d23c3c"}
# The single table of allowed claim transitions.
CLAIM_TRANSITIONS = {
    ClaimStatus.PENDING: {ClaimStatus.APPROVED, ClaimStatus.REJECTED},
    ClaimStatus.APPROVED: set(),
    ClaimStatus.REJECTED: set(),
}
