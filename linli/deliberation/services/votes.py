"""Votes of the hall: one ballot per verified household (or, if the vote says so, per verified resident); an owners' decision counted by owners and floor area
(Civil Code art. 278, see owners.py); paper ballots recorded on the doorstep with a photo of the signed form."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Count, Q, Sum
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from linli.accounts.models import User
from linli.core.errors import Conflict, DomainError, InvalidTransition, PermissionDenied
from linli.core.photos import photo_to_store
from linli.territory.models import Household, OrgNode
from linli.territory.selectors import households_visible_to

from .. import permissions, selectors
from ..choices import OwnersChoice, OwnersMatter, VoteMethod, VoteStatus, VoteVoter
from ..models import Ballot, BallotMark, Topic, Vote, VoteOption
from ._common import Actor, invalid, person, text

MARKED = (VoteMethod.RANKING, VoteMethod.SCORE)  # ballots that mark every option (BallotMark rows)
MAX_MARKED_OPTIONS = 10
MAX_SCORE = 10


def vote_create(
    *,
    actor: Actor,
    node: OrgNode,
    title: str,
    method: str,
    closes_at: dt.datetime,
    options: list[str] | None = None,
    description: str = "",
    matter: str = OwnersMatter.ORDINARY,
    anonymous: bool = False,
    results_hidden: bool = False,
    quorum: int = 0,
    topic: Topic | None = None,
    max_score: int = 5,
    voter: str = VoteVoter.HOUSEHOLD,
) -> Vote:
    """Open a vote in a community or compound. An owners' vote counts the area's households and their floor
    areas as it opens (every household needs one in the register) and offers agree / disagree / abstain.
    `voter`: one ballot per household (the default) or per verified resident; an owners' vote is per household."""
    if actor is not None and not selectors.communities_for(actor).filter(pk=node.pk).exists():
        raise invalid("node", _("Choose a community or compound of your area."))
    permissions.require(actor, "vote_manage", node.path)
    if method not in VoteMethod.values:
        raise invalid("method", _("Choose how the vote is counted."))
    if matter not in OwnersMatter.values:
        raise invalid("matter", _("Choose the kind of matter."))
    if closes_at <= timezone.now():
        raise invalid("closes_at", _("The vote must close in the future."))
    if voter not in VoteVoter.values:
        raise invalid("voter", _("Choose who votes: each household or each resident."))
    if method == VoteMethod.OWNERS and voter == VoteVoter.RESIDENT:
        raise invalid(
            "voter",
            _(
                "An owners' decision (Civil Code art. 278) counts owners, one ballot per household: it cannot be "
                "voted per resident."
            ),
        )
    if quorum < 0:
        raise invalid("quorum", _("The quorum cannot be negative."))
    if method == VoteMethod.SCORE and not 1 <= max_score <= MAX_SCORE:
        raise invalid("max_score", _("The highest score is between 1 and %(max)d.") % {"max": MAX_SCORE})
    if method == VoteMethod.OWNERS:
        with translation.override(
            settings.LANGUAGE_CODE
        ):  # stored in the deployment's language, whoever opens it
            labels = [(str(OwnersChoice(key).label), key) for key in OwnersChoice.values]
        households = selectors.households_of(node)
        figures = households.aggregate(
            n=Count("id"),
            missing=Count("id", filter=Q(floor_area__isnull=True) | Q(floor_area__lte=0)),
            area=Sum("floor_area"),
        )
        if not figures["n"]:
            raise invalid("node", _("This area has no households in the register."))
        if figures["missing"]:
            raise invalid(
                "node",
                _("%(n)d households of this area have no floor area in the register; fill them in first.")
                % {"n": figures["missing"]},
            )
        base_households, base_area = figures["n"], figures["area"] or Decimal(0)
    else:
        cleaned = [o.strip() for o in options or [] if o and o.strip()]
        if len(cleaned) < 2:
            raise invalid("options", _("Give at least two options."))
        if len(set(cleaned)) != len(cleaned):
            raise invalid("options", _("Two options are the same."))
        if any(len(o) > 80 for o in cleaned):
            raise invalid("options", _("An option has at most 80 characters."))
        if method in MARKED and len(cleaned) > MAX_MARKED_OPTIONS:
            raise invalid(
                "options",
                _("A ranking or score vote has at most %(n)d options.") % {"n": MAX_MARKED_OPTIONS},
            )
        labels = [(o, "") for o in cleaned]
        base_households, base_area = selectors.households_of(node).count(), Decimal(0)
    base_residents = selectors.residents_of(node).count() if voter == VoteVoter.RESIDENT else 0
    if voter == VoteVoter.RESIDENT and quorum > base_residents:
        raise invalid(
            "quorum",
            _("The quorum cannot exceed the %(n)d verified residents of this area.") % {"n": base_residents},
        )
    if voter != VoteVoter.RESIDENT and quorum > base_households:
        raise invalid(
            "quorum",
            _("The quorum cannot exceed the %(n)d households of this area.") % {"n": base_households},
        )
    with transaction.atomic():
        vote = Vote.objects.create(
            node=node,
            topic=topic,
            title=text("title", title, limit=120),
            description=text("description", description, limit=2000, required=False),
            method=method,
            matter=matter if method == VoteMethod.OWNERS else OwnersMatter.ORDINARY,
            anonymous=anonymous,
            results_hidden=results_hidden,
            quorum=quorum,
            max_score=max_score if method == VoteMethod.SCORE else 5,
            closes_at=closes_at,
            base_households=base_households,
            base_area=base_area,
            voter=voter,
            base_residents=base_residents,
            created_by=person(actor),
        )
        VoteOption.objects.bulk_create(
            VoteOption(vote=vote, label=label, key=key, position=i) for i, (label, key) in enumerate(labels)
        )
    return vote


