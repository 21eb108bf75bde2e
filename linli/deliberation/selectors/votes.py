"""Votes, a household's ballot and the tally (households, floor area, ranking and scores, art. 278)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Prefetch, QuerySet

from linli.core.scoping import Viewer, get_or_404, is_staff_member
from linli.territory.models import Household

from ..choices import OwnersChoice, VoteMethod, VoteStatus, VoteVoter
from ..models import Ballot, BallotMark, Vote
from ..owners import OwnersOutcome, owners_outcome
from .area import households_of, resident_area, residents_of


def votes_visible_to(user: Viewer) -> QuerySet[Vote]:
    qs = Vote.objects.select_related("node", "topic").annotate(n_ballots=Count("ballots", distinct=True))
    return resident_area(qs, user, "node")


def vote_get_for(user: Viewer, pk: int | str) -> Vote:
    return get_or_404(resident_area(Vote.objects.select_related("node", "topic"), user, "node"), pk=pk)


def ballot_of(vote: Vote, household: Household | None, user: Viewer | None = None) -> Ballot | None:
    """The household's ballot; on a per-resident vote, the user's own."""
    if household is None:
        return None
    order = ("value", "option__position") if vote.method == VoteMethod.RANKING else ("option__position",)
    marks = BallotMark.objects.select_related("option").order_by(*order)
    return (
        vote.ballots.prefetch_related("choices", Prefetch("marks", queryset=marks))
        .filter(household=household)
        .filter(person_id=getattr(user, "pk", None) if vote.voter == VoteVoter.RESIDENT else None)
        .first()
    )


@dataclass
class OptionCount:
    label: str
    key: str
    households: int = 0
    area: Decimal = Decimal(0)
    share: float = 0.0
    points: int = 0  # ranking: Borda points (n for a first place … 1 for the last); score: the scores' sum
    first: int = 0  # ranking: households placing it first
    mean: float = 0.0  # score: the average score


@dataclass
class Tally:
    options: list[OptionCount]
    ballots: int
    paper: int
    area: Decimal
    eligible: int
    eligible_area: Decimal
    quorum_met: bool
    owners: OwnersOutcome | None = None

    @property
    def participation(self) -> float:
        return self.ballots / self.eligible if self.eligible else 0.0


def vote_tally(vote: Vote) -> Tally:
    """Households (and floor area) per option, participation, and for an owners' vote the art. 278 outcome."""
    ballots = list(vote.ballots.prefetch_related("choices"))
    options = {o.pk: OptionCount(o.label, o.key) for o in vote.options.all()}
    by_key: dict[str, OptionCount] = defaultdict(lambda: OptionCount("", ""))
    for ballot in ballots:
        for choice in ballot.choices.all():
            count = options[choice.pk]
            count.households += 1
            count.area += ballot.floor_area
    for count in options.values():
        count.share = count.households / len(ballots) if ballots else 0.0
        by_key[count.key] = count
    area = sum((b.floor_area for b in ballots), Decimal(0))
    if vote.voter == VoteVoter.RESIDENT:  # per resident: the verified residents when it opened
        eligible = vote.base_residents or residents_of(vote.node).count()
    else:
        eligible = vote.base_households or households_of(vote.node).count()
    tally = Tally(
        options=list(options.values()),
        ballots=len(ballots),
        paper=sum(1 for b in ballots if b.is_paper),
        area=area,
        eligible=eligible,
        eligible_area=vote.base_area,
        quorum_met=len(ballots) >= vote.quorum,
    )
    if vote.method in (VoteMethod.RANKING, VoteMethod.SCORE):
        _count_marks(vote, options, len(ballots))
        tally.options.sort(key=lambda c: -c.points)  # stable: ties keep the options' order
    if vote.method == VoteMethod.OWNERS:
        agree = by_key[OwnersChoice.AGREE]
        tally.owners = owners_outcome(
            total_owners=vote.base_households,
            total_area=vote.base_area,
            voting_owners=len(ballots),
            voting_area=area,
            agreeing_owners=agree.households,
            agreeing_area=agree.area,
            special=vote.matter == "special",
        )
    return tally


def _count_marks(vote: Vote, options: dict[int, OptionCount], ballots: int) -> None:
    """Ranking: a Borda count (with n options, a first place gives n points, the last 1), and the first places.
    Score: each option's total and average score. `share` is the part of the most an option could have got."""
    n = len(options)
    for option_id, value in BallotMark.objects.filter(ballot__vote=vote).values_list("option_id", "value"):
        count = options[option_id]
        if vote.method == VoteMethod.RANKING:
            count.points += n - value + 1
            count.first += value == 1
        else:
            count.points += value
    most = ballots * (n if vote.method == VoteMethod.RANKING else vote.max_score)
    for count in options.values():
        count.households = count.first if vote.method == VoteMethod.RANKING else 0
        count.mean = count.points / ballots if ballots else 0.0
        count.share = count.points / most if most else 0.0


def results_shown(vote: Vote, user: Viewer) -> bool:
    """Results hidden until closed are hidden from residents; staff of the area always see the count."""
    return vote.status == VoteStatus.CLOSED or not vote.results_hidden or is_staff_member(user)
