"""每月一题: reads of the weekly candidates and the monthly topics, in the user's subtree (the writes and the weekly
job are services, in services/topics.py; who may take each step is permissions.TOPIC_RULES).

A topic belongs to its street (`org_path`), where it is adopted, started and completed; the problem it tackles lies
in one compound or community (its candidate's place, `candidate.org_path`). Staff below the street (a community's
workers, a grid's) read the topics about a problem in their own subtree, to follow them and to find the topic
their proposal became; they take none of the street's steps (TOPIC_RULES checks the street's path)."""

from __future__ import annotations

from django.db.models import QuerySet

from linli.core.orgpath import path_ids
from linli.core.scoping import get_or_404, scope_by_org

from .models import Appeal, MonthlyTopic, TopicCandidate
from .permissions import Actor, may_topic
from .selectors import appeals_visible_to


def candidates_visible_to(user: Actor, *, week: str | None = None) -> QuerySet[TopicCandidate]:
    qs = scope_by_org(TopicCandidate.objects.select_related("place", "street", "category"), user, "org_path")
    latest = week or qs.order_by("-week").values_list("week", flat=True).first()
    return qs.filter(week=latest).order_by("rank") if latest else qs.none()


def candidate_get_for(user: Actor, pk: int | str) -> TopicCandidate:
    """One candidate of any week in the user's subtree (404 otherwise)."""
    return get_or_404(
        scope_by_org(TopicCandidate.objects.select_related("place", "street", "category"), user, "org_path"),
        pk=pk,
    )


def topics_visible_to(user: Actor) -> QuerySet[MonthlyTopic]:
    """The topics of the streets in the user's subtree, and the topics about a problem in it (the candidate's
    place), so a community worker reads those of their own community and no other's."""
    qs = MonthlyTopic.objects.select_related("street", "owner", "category", "candidate__place")
    return scope_by_org(qs, user, "org_path") | scope_by_org(qs, user, "candidate__org_path")


def topics_of_street_over(user: Actor, path: str) -> QuerySet[MonthlyTopic]:
    """The topics the user reads of the street that `path` lies in (a meeting's community or compound), the latest
    month first: what a joint meeting there may take up (deliberation's agenda)."""
    return topics_visible_to(user).filter(street_id__in=path_ids(path)).order_by("-month", "-id")


def topic_appeals_for(user: Actor, topic: MonthlyTopic) -> QuerySet[Appeal]:
    """The appeals a topic groups that the user may open (appeals' own scoped selector), the latest first."""
    return appeals_visible_to(user).filter(monthly_topics=topic).order_by("-created_at", "-id")


def topic_get_for(user: Actor, pk: int | str) -> MonthlyTopic:
    return get_or_404(topics_visible_to(user), pk=pk)


def may_propose(user: Actor, path: str) -> bool:
    return may_topic(user, "propose", path)


def may_adopt(user: Actor, path: str) -> bool:
    return may_topic(user, "adopt", path)
