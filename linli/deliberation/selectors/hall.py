"""The residents' hall: topics and their comments, answers and followers, and the moderators' queue."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet

from linli.core.scoping import Viewer, get_or_404, is_staff_member, scope_by_org

from ..choices import Moderation
from ..models import Comment, Result, Topic, TopicFollower
from .area import resident_area


def _topics_in_area(qs: QuerySet[Any], user: Viewer, topic: str = "") -> QuerySet[Any]:
    """`qs` (topics, or rows of a topic reached by the field `topic`) limited to the topics the reader sees:
    those of their area, and for anyone but staff none removed."""
    at = f"{topic}__" if topic else ""
    qs = resident_area(qs, user, f"{at}node")
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


def topics_readable(user: Viewer, ids: Iterable[int | None]) -> set[int]:
    """Which of the topics `ids` the reader may open: a page links only those (a grid worker reads the community's
    meeting, not its hall's topics)."""
    wanted = {pk for pk in ids if pk is not None}
    if not wanted:
        return set()
    return set(_topics_in_area(Topic.objects.filter(pk__in=wanted), user).values_list("pk", flat=True))


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