def _marks(vote: Vote, marks: dict[int, int] | None) -> dict[VoteOption, int]:
    """A ranking ballot places every option once (1 = first); a score ballot scores every option 0 … max."""
    options = list(vote.options.all())
    marks = {int(k): v for k, v in (marks or {}).items()}
    unknown = set(marks) - {o.pk for o in options}
    if unknown:
        raise invalid("marks", _("That option is not one of this vote's."))
    missing = [o.label for o in options if o.pk not in marks]
    if (
        missing
    ):  # a partial ranking or scoring is refused: Borda points are only fair when every option is placed
        if vote.method == VoteMethod.RANKING:
            raise invalid(
                "marks",
                _("Give every option a place: %(missing)s has no place yet. Nothing was counted.")
                % {"missing": "、".join(missing)},
            )
        raise invalid(
            "marks",
            _("Give every option a score: %(missing)s has no score yet. Nothing was counted.")
            % {"missing": "、".join(missing)},
        )
    if vote.method == VoteMethod.RANKING:
        if sorted(marks.values()) != list(range(1, len(options) + 1)):
            raise invalid(
                "marks",
                _("Give each option a different place, from 1 to %(n)d.") % {"n": len(options)},
            )
    elif any(not 0 <= v <= vote.max_score for v in marks.values()):
        raise invalid("marks", _("A score is between 0 and %(max)d.") % {"max": vote.max_score})
    return {o: marks[o.pk] for o in options}


def _choices(vote: Vote, option_ids: list[int]) -> list[VoteOption]:
    chosen = list(vote.options.filter(pk__in=set(option_ids)))
    if not option_ids and vote.method == VoteMethod.MULTIPLE:
        raise invalid("option_ids", _("Tick at least one option."))
    if not chosen or len(chosen) != len(set(option_ids)):
        raise invalid("option_ids", _("Choose an option."))
    if vote.method != VoteMethod.MULTIPLE and len(chosen) != 1:
        raise invalid("option_ids", _("Choose exactly one option."))
    return chosen


def _check_open(vote: Vote) -> None:
    if vote.status != VoteStatus.OPEN or vote.closes_at <= timezone.now():
        raise InvalidTransition(_("This vote has closed."))


type Choice = tuple[list[VoteOption], dict[VoteOption, int]]


def _what(vote: Vote, option_ids: list[int] | None, marks: dict[int, int] | None) -> Choice:
    """What a ballot says: options chosen, or (ranking, score) a place or score for every option."""
    if vote.method in MARKED:
        return [], _marks(vote, marks)
    return _choices(vote, option_ids or []), {}


