"""三色码 rules: which level a resident's circumstances propose, how often each level is visited and called, and
when a level is looked at again. A worker confirms the level with a reason (services.care_plan_confirm).

The frequencies are the setting `LINLI_CARE_FREQUENCY` (a dict of level → visit and call intervals in days, None
for none; red by default a visit a week and a call every other day). How long a confirmed level holds before it is
assessed again is `LINLI_CARE_REASSESS_DAYS` (level → days; red every 3 months, yellow 6, green 12 by default), and
the time a volunteer's visit or call counts in the time bank (when they do not say) `LINLI_CARE_CONTACT_MINUTES`
(kind → minutes). All three are read once at start from the environment, their defaults written only in
settings.py."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _

from linli.territory.choices import CareLevel, ResidentTag
from linli.territory.models import Resident

# The levels a care plan is kept at (visited and called by `frequency`): every level but none.
LEVELS: tuple[str, ...] = (CareLevel.RED, CareLevel.YELLOW, CareLevel.GREEN)


def frequency(level: str) -> dict[str, int | None]:
    return dict(settings.LINLI_CARE_FREQUENCY[level])


def reassess_after(level: str) -> int:
    """How many days a confirmed level holds before it is assessed again."""
    return int(settings.LINLI_CARE_REASSESS_DAYS[level])


def reassess_on(level: str, day: dt.date) -> dt.date:
    return day + dt.timedelta(days=reassess_after(level))


def contact_minutes(kind: str) -> int:
    """The time a visit or call counts in the time bank when the visitor does not say how long it took."""
    return int(settings.LINLI_CARE_CONTACT_MINUTES[kind])


@dataclass(frozen=True)
class Proposal:
    level: str
    score: int
    reasons: list[str]


def age_on(birth: dt.date, day: dt.date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def propose_level(
    resident: Resident, *, today: dt.date, ill: bool = False, no_family_support: bool = False
) -> Proposal:
    """Score the circumstances (age, living alone, disability, illness, family support, low income): 4 or more
    proposes red, 2 or 3 yellow, less green."""
    score = 0
    reasons: list[str] = []
    tags = set(resident.tag_list)
    age = age_on(resident.birth_date, today)
    if age >= 80:
        score += 2
        reasons.append(_("aged %(n)d") % {"n": age})
    elif age >= 70:
        score += 1
        reasons.append(_("aged %(n)d") % {"n": age})
    if ResidentTag.ELDERLY_ALONE in tags:
        score += 2
        reasons.append(_("lives alone"))
    if ResidentTag.DISABLED in tags:
        score += 2
        reasons.append(_("disabled"))
    if ill:
        score += 1
        reasons.append(_("chronic or serious illness"))
    if no_family_support:
        score += 1
        reasons.append(_("no family support"))
    if ResidentTag.LOW_INCOME in tags:
        score += 1
        reasons.append(_("low income"))
    level = CareLevel.RED if score >= 4 else CareLevel.YELLOW if score >= 2 else CareLevel.GREEN
    return Proposal(level=str(level), score=score, reasons=reasons)


@dataclass(frozen=True)
class Eligibility:
    eligible: bool
    reason: str


# 法律援助法 art. 32: these matters are aided whatever the applicant's means.
ANY_MEANS_MATTERS = frozenset({"violence"})
# Art. 31: these matters are aided when the applicant is in financial hardship.
HARDSHIP_MATTERS = frozenset({"wages", "support", "injury", "welfare", "consumer"})


def legal_aid_eligibility(matter: str, *, low_income: bool) -> Eligibility:
    """Whether a legal-aid application may be granted: its matter, and the applicant's means where they count."""
    if matter in ANY_MEANS_MATTERS:
        return Eligibility(True, _("Eligible whatever the means (Legal Aid Law art. 32)."))
    if matter in HARDSHIP_MATTERS:
        if low_income:
            return Eligibility(True, _("Eligible: a matter of art. 31 and the applicant is in hardship."))
        return Eligibility(False, _("A matter of art. 31, but legal aid needs proof of financial hardship."))
    return Eligibility(False, _("Not a matter legal aid covers; refer to the community's legal adviser."))
