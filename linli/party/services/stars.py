"""Branch stars (星级党支部): a branch's indicators read for a year, weighted into a score out of 100, turned into
one to five stars (none below the lowest step) and kept with the evidence; the branch assesses itself (自评:
the stars it claims and why), and the street approves with the stars it grants or returns it to the branch.
The street approves only a self-assessment: a branch that has not assessed itself is reminded (提醒自评), not
rated over its head.

    computed → submitted (the branch's secretary) → approved (the street) | returned (the street, with a reason)
    returned → submitted again                     computed / returned: the street reminds the branch
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from linli.core.audit import audit_record
from linli.core.errors import InvalidTransition, invalid
from linli.core.outbox import notification_after_commit, sms_enqueue

from .. import indicators, permissions, selectors
from ..choices import MEMBER_POINTS_DEFAULTS, PartyOrgKind, StarState
from ..models import BranchStarRating, MemberPointsRule, PartyOrg, StarIndicatorWeight
from ._common import Actor, audit, person, seen, text, transition
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


# The one table of the rating's states. The street approves or returns only a self-assessment the branch
# submitted (自查自评 first, then 街道审定); a branch that has not assessed itself is reminded. Computing again
# keeps the state (the branch's claim stays beside the new figures).
STAR_TRANSITIONS: dict[str, set[str]] = {
    StarState.COMPUTED: {StarState.SUBMITTED},
    StarState.SUBMITTED: {StarState.APPROVED, StarState.RETURNED},
    StarState.RETURNED: {StarState.SUBMITTED},
    StarState.APPROVED: set(),
}


def _refused(current: str, to: str) -> InvalidTransition:
    """Why a rating in state `current` cannot go to `to`, in the words of the person trying."""
    if current == StarState.APPROVED:
        return InvalidTransition(_("The street has approved this rating; it can no longer be changed."))
    if to == StarState.SUBMITTED:  # from submitted
        return InvalidTransition(_("The self-assessment is with the street; wait for its review."))
    if current == StarState.COMPUTED and to == StarState.APPROVED:
        return InvalidTransition(
            _(
                "The branch has not assessed itself yet; the street approves only a submitted self-assessment. "
                "Remind the branch to assess itself first."
            )
        )
    if current == StarState.RETURNED:
        return InvalidTransition(
            _(
                "The self-assessment is back with the branch; the street reviews it when it is submitted again."
            )
        )
    return InvalidTransition(_("Only a submitted self-assessment can be returned."))


def _transition(
    *, actor: Actor, rating: BranchStarRating, to: str, action: str, reason: str = "", **changes: Any
) -> BranchStarRating:
    """Move `rating` to `to` by `STAR_TRANSITIONS` (`_common.transition`), with one audit row (from, to, why)."""
    locked, current = transition(
        rating, field="state", to=to, table=STAR_TRANSITIONS, refused=_refused, **changes
    )
    audit(
        actor,
        f"party.branch_stars_{action}",
        locked.branch,
        year=locked.year,
        rating=locked.pk,
        reason=reason,
        stars=locked.stars,
        **{"from": current, "to": to},
    )
    return locked


def _stars_value(field: str, value: object, message: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 5:
        raise invalid(field, message)
    return value


@transaction.atomic
def branch_stars_compute(*, actor: Actor, branch: PartyOrg, year: int) -> BranchStarRating:
    """Compute (or compute again, before approval) a branch's rating for a year from the records. The branch's
    secretary computes it before assessing the branch; a self-assessment already made or returned stays, beside
    the new figures."""
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
    stars = stars_for(score)
    values = {
        "score": score,
        "computed_stars": stars,
        "stars": stars,
        "indicators": lines,
        "computed_at": timezone.now(),
    }
    if existing is None:
        rating = BranchStarRating.objects.create(branch=branch, year=year, state=StarState.COMPUTED, **values)
    else:
        for field, value in values.items():
            setattr(existing, field, value)
        existing.save(update_fields=[*values, "updated_at"])
        rating = existing
    audit(actor, "party.branch_stars_compute", branch, year=year, score=str(score), stars=rating.stars)
    return rating


@transaction.atomic
def branch_stars_submit(
    *,
    actor: Actor,
    rating: BranchStarRating,
    claimed_stars: int,
    statement: str,
    notes: dict[str, str] | None = None,
) -> BranchStarRating:
    """The branch's self-assessment (自评), by its secretary or deputy: the stars it claims, a short statement
    of why, and for any indicator a note or the evidence the records miss. Submitted again after the street
    returns it."""
    rating = seen(actor, selectors.star_ratings_in_reach(actor), rating, "rating")
    permissions.require_for(actor, "stars_submit", rating.branch)
    claimed = _stars_value(
        "claimed_stars", claimed_stars, _("Choose the stars the branch claims: none, or one to five.")
    )
    statement = text(
        "statement",
        statement,
        limit=300,
        required=True,
        message=_("Say in a few words why the branch claims these stars (at most 300 characters)."),
    )
    codes = {line["code"]: line["label"] for line in rating.indicators}
    unknown = set(notes or {}) - set(codes)
    if unknown:
        raise invalid("notes", _("Unknown indicator: %(c)s") % {"c": "、".join(sorted(unknown))})
    kept: dict[str, str] = {}
    for code, note in (notes or {}).items():
        note = text(
            f"note_{code}",
            note,
            limit=300,
            message=_("The note on %(indicator)s is longer than 300 characters.")
            % {"indicator": codes[code]},
        )
        if note:
            kept[code] = note
    return _transition(
        actor=actor,
        rating=rating,
        to=StarState.SUBMITTED,
        action="submit",
        reason=statement,
        claimed_stars=claimed,
        claim_statement=statement,
        claim_notes=kept,
        submitted_by=person(actor),
        submitted_at=timezone.now(),
    )


@transaction.atomic
def branch_stars_approve(
    *, actor: Actor, rating: BranchStarRating, stars: int | None = None, note: str = ""
) -> BranchStarRating:
    """The street reviews the evidence and the branch's self-assessment and approves the rating with the stars
    it grants (by default those claimed); granting other stars than the branch claimed needs a note saying why.
    Only a submitted self-assessment is approved: a rating still computed is refused (remind the branch)."""
    rating = seen(actor, selectors.star_ratings_visible_to(actor), rating, "rating")
    permissions.require(actor, "stars_approve", rating.branch.org_node.path)
    # The claim as it stands now (locked; `_transition` locks the same row again): not a copy read before a resubmit.
    rating = BranchStarRating.objects.select_for_update().get(pk=rating.pk)
    if StarState.APPROVED not in STAR_TRANSITIONS[rating.state]:
        raise _refused(rating.state, StarState.APPROVED)  # before the stars and the note: the state says why
    asked = rating.claimed_stars if rating.claimed_stars is not None else rating.computed_stars
    granted = asked if stars is None else _stars_value("stars", stars, _("Grant none, or one to five stars."))
    note = text("note", note, limit=200, message=_("Keep the review note to 200 characters."))
    if granted != asked and not note:
        raise invalid(
            "note",
            _(
                "Say in the review note why the street grants %(granted)d stars where %(asked)d were asked for."
            )
            % {"granted": granted, "asked": asked},
        )
    return _transition(
        actor=actor,
        rating=rating,
        to=StarState.APPROVED,
        action="approve",
        reason=note,
        stars=granted,
        approved_by=person(actor),
        approved_at=timezone.now(),
        review_note=note,
    )


@transaction.atomic
def branch_stars_return(*, actor: Actor, rating: BranchStarRating, reason: str) -> BranchStarRating:
    """The street sends a self-assessment back to the branch (退回修改) with what to change; the branch's
    secretary assesses it again and submits it."""
    rating = seen(actor, selectors.star_ratings_visible_to(actor), rating, "rating")
    permissions.require(actor, "stars_return", rating.branch.org_node.path)
    reason = text(
        "reason",
        reason,
        limit=200,
        required=True,
        message=_("Tell the branch what to change before it submits again (at most 200 characters)."),
    )
    return _transition(
        actor=actor,
        rating=rating,
        to=StarState.RETURNED,
        action="return",
        reason=reason,
        return_reason=reason,
        returned_at=timezone.now(),
    )


# The street reminds a branch at most once a day: a second reminder the same day only repeats the first.
REMIND_EVERY = dt.timedelta(hours=20)


def _reminder(rating: BranchStarRating) -> tuple[str, str]:
    """The reminder's title and text: what waits for the branch."""
    if rating.state == StarState.RETURNED:
        body = _(
            "The street returned the branch's self-assessment of %(year)d. What to change: %(reason)s"
        ) % {"year": rating.year, "reason": rating.return_reason}
    else:
        body = _(
            "The branch's star rating of %(year)d is computed. Assess the branch (the stars it claims and why) "
            "and submit it to the street for review."
        ) % {"year": rating.year}
    title = _("Reminder from the street: %(branch)s's self-assessment") % {"branch": rating.branch.name}
    return title, body


