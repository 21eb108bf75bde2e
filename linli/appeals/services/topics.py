"""每月一题: recurring problems found every week, adopted by a street as a monthly topic and tracked to completion.

The weekly job (`topics_compute`, registered as "appeals.topics") looks at the appeals of the last PERIOD_DAYS,
groups them by place (the grid's compound or community), category and text similarity (bigram Dice, as for
duplicates), counts the matching appeals of the PERIOD_DAYS before for the trend, and stores the top candidates
of the ISO week once (running again in the same week changes nothing). A community worker may propose a
candidate as a topic; a street officer (or above) adopts it with an owner and a plan, starts it and completes it
with a note (who may: permissions.TOPIC_RULES). Each step is a compare-and-swap on the status, allowed only from
the step before. The reads are in topics.py.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Count, Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from linli.accounts.models import User
from linli.core.audit import audit_record
from linli.core.errors import InvalidTransition, ValidationFailed
from linli.core.outbox import notification_after_commit
from linli.territory.models import OrgNode

from ..choices import TopicStatus
from ..models import Appeal, MonthlyTopic, TopicCandidate
from ..notify import in_deployment_language
from ..permissions import Actor, require_topic, signed_in_user
from ..similarity import bigrams, similarity, text_of
from ..validation import TITLE_MAX, TOPIC_TEXT_MAX, clean_text

PERIOD_DAYS = 28
MIN_COUNT = 3
TOP = 10
SIMILAR = 0.25

# The one table of allowed topic transitions: action → (from statuses, to status).
TOPIC_TRANSITIONS: dict[str, tuple[tuple[str, ...], str]] = {
    "adopt": ((TopicStatus.PROPOSED,), TopicStatus.ADOPTED),
    "start": ((TopicStatus.ADOPTED,), TopicStatus.IN_PROGRESS),
    "complete": ((TopicStatus.IN_PROGRESS,), TopicStatus.DONE),
}


def iso_week(day: dt.date) -> str:
    year, week, _weekday = day.isocalendar()
    return f"{year}-W{week:02d}"


@dataclass
class _Group:
    place_id: int
    category_id: int | None
    seed: frozenset[str]
    appeals: list[Appeal] = field(default_factory=list)
    previous: int = 0


def _place(appeal: Appeal) -> OrgNode | None:
    return appeal.grid.org_node if appeal.grid_id and appeal.grid else None


def _street_of(node: OrgNode) -> OrgNode | None:
    return OrgNode.objects.filter(pk__in=node.ancestor_ids(), kind="street").first()


def _group(rows: list[Appeal]) -> list[_Group]:
    groups: dict[tuple[int, int | None], list[_Group]] = {}
    for a in rows:
        place = _place(a)
        if place is None:
            continue
        grams = bigrams(text_of(a))
        bucket = groups.setdefault((place.pk, a.category_id), [])
        for g in bucket:
            if similarity(grams, g.seed) >= SIMILAR:
                g.appeals.append(a)
                break
        else:
            g = _Group(place.pk, a.category_id, grams)
            g.appeals.append(a)
            bucket.append(g)
    return [g for bucket in groups.values() for g in bucket]


def _recent(start: dt.datetime, end: dt.datetime) -> list[Appeal]:
    return list(
        Appeal.objects.filter(
            created_at__gte=start, created_at__lt=end, primary__isnull=True, grid__isnull=False
        )
        .select_related("grid__org_node", "category")
        .only(
            "id",
            "title",
            "description",
            "category_id",
            "category__name",
            "category__parent_id",
            "grid_id",
            "grid__org_node__id",
            "grid__org_node__path",
            "grid__org_node__name",
            "grid__org_node__kind",
            "created_at",
        )
        .order_by("created_at", "id")
    )


# The worker runs the job often. A week with candidates is recognised by its stored rows; a week found without
# any is looked at again only once new appeals have come in (this process remembers what it last saw).
_empty_seen: set[tuple[Any, ...]] = set()


def topics_compute(*, now: dt.datetime | None = None) -> int:
    """Store this ISO week's top candidates (once per week); returns how many were stored."""
    now = now or timezone.now()
    week = iso_week(timezone.localdate(now))
    if TopicCandidate.objects.filter(week=week).exists():
        return 0
    latest = Appeal.objects.aggregate(n=Count("id"), top=Max("id"), at=Max("created_at"))
    seen = (week, latest["n"], latest["top"], latest["at"])
    if seen in _empty_seen:
        return 0
    period = dt.timedelta(days=PERIOD_DAYS)
    groups = [g for g in _group(_recent(now - period, now)) if len(g.appeals) >= MIN_COUNT]
    if not groups:
        _empty_seen.add(seen)
        return 0
    before = _recent(now - 2 * period, now - period)
    for g in groups:
        g.previous = sum(
            1
            for a in before
            if a.category_id == g.category_id
            and (p := _place(a)) is not None
            and p.pk == g.place_id
            and similarity(bigrams(text_of(a)), g.seed) >= SIMILAR
        )
    groups.sort(key=lambda g: (-len(g.appeals), -(len(g.appeals) - g.previous), g.place_id))
    stored = 0
    try:
        with transaction.atomic():
            for rank, g in enumerate(groups[:TOP], start=1):
                first = g.appeals[0]
                place = _place(first)
                assert place is not None
                street = _street_of(place)
                cand = TopicCandidate.objects.create(
                    week=week,
                    key=f"{g.place_id}:{g.category_id or 0}:{first.pk}",
                    rank=rank,
                    title=f"{place.name} · {first.title}"[:100],
                    place=place,
                    street=street,
                    org_path=place.path,
                    category_id=g.category_id,
                    count=len(g.appeals),
                    previous_count=g.previous,
                    computed_at=now,
                )
                cand.appeals.set(g.appeals)
                stored += 1
    except IntegrityError:  # another worker stored this week's candidates first
        return 0
    return stored


