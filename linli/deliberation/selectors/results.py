"""Results of a meeting's decisions as a tree, and the residents' ratings and survey answers (评价反馈)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, QuerySet
from django.utils.translation import gettext_lazy as _

from linli.core.scoping import Viewer, get_or_404
from linli.territory.models import Household

from ..choices import Rating
from ..models import Meeting, MeetingRating, RatingAnswer, Result, SurveyQuestion
from .area import meeting_area


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
    return meeting_area(Result.objects.select_related("meeting__node", "parent"), user, "meeting__node")


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
