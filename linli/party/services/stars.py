"""Branch stars (星级党支部): a branch's indicators read for a year, weighted into a score out of 100, turned into
one to five stars (none below the lowest step), kept with the evidence, and approved by the street."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from linli.core.audit import audit_record
from linli.core.errors import InvalidTransition
from linli.territory.services import invalid

from .. import indicators, permissions, selectors
from ..choices import MEMBER_POINTS_DEFAULTS, PartyOrgKind, StarState
from ..models import BranchStarRating, MemberPointsRule, PartyOrg, StarIndicatorWeight
from ._common import Actor, audit, person, seen, text
from .points import member_points_per_unit

# The lowest score of each number of stars, highest first; below 50 a branch has no star.
STAR_STEPS = ((90, 5), (80, 4), (70, 3), (60, 2), (50, 1))


def stars_for(score: Decimal) -> int:
    for lowest, stars in STAR_STEPS:
        if score >= lowest:
            return stars
    return 0


def indicator_weights() -> dict[str, int]:
    weights = {i.code: i.weight for i in indicators.registered()}
    weights.update(
        dict(StarIndicatorWeight.objects.filter(code__in=list(weights)).values_list("code", "weight"))
    )
    return weights


def branch_score(branch: PartyOrg, year: int) -> tuple[Decimal, list[dict[str, object]]]:
    """The weighted score (0–100) and each indicator's line: code, label, weight, value (percent), evidence."""
    weights = indicator_weights()
    lines: list[dict[str, object]] = []
    total_weight = 0
    weighted = 0.0
    for indicator in indicators.registered():
        weight = weights[indicator.code]
        reading = indicator.read(branch, year)
        value = max(0.0, min(1.0, reading.value))
        total_weight += weight
        weighted += weight * value
        lines.append(
            {
                "code": indicator.code,
                "label": str(indicator.label),
                "weight": weight,
                "value": round(value * 100, 1),
                "evidence": [str(e) for e in reading.evidence],
            }
        )
    score = Decimal(weighted * 100 / total_weight if total_weight else 0).quantize(Decimal("0.1"))
    return score, lines


@transaction.atomic
def branch_stars_compute(*, actor: Actor, branch: PartyOrg, year: int) -> BranchStarRating:
    """Compute (or compute again, before approval) a branch's rating for a year. The branch's own secretary may
    compute it too: that is the branch's self-assessment, read from the same records; the street approves."""
    branch = seen(actor, selectors.party_orgs_in_reach(actor), branch, "branch")
    permissions.require_for(actor, "stars_compute", branch)
    if branch.kind not in (PartyOrgKind.BRANCH, PartyOrgKind.GENERAL_BRANCH):
        raise invalid("branch", _("Stars are given to branches."))
    if not 2000 <= year <= timezone.localdate().year:
        raise invalid("year", _("Choose a year that has begun."))
    existing = BranchStarRating.objects.select_for_update().filter(branch=branch, year=year).first()
    if existing is not None and existing.state == StarState.APPROVED:
        raise InvalidTransition(_("The street has approved this rating; it is no longer computed again."))
    score, lines = branch_score(branch, year)
    values = {
        "score": score,
        "stars": stars_for(score),
        "indicators": lines,
        "computed_at": timezone.now(),
        "state": StarState.COMPUTED,
    }
    if existing is None:
        rating = BranchStarRating.objects.create(branch=branch, year=year, **values)
    else:
        for field, value in values.items():
            setattr(existing, field, value)
        existing.save(update_fields=[*values, "updated_at"])
        rating = existing
    audit(actor, "party.branch_stars_compute", branch, year=year, score=str(score), stars=rating.stars)
    return rating


@transaction.atomic
def branch_stars_approve(*, actor: Actor, rating: BranchStarRating, note: str = "") -> BranchStarRating:
    """The street reviews the evidence and approves the rating (compare-and-swap from computed)."""
    rating = seen(actor, selectors.star_ratings_visible_to(actor), rating, "rating")
    permissions.require(actor, "stars_approve", rating.branch.org_node.path)
    note = text("note", note, limit=200)
    now = timezone.now()
    changed = BranchStarRating.objects.filter(pk=rating.pk, state=StarState.COMPUTED).update(
        state=StarState.APPROVED, approved_by=person(actor), approved_at=now, review_note=note, updated_at=now
    )
    if changed != 1:
        raise InvalidTransition(_("This rating has been approved already."))
    rating.refresh_from_db()
    audit(actor, "party.branch_stars_approve", rating.branch, year=rating.year, stars=rating.stars)
    return rating


@transaction.atomic
def star_rules_set(
    *, actor: Actor, weights: dict[str, int], member_points: dict[str, int]
) -> tuple[dict[str, int], dict[str, int]]:
    """Set the weights of the star indicators and the member points per unit of each kind. They apply everywhere
    (every branch is rated by one yardstick), so only an administrator sets them; a rating already computed keeps
    its score until it is computed again (an approved one never changes)."""
    permissions.require(actor, "rules_set", "/")
    codes = {i.code for i in indicators.registered()}
    unknown = set(weights) - codes
    if unknown:
        raise invalid("weights", _("Unknown indicator: %(c)s") % {"c": "、".join(sorted(unknown))})
    for code, weight in weights.items():
        if not isinstance(weight, int) or not 0 <= weight <= 100:
            raise invalid(f"weight_{code}", _("A weight is a whole number from 0 to 100."))
    current = indicator_weights()
    if sum({**current, **weights}.values()) == 0:
        raise invalid("weights", _("At least one indicator must weigh something."))
    kinds = set(MEMBER_POINTS_DEFAULTS)
    unknown = set(member_points) - kinds
    if unknown:
        raise invalid("member_points", _("Unknown kind of member points."))
    for kind, points in member_points.items():
        if not isinstance(points, int) or not 0 <= points <= 100:
            raise invalid(f"points_{kind}", _("Points per unit are a whole number from 0 to 100."))
    for code, weight in weights.items():
        StarIndicatorWeight.objects.update_or_create(code=code, defaults={"weight": weight})
    for kind, points in member_points.items():
        MemberPointsRule.objects.update_or_create(kind=kind, defaults={"points": points})
    audit_record(
        actor=actor,
        action="party.star_rules_set",
        object_type="party.rules",
        object_id="stars",
        detail={"weights": weights, "member_points": member_points},
    )
    return indicator_weights(), {k: member_points_per_unit(k) for k in MEMBER_POINTS_DEFAULTS}
