"""Votes of the hall: one ballot per verified household; an owners' decision counted by owners and floor area
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

from linli.core.errors import Conflict, InvalidTransition, PermissionDenied
from linli.territory.models import Household, OrgNode
from linli.territory.selectors import households_visible_to

from .. import permissions, selectors
from ..choices import OwnersChoice, OwnersMatter, VoteMethod, VoteStatus
from ..models import Ballot, Topic, Vote, VoteOption
from ._common import Actor, invalid, person, photo_check, text


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
) -> Vote:
    """Open a vote in a community or compound. An owners' vote counts the area's households and their floor
    areas as it opens (every household needs one in the register) and offers agree / disagree / abstain."""
    if actor is not None and not selectors.communities_for(actor).filter(pk=node.pk).exists():
        raise invalid("node", _("Choose a community or compound of your area."))
    permissions.require(actor, "vote_manage", node.path)
    if method not in VoteMethod.values:
        raise invalid("method", _("Choose how the vote is counted."))
    if matter not in OwnersMatter.values:
        raise invalid("matter", _("Choose the kind of matter."))
    if closes_at <= timezone.now():
        raise invalid("closes_at", _("The vote must close in the future."))
    if quorum < 0:
        raise invalid("quorum", _("The quorum cannot be negative."))
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
        labels = [(o, "") for o in cleaned]
        base_households, base_area = selectors.households_of(node).count(), Decimal(0)
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
            closes_at=closes_at,
            base_households=base_households,
            base_area=base_area,
            created_by=person(actor),
        )
        VoteOption.objects.bulk_create(
            VoteOption(vote=vote, label=label, key=key, position=i) for i, (label, key) in enumerate(labels)
        )
    return vote


def _choices(vote: Vote, option_ids: list[int]) -> list[VoteOption]:
    chosen = list(vote.options.filter(pk__in=set(option_ids)))
    if not chosen or len(chosen) != len(set(option_ids)):
        raise invalid("options", _("Choose an option."))
    if vote.method != VoteMethod.MULTIPLE and len(chosen) != 1:
        raise invalid("options", _("Choose exactly one option."))
    return chosen


def _check_open(vote: Vote) -> None:
    if vote.status != VoteStatus.OPEN or vote.closes_at <= timezone.now():
        raise InvalidTransition(_("This vote has closed."))


def _cast(vote: Vote, household: Household, chosen: list[VoteOption], **fields: object) -> Ballot:
    if not selectors.household_in(household, vote.node):
        raise PermissionDenied(_("This vote is for another area."))
    try:
        with transaction.atomic():
            ballot = Ballot.objects.create(
                vote=vote, household=household, floor_area=household.floor_area or Decimal(0), **fields
            )
            ballot.choices.set(chosen)
    except IntegrityError:
        raise Conflict(
            _("Your household (%(address)s) has already voted: each household has one ballot.")
            % {"address": household.address}
        ) from None
    return ballot


def ballot_cast(*, actor: Actor, vote: Vote, option_ids: list[int]) -> Ballot:
    """A verified resident casts their household's one ballot."""
    household = selectors.verified_household(actor)
    if household is None:
        raise PermissionDenied(_("Only residents with a verified household may vote."))
    _check_open(vote)
    return _cast(vote, household, _choices(vote, option_ids), cast_by=person(actor))


def ballot_record_paper(
    *, actor: Actor, vote: Vote, household: Household, option_ids: list[int], photo: UploadedFile
) -> Ballot:
    """入户征求意见: a grid worker records a household's paper ballot with a photo of the signed form."""
    permissions.require(actor, "paper_ballot", vote.node.path)
    if actor is not None and not households_visible_to(actor).filter(pk=household.pk).exists():
        raise invalid("household", _("This household is outside your area."))
    _check_open(vote)
    if photo is None:
        raise invalid("photo", _("Attach a photo of the signed paper ballot."))
    photo_check("photo", photo)
    return _cast(
        vote, household, _choices(vote, option_ids), cast_by=person(actor), is_paper=True, paper_photo=photo
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