def _cast(vote: Vote, household: Household, what: Choice, **fields: object) -> Ballot:
    if not selectors.household_in(household, vote.node):
        raise PermissionDenied(_("This vote is for another area."))
    chosen, marks = what
    try:
        with transaction.atomic():
            ballot = Ballot.objects.create(
                vote=vote, household=household, floor_area=household.floor_area or Decimal(0), **fields
            )
            ballot.choices.set(chosen)
            BallotMark.objects.bulk_create(
                BallotMark(ballot=ballot, option=option, value=value) for option, value in marks.items()
            )
    except IntegrityError:
        raise _voted_already(household, fields.get("person"), paper=bool(fields.get("is_paper"))) from None
    return ballot


def _voted_already(household: Household, voter: object, *, paper: bool) -> DomainError:
    """A second ballot, said to whoever cast it: the resident voting, or the worker recording a paper ballot, on
    the field they filled in (the household, or on a per-resident vote the resident who signed)."""
    if paper:
        if voter is not None:
            return invalid("resident", _("This resident has already voted: each resident has one ballot."))
        return invalid(
            "household",
            _("This household (%(address)s) has already voted: each household has one ballot.")
            % {"address": household.address},
        )
    if voter is not None:
        return Conflict(_("You have already voted: each resident has one ballot."))
    return Conflict(
        _("Your household (%(address)s) has already voted: each household has one ballot.")
        % {"address": household.address}
    )


def ballot_cast(
    *, actor: Actor, vote: Vote, option_ids: list[int] | None = None, marks: dict[int, int] | None = None
) -> Ballot:
    """A verified resident casts their household's one ballot (on a per-resident vote, their own): the options
    chosen, or for a ranking or score vote `marks` (option id → place or score) for every option."""
    household = selectors.verified_household(actor)
    if household is None:
        raise PermissionDenied(_("Only residents with a verified household may vote."))
    _check_open(vote)
    voter = person(actor) if vote.voter == VoteVoter.RESIDENT else None
    return _cast(vote, household, _what(vote, option_ids, marks), cast_by=person(actor), person=voter)


def ballot_record_paper(
    *,
    actor: Actor,
    vote: Vote,
    household: Household,
    photo: UploadedFile,
    option_ids: list[int] | None = None,
    marks: dict[int, int] | None = None,
    resident: User | None = None,
) -> Ballot:
    """入户征求意见: a grid worker records a household's paper ballot with a photo of the signed form. On a
    per-resident vote the form is one resident's: `resident`, a verified resident of that household."""
    permissions.require(actor, "paper_ballot", vote.node.path)
    if actor is not None and not households_visible_to(actor).filter(pk=household.pk).exists():
        raise invalid("household", _("This household is outside your area."))
    _check_open(vote)
    if vote.voter == VoteVoter.RESIDENT:
        residents = selectors.residents_of_household(household)
        if not residents.exists():
            raise invalid(
                "resident",
                _(
                    "This household has no verified resident in Linli: a per-resident vote counts only residents "
                    "with a verified account, so this paper ballot cannot be recorded."
                ),
            )
        if resident is None:
            raise invalid("resident", _("Choose the resident who signed the paper ballot."))
        if not residents.filter(pk=resident.pk).exists():
            raise invalid("resident", _("This resident is not a verified resident of that household."))
    else:
        resident = None
    if photo is None:
        raise invalid("photo", _("Attach a photo of the signed paper ballot."))
    stored = photo_to_store(photo)  # upright, without the phone's GPS position at the household's door
    return _cast(
        vote,
        household,
        _what(vote, option_ids, marks),
        cast_by=person(actor),
        person=resident,
        is_paper=True,
        paper_photo=stored,
    )


def vote_close(*, actor: Actor, vote: Vote) -> Vote:
    """Close a vote (staff of the area, or the worker when its time is up); the count is then shown to all."""
    permissions.require(actor, "vote_manage", vote.node.path)
    now = timezone.now()
    if (
        Vote.objects.filter(pk=vote.pk, status=VoteStatus.OPEN).update(
            status=VoteStatus.CLOSED, closed_at=now
        )
        != 1
    ):
        raise InvalidTransition(_("This vote has closed."))
    vote.refresh_from_db()
    return vote
