from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from linli.core.choices import ColouredChoices


class ClaimStatus(ColouredChoices):
    PENDING = "pending", "#d9a400", _("Awaiting verification")
    APPROVED = "approved", "#2e9d5b", _("Verified")
    REJECTED = "rejected", "#d23c3c", _("Rejected")


# The single table of allowed claim transitions.
CLAIM_TRANSITIONS = {
    ClaimStatus.PENDING: {ClaimStatus.APPROVED, ClaimStatus.REJECTED},
    ClaimStatus.APPROVED: set(),
    ClaimStatus.REJECTED: set(),
}
