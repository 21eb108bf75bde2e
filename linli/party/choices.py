from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class PartyOrgKind(models.TextChoices):
    COMMITTEE = "committee", _("Party committee")
    GENERAL_BRANCH = "general_branch", _("General branch")
    BRANCH = "branch", _("Branch")
    GROUP = "group", _("Party group")


class RegistrationStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    ACTIVE = "active", _("Active")
    ENDED = "ended", _("Ended")


class Specialty(models.TextChoices):
    LEGAL = "legal", _("Legal advice")
    MEDICAL = "medical", _("Medical care")
    EDUCATION = "education", _("Education and tutoring")
    ENGINEERING = "engineering", _("Engineering and repairs")
    PSYCHOLOGY = "psychology", _("Counselling")
    CULTURE = "culture", _("Culture and sports")
    IT = "it", _("IT and digital help")
    FINANCE = "finance", _("Finance and accounting")
    OTHER = "other", _("Other")