@transaction.atomic
def branch_stars_remind(*, actor: Actor, rating: BranchStarRating) -> BranchStarRating:
    """The street reminds a branch whose rating waits for it (computed and not assessed, or returned) to assess
    itself: an inbox entry for each account that leads the branch (opening the self-assessment form) and a text message to the
    secretary's and deputies' mobile numbers, both after the commit. Counted on the rating with the time."""
    rating = seen(actor, selectors.star_ratings_visible_to(actor), rating, "rating")
    permissions.require(actor, "stars_remind", rating.branch.org_node.path)
    locked = BranchStarRating.objects.select_for_update().select_related("branch").get(pk=rating.pk)
    if StarState.SUBMITTED not in STAR_TRANSITIONS[locked.state]:
        if locked.state == StarState.APPROVED:
            raise InvalidTransition(_("The street has approved this rating; there is nothing to remind."))
        raise InvalidTransition(_("The branch has submitted its self-assessment; review it instead."))
    now = timezone.now()
    if locked.reminded_at is not None and now - locked.reminded_at < REMIND_EVERY:
        raise InvalidTransition(
            _(
                "The branch was reminded at %(time)s; remind it again tomorrow if it still has not assessed itself."
            )
            % {"time": timezone.localtime(locked.reminded_at).strftime("%m-%d %H:%M")}
        )
    leaders = list(selectors.branch_leaders(locked.branch))
    if not leaders:
        raise InvalidTransition(
            _("The branch has no secretary or deputy secretary to remind; name one on its members first.")
        )
    accounts = selectors.leader_accounts(locked.branch)
    changed = BranchStarRating.objects.filter(pk=locked.pk, reminded_at=locked.reminded_at).update(
        reminders=F("reminders") + 1, reminded_at=now, updated_at=now
    )
    if changed != 1:
        raise InvalidTransition()
    locked.refresh_from_db()
    branch = locked.branch
    with translation.override(settings.LANGUAGE_CODE):  # the deployment's language, whoever sends it
        title, body = _reminder(locked)
    url = f"{reverse('party:branch_star_assess', args=[branch.pk])}?year={locked.year}"  # the form itself
    phones = sorted({m.phone for m in leaders if m.phone})
    for account in accounts:
        notification_after_commit(user=account, title=title, body=body, url=url)
    for phone in phones:
        sms_enqueue(phone=phone, text=f"【{title}】{body}", about=f"party.stars_remind:{locked.pk}")
    audit(
        actor,
        "party.branch_stars_remind",
        branch,
        year=locked.year,
        rating=locked.pk,
        state=locked.state,
        reminders=locked.reminders,
        accounts=len(accounts),
        texts=len(phones),
    )
    return locked


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
