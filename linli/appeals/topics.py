"""每月一题: reads of the weekly candidates and the monthly topics, in the user's subtree (the writes and the weekly
job are services, in services/topics.py; who may take each step is permissions.TOPIC_RULES)."""

from __future__ import annotations

from django.db.models import QuerySet

from linli.core.scoping import get_or_404, scope_by_org

from .models import MonthlyTopic, TopicCandidate
from .permissions import Actor, may_topic


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
    return scope_by_org(
        MonthlyTopic.objects.select_related("street", "owner", "category", "candidate"), user, "org_path"
    )


def topic_get_for(user: Actor, pk: int | str) -> MonthlyTopic:
    return get_or_404(topics_visible_to(user), pk=pk)


def may_propose(user: Actor, path: str) -> bool:
    return may_topic(user, "propose", path)


def may_adopt(user: Actor, path: str) -> bool:
    return may_topic(user, "adopt", path)
