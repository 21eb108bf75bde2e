"""Every non-trivial read of co-governance, scoped to the reader.

Staff see the meetings, topics and votes of their part of the org tree. A resident sees the hall of the
community their verified household belongs to, the meetings held there, and the votes their household may cast.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from linli.accounts.models import User
from linli.accounts.selectors import verified_household
from linli.core.orgpath import path_ids
from linli.core.roles import Role
from linli.core.scoping import Viewer, get_or_404, is_staff_member, scope_by_org
from linli.territory.models import Household, OrgNode
from linli.territory.selectors import community_of, grids_visible_to, own_grids_only

from .choices import (
    Moderation,
    OwnersChoice,
    Rating,
    ResultStatus,
    Stage,
    VoteMethod,
    VoteStatus,
    VoteVoter,
)
from .models import (
    AgendaItem,
    AgendaSource,
    Ballot,
    BallotMark,
    Comment,
    Decision,
    Meeting,
    MeetingRating,
    RatingAnswer,
    Result,
    SurveyQuestion,
    Topic,
    TopicFollower,
    Vote,
)
from .owners import OwnersOutcome, owners_outcome

# --- the resident's place -------------------------------------------------------------------------------------


def household_node(household: Household) -> OrgNode:
    """The org node a household lives in (its grid's community or compound)."""
    return household.building.grid.org_node


def resident_community(user: Viewer) -> OrgNode | None:
    household = verified_household(user)
    if household is None:
        return None
    node = household_node(household)
    return community_of(node) or node


def household_in(household: Household, node: OrgNode) -> bool:
    return household_node(household).path.startswith(node.path)


def households_of(node: OrgNode) -> QuerySet[Household]:
    """The households living in a community or compound (the voters of its votes)."""
    return Household.objects.filter(building__grid__org_node__path__startswith=node.path)


def _verified_residents(**where: Any) -> QuerySet[User]:
    """Residents' accounts, active, whose household is verified, narrowed by `where`."""
    return User.objects.filter(
        is_active=True, is_superuser=False, role=Role.RESIDENT, household_verified_at__isnull=False, **where
    )


def residents_of(node: OrgNode) -> QuerySet[User]:
    """The verified residents of a community or compound (the voters of its per-resident votes)."""
    return _verified_residents(household__building__grid__org_node__path__startswith=node.path)


def residents_of_household(household: Household) -> QuerySet[User]:
    """A household's verified residents, by name (who may sign a per-resident paper ballot)."""
    return _verified_residents(household=household).order_by("display_name", "pk")


def _resident_area(qs: QuerySet[Any], user: Viewer, field_name: str) -> QuerySet[Any]:
    """Staff: their subtree. A verified resident: their community. Others: nothing."""
    if is_staff_member(user):
        return scope_by_org(qs, user, f"{field_name}__path")
    community = resident_community(user)
    if community is None:
        return qs.none()
    return qs.filter(**{f"{field_name}__path__startswith": community.path})


def _grid_communities(user: Viewer) -> set[int]:
    """The communities the grids of a grid worker (full- or part-time, a grid leader, a building captain) lie in."""
    if not own_grids_only(user):
        return set()
    communities = set()
    for kind, node, parent in grids_visible_to(user).values_list(
        "org_node__kind", "org_node_id", "org_node__parent_id"
    ):
        if kind == "community":
            communities.add(node)
        elif kind == "compound" and parent is not None:
            communities.add(parent)
    return communities


def _meeting_area(qs: QuerySet[Any], user: Viewer, field_name: str) -> QuerySet[Any]:
    """The meetings (or their decisions and results) the reader sees: their area's (`_resident_area`), and for a
    grid worker whose grids lie in a compound also the joint meetings held by the community above it. Grid workers
    collect its topics on their rounds, sit in it and carry out its decisions in their grids (docs/deliberation.md,
    "Who may do what"); they read these meetings, while running one or reporting on its results stays with the
    workers of its area (permissions.ACTION_RULES)."""
    area = _resident_area(qs, user, field_name)
    communities = _grid_communities(user)
    if not communities:
        return area
    return area | qs.filter(**{f"{field_name}_id__in": communities})


def communities_for(user: Viewer) -> QuerySet[OrgNode]:
    """Communities and compounds a staff member may hold meetings and votes in."""
    return scope_by_org(OrgNode.objects.filter(kind__in=["community", "compound"]), user, "path").order_by(
        "path"
    )


# --- meetings -------------------------------------------------------------------------------------------------


# --- 已逾期: a decision or result whose deadline passed with its work still open ----------------------------------

RESULT_OPEN = (ResultStatus.PLANNED, ResultStatus.IN_PROGRESS)


def _open_work() -> Exists:
    """A decision (the outer row) still has work to do: one of its results (the roots) is neither done nor dropped."""
    return Exists(Result.objects.filter(decision=OuterRef("pk"), parent__isnull=True, status__in=RESULT_OPEN))


def is_overdue(row: Decision | Result, today: dt.date | None = None) -> bool:
    """Whether a decision or result is overdue (已逾期): its due date passed and its work is not done (nor dropped).
    A decision's work is read from `open_work` (annotated by `meeting_decisions`) or from its prefetched `roots`
    (`topic_answers`)."""
    if row.due_on >= (today or timezone.localdate()):
        return False
    if isinstance(row, Result):
        return row.status in RESULT_OPEN
    open_work = getattr(row, "open_work", None)
    if open_work is None:
        open_work = any(r.status in RESULT_OPEN for r in row.roots)  # type: ignore[attr-defined]
    return bool(open_work)


def meeting_decisions(meeting: Meeting) -> list[Decision]:
    """A meeting's decisions with their agenda item and topic, each knowing whether its work is still open."""
    return list(meeting.decisions.select_related("item", "topic").annotate(open_work=_open_work()))


def meetings_visible_to(user: Viewer) -> QuerySet[Meeting]:
    """The meetings of the reader's area with their agenda items, decisions and overdue decisions counted."""
    overdue = (
        Decision.objects.filter(meeting=OuterRef("pk"), due_on__lt=timezone.localdate())
        .filter(_open_work())
        .values("meeting")
        .annotate(n=Count("pk"))
        .values("n")
    )
    # The counts group the rows, and a grouped query does not take the model's order: it is named here.
    return (
        _meeting_area(Meeting.objects.select_related("node", "convener"), user, "node")
        .annotate(
            n_items=Count("agenda", distinct=True),
            n_decisions=Count("decisions", distinct=True),
            n_overdue=Coalesce(Subquery(overdue), 0),
        )
        .order_by("-scheduled_at", "-id")
    )


def filings_waiting(user: Viewer) -> QuerySet[Meeting]:
    """镇街备案: the meetings of the viewer's area submitted for filing and not yet acknowledged or returned,
    the longest waiting first (the street's queue; a community sees its own filings waiting)."""
    if not is_staff_member(user):
        return Meeting.objects.none()
    return (
        meetings_visible_to(user)
        .filter(stage=Stage.FILE)
        .annotate(n_ratings=Count("ratings", distinct=True))
        .order_by("filed_at", "id")
    )


def meeting_get_for(user: Viewer, pk: int | str) -> Meeting:
    """One meeting of the reader's area (404 otherwise). Like every `*_get_for` here, the area filters the row
    itself, not the whole area's (counted) meetings as a subquery, which PostgreSQL plans badly for one row."""
    return get_or_404(
        _meeting_area(Meeting.objects.select_related("node", "convener", "created_by"), user, "node"), pk=pk
    )


def decision_get_for(user: Viewer, pk: int | str) -> Decision:
    """A decision of a meeting the reader sees (404 otherwise)."""
    return get_or_404(
        _meeting_area(Decision.objects.select_related("meeting__node"), user, "meeting__node"), pk=pk
    )


def meeting_agenda(meeting: Meeting) -> list[AgendaItem]:
    sources = AgendaSource.objects.select_related("appeal", "topic", "monthly_topic", "visit")
    return list(meeting.agenda.prefetch_related(Prefetch("sources", queryset=sources), "decisions"))


def public_meetings() -> QuerySet[Meeting]:
    """三公开: meetings the street has acknowledged, for anyone to read."""
    return Meeting.objects.select_related("node").filter(stage=Stage.FILED).order_by("-scheduled_at", "-id")


# --- results --------------------------------------------------------------------------------------------------


@dataclass
class ResultNode:
    result: Result
    children: list[ResultNode] = field(default_factory=list)
    depth: int = 0


def result_tree(meeting: Meeting) -> list[ResultNode]:
    """The meeting's results as a tree (roots first, then their parts), in one query."""
    rows = list(meeting.results.select_related("decision").prefetch_related("updates"))
    nodes = {r.pk: ResultNode(r) for r in rows}
    roots: list[ResultNode] = []
    for r in rows:
        if r.parent_id and r.parent_id in nodes:
            nodes[r.parent_id].children.append(nodes[r.pk])
        else:
            roots.append(nodes[r.pk])

    def depth(node: ResultNode, d: int) -> None:
        node.depth = d
        for child in node.children:
            depth(child, d + 1)

    for root in roots:
        depth(root, 0)
    return roots


def flatten(nodes: list[ResultNode]) -> list[ResultNode]:
    out: list[ResultNode] = []
    for node in nodes:
        out.append(node)
        out.extend(flatten(node.children))
    return out


def results_visible_to(user: Viewer) -> QuerySet[Result]:
    return _meeting_area(Result.objects.select_related("meeting__node", "parent"), user, "meeting__node")


def result_get_for(user: Viewer, pk: int | str) -> Result:
    return get_or_404(results_visible_to(user), pk=pk)


def rating_summary(meeting: Meeting) -> dict[str, int]:
    counts = dict(meeting.ratings.values_list("rating").annotate(n=Count("id")).values_list("rating", "n"))
    return {key: counts.get(key, 0) for key in ("satisfied", "basic", "unsatisfied")}


def survey_questions(meeting: Meeting) -> list[SurveyQuestion]:
    return list(meeting.questions.all())


def survey_summary(meeting: Meeting) -> list[dict[str, Any]]:
    """The overall rating, then each question the meeting's survey asks, with its households per answer."""
    rows: list[dict[str, Any]] = [
        {"key": "overall", "label": _("Overall"), "counts": rating_summary(meeting)}
    ]
    counts: dict[tuple[int, str], int] = {
        (q, a): n
        for q, a, n in RatingAnswer.objects.filter(rating__meeting=meeting)
        .values_list("question_id", "answer")
        .annotate(n=Count("id"))
        .values_list("question_id", "answer", "n")
    }
    for question in survey_questions(meeting):
        rows.append(
            {
                "key": str(question.pk),
                "label": question.text,
                "counts": {a: counts.get((question.pk, a), 0) for a in Rating.values},
            }
        )
    for row in rows:
        row["total"] = sum(row["counts"].values())
    return rows


def rating_of(meeting: Meeting, household: Household | None) -> MeetingRating | None:
    if household is None:
        return None
    return meeting.ratings.filter(household=household).first()


# --- the hall -------------------------------------------------------------------------------------------------


def _topics_in_area(qs: QuerySet[Any], user: Viewer, topic: str = "") -> QuerySet[Any]:
    """`qs` (topics, or rows of a topic reached by the field `topic`) limited to the topics the reader sees:
    those of their area, and for anyone but staff none removed."""
    at = f"{topic}__" if topic else ""
    qs = _resident_area(qs, user, f"{at}node")
    if not is_staff_member(user):
        qs = qs.exclude(**{f"{at}moderation": Moderation.REMOVED})
    return qs


def topics_visible_to(user: Viewer) -> QuerySet[Topic]:
    qs = Topic.objects.select_related("node", "author").annotate(
        n_comments=Count("comments", filter=Q(comments__moderation=Moderation.VISIBLE), distinct=True),
        n_answers=Count("answers", distinct=True),
    )
    return _topics_in_area(qs, user).order_by("-created_at", "-id")  # counted rows take no model order


def topic_get_for(user: Viewer, pk: int | str) -> Topic:
    return get_or_404(_topics_in_area(Topic.objects.select_related("node", "author"), user), pk=pk)


def topic_visible(user: Viewer, topic: Topic) -> bool:
    """Whether the reader sees the topic (the rule of `topics_visible_to` for one row)."""
    return _topics_in_area(Topic.objects.filter(pk=topic.pk), user).exists()


def comment_get_for(user: Viewer, pk: int | str) -> Comment:
    """A comment of a topic the reader sees (404 otherwise)."""
    return get_or_404(_topics_in_area(Comment.objects.select_related("topic__node"), user, "topic"), pk=pk)


def topic_comments(topic: Topic) -> list[Comment]:
    return list(topic.comments.select_related("author", "parent"))


def topic_answers(topic: Topic) -> list[Any]:
    """The decisions that answer a topic, each with its meeting and its tracked result (the root's progress)."""
    roots = Result.objects.filter(parent__isnull=True)
    return list(
        topic.answers.select_related("meeting__node")
        .prefetch_related(Prefetch("results", queryset=roots, to_attr="roots"))
        .order_by("id")
    )


def topic_followed_by(topic: Topic, user: Viewer) -> bool:
    pk = getattr(user, "pk", None)
    return pk is not None and TopicFollower.objects.filter(topic=topic, user_id=pk).exists()


def moderation_queue(user: Viewer) -> dict[str, list[Any]]:
    """Topics and comments hidden after reports, waiting for a moderator of the area."""
    topics = scope_by_org(Topic.objects.select_related("node", "author"), user, "node__path")
    comments = scope_by_org(
        Comment.objects.select_related("topic__node", "author"), user, "topic__node__path"
    )
    return {
        "topics": list(topics.filter(moderation=Moderation.HIDDEN).prefetch_related("reports")),
        "comments": list(comments.filter(moderation=Moderation.HIDDEN).prefetch_related("reports")),
    }


# --- votes ----------------------------------------------------------------------------------------------------


def votes_visible_to(user: Viewer) -> QuerySet[Vote]:
    qs = Vote.objects.select_related("node", "topic").annotate(n_ballots=Count("ballots", distinct=True))
    return _resident_area(qs, user, "node")


def vote_get_for(user: Viewer, pk: int | str) -> Vote:
    return get_or_404(_resident_area(Vote.objects.select_related("node", "topic"), user, "node"), pk=pk)


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


# --- the overview's panel -------------------------------------------------------------------------------------


@dataclass
class Overview:
    units: list[dict[str, Any]]  # per community: meetings held, filed
    meetings: int
    decisions_due: int
    decisions_on_time: int
    households_voting: int
    households_asked: int
    ratings: dict[str, int]

    @property
    def on_time_rate(self) -> float | None:
        return self.decisions_on_time / self.decisions_due if self.decisions_due else None

    @property
    def participation(self) -> float | None:
        return self.households_voting / self.households_asked if self.households_asked else None

    @property
    def satisfaction(self) -> float | None:
        total = sum(self.ratings.values())
        return (self.ratings["satisfied"] + self.ratings["basic"]) / total if total else None


def overview(path: str, start: dt.date, end: dt.date) -> Overview:
    """Co-governance in an area (org path prefix, "" for all) over a period: meetings held per community,
    decisions due in the period and done by their due date, households voting among those asked (votes closed
    in the period), and the residents' ratings of outcomes (meetings that reached 评价反馈 in the period)."""
    held = Meeting.objects.filter(
        node__path__startswith=path, scheduled_at__date__range=(start, end)
    ).exclude(stage=Stage.COLLECT)
    communities = dict(OrgNode.objects.filter(kind="community").values_list("pk", "name"))
    per_unit: dict[int, dict[str, Any]] = {}
    for node_path, stage in held.values_list("node__path", "stage"):
        community = next((pk for pk in path_ids(node_path) if pk in communities), None)
        if community is None:
            continue
        row = per_unit.setdefault(community, {"name": communities[community], "held": 0, "filed": 0})
        row["held"] += 1
        row["filed"] += stage == Stage.FILED
    due = Result.objects.filter(
        meeting__node__path__startswith=path, parent__isnull=True, due_on__range=(start, end)
    ).exclude(status="dropped")
    done_in_time = 0
    for result in due.filter(status="done").prefetch_related("updates", "children__updates"):
        # Done when its last step was reported: its own, or its parts' when its progress rolls up from them.
        finished = max((u.at for u in result.updates.all()), default=None) or max(
            (u.at for c in result.children.all() for u in c.updates.all()), default=None
        )
        if finished is not None and timezone.localtime(finished).date() <= result.due_on:
            done_in_time += 1
    closed = Vote.objects.filter(
        node__path__startswith=path, status=VoteStatus.CLOSED, closed_at__date__range=(start, end)
    )
    figures = closed.aggregate(asked=Sum("base_households"))
    # Households voting: a per-resident vote's household counts once however many of its residents voted.
    figures["voting"] = (
        Ballot.objects.filter(vote__in=closed).values("vote_id", "household_id").distinct().count()
    )
    rated = MeetingRating.objects.filter(meeting__node__path__startswith=path, at__date__range=(start, end))
    counts = dict(rated.values_list("rating").annotate(n=Count("id")).values_list("rating", "n"))
    return Overview(
        units=sorted(per_unit.values(), key=lambda r: -r["held"]),
        meetings=held.count(),
        decisions_due=due.count(),
        decisions_on_time=done_in_time,
        households_voting=figures["voting"] or 0,
        households_asked=figures["asked"] or 0,
        ratings={key: counts.get(key, 0) for key in ("satisfied", "basic", "unsatisfied")},
    )


def meeting_calendar(
    user: Viewer, month: dt.date, community: OrgNode | None = None
) -> list[tuple[dt.date, list[Meeting]]]:
    """The meetings of a month in the user's area (or one community of it), by day."""
    first = month.replace(day=1)
    after = (first + dt.timedelta(days=32)).replace(day=1)
    qs = (
        meetings_visible_to(user)
        .filter(scheduled_at__date__gte=first, scheduled_at__date__lt=after)
        .order_by("scheduled_at")
    )
    if community is not None:
        qs = qs.filter(node__path__startswith=community.path)
    days: dict[dt.date, list[Meeting]] = {}
    for meeting in qs:
        days.setdefault(timezone.localtime(meeting.scheduled_at).date(), []).append(meeting)
    return sorted(days.items())