# --- writes --------------------------------------------------------------------------------------------------


def _month(value: dt.date | None) -> dt.date:
    day = value or timezone.localdate()
    return day.replace(day=1)


def topic_propose(
    *, actor: Actor, candidate: TopicCandidate, title: str = "", month: dt.date | None = None
) -> MonthlyTopic:
    """Propose a candidate as a monthly topic of its street (community worker or above, in scope); a candidate
    becomes one topic only (its row locked while the topic is made, so two at once cannot both make one)."""
    if candidate.street is None:
        raise ValidationFailed(_("This candidate lies in no street."))
    require_topic(actor, "propose", candidate.org_path)
    title = clean_text("title", title, required=False, maximum=TITLE_MAX) or candidate.title
    with transaction.atomic():
        TopicCandidate.objects.select_for_update().filter(pk=candidate.pk).first()
        existing = MonthlyTopic.objects.filter(candidate=candidate).first()
        if existing is not None:
            raise ValidationFailed(
                _("This problem is already a monthly topic: %(title)s.") % {"title": existing.title}
            )
        topic = MonthlyTopic.objects.create(
            title=title,
            month=_month(month),
            street=candidate.street,
            org_path=candidate.street.path,
            candidate=candidate,
            category=candidate.category,
            proposed_at=timezone.now(),
            created_by=signed_in_user(actor),
        )
        topic.appeals.set(candidate.appeals.all())
        audit_record(
            actor=actor, action="monthly_topic.propose", obj=topic, detail={"candidate": candidate.pk}
        )
    return topic


def _step(topic: MonthlyTopic, action: str, *, actor: Actor, changes: dict[str, Any]) -> MonthlyTopic:
    require_topic(actor, action, topic.org_path)
    sources, target = TOPIC_TRANSITIONS[action]
    changed = MonthlyTopic.objects.filter(pk=topic.pk, status__in=sources).update(
        status=target, updated_at=timezone.now(), **changes
    )
    if changed != 1:
        raise InvalidTransition()
    audit_record(actor=actor, action=f"monthly_topic.{action}", obj=topic, detail={"to": str(target)})
    topic.refresh_from_db()
    _tell_proposer(topic, actor)
    return topic


def _tell_proposer(topic: MonthlyTopic, actor: Actor) -> None:
    """Whoever proposed the topic (a community worker, usually) follows it: each step of the street is said in
    their inbox, linked to the topic."""
    if topic.created_by_id is None or topic.created_by_id == getattr(actor, "pk", None):
        return
    with in_deployment_language():
        title = _("Monthly topic “%(title)s”: %(status)s") % {
            "title": topic.title,
            "status": TopicStatus(topic.status).label,
        }
    notification_after_commit(
        user=topic.created_by, title=title, url=reverse("appeals:topic_detail", args=[topic.pk])
    )


def topic_adopt(*, actor: Actor, topic: MonthlyTopic, plan: str, owner: User | None = None) -> MonthlyTopic:
    """A street officer (or above) adopts the topic with a plan and an owner (themselves by default)."""
    plan = clean_text("plan", plan, required=True, maximum=TOPIC_TEXT_MAX)
    owner = owner or signed_in_user(actor)
    return _step(
        topic, "adopt", actor=actor, changes={"plan": plan, "owner": owner, "adopted_at": timezone.now()}
    )


def topic_start(*, actor: Actor, topic: MonthlyTopic) -> MonthlyTopic:
    return _step(topic, "start", actor=actor, changes={"started_at": timezone.now()})


def topic_complete(*, actor: Actor, topic: MonthlyTopic, note: str) -> MonthlyTopic:
    note = clean_text("completion_note", note, required=True, maximum=TOPIC_TEXT_MAX)
    return _step(topic, "complete", actor=actor, changes={"done_at": timezone.now(), "completion_note": note})


def candidate_adopt(
    *, actor: Actor, candidate: TopicCandidate, plan: str, title: str = "", month: dt.date | None = None
) -> MonthlyTopic:
    """A street officer adopts a candidate in one step: proposed, then adopted with the plan."""
    require_topic(actor, "adopt", candidate.org_path)
    plan = clean_text("plan", plan, required=True, maximum=TOPIC_TEXT_MAX)
    with transaction.atomic():
        topic = topic_propose(actor=actor, candidate=candidate, title=title, month=month)
        return topic_adopt(actor=actor, topic=topic, plan=plan)
