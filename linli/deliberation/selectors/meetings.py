"""Meetings: those a reader sees with their counts, one meeting or decision, the agenda, the street's filings,
the public's list and the month's calendar; and which decisions and results are overdue (已逾期)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db.models import Count, Exists, OuterRef, Prefetch, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from linli.appeals.permissions import Actor as AppealsReader
from linli.appeals.selectors import appeals_visible_to
from linli.core.scoping import Viewer, get_or_404, is_staff_member
from linli.territory.models import OrgNode

from ..choices import ResultStatus, Stage
from ..models import AgendaItem, AgendaSource, Decision, Meeting, Result
from .area import meeting_area

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
        meeting_area(Meeting.objects.select_related("node", "convener"), user, "node")
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
        meeting_area(Meeting.objects.select_related("node", "convener", "created_by"), user, "node"), pk=pk
    )


def decision_get_for(user: Viewer, pk: int | str) -> Decision:
    """A decision of a meeting the reader sees (404 otherwise)."""
    return get_or_404(
        meeting_area(Decision.objects.select_related("meeting__node"), user, "meeting__node"), pk=pk
    )


def meeting_agenda(meeting: Meeting) -> list[AgendaItem]:
    sources = AgendaSource.objects.select_related("appeal", "topic", "monthly_topic", "visit")
    return list(meeting.agenda.prefetch_related(Prefetch("sources", queryset=sources), "decisions"))


def appeals_readable(user: AppealsReader, ids: Iterable[int | None]) -> set[int]:
    """Which of the appeals `ids` (on a meeting's agenda) the reader may open: the page links only those (a grid
    worker reads the community's meeting, not the appeals of its other grids)."""
    wanted = {pk for pk in ids if pk is not None}
    if not wanted:
        return set()
    return set(appeals_visible_to(user).filter(pk__in=wanted).values_list("pk", flat=True))


def public_meetings() -> QuerySet[Meeting]:
    """三公开: meetings the street has acknowledged, for anyone to read."""
    return Meeting.objects.select_related("node").filter(stage=Stage.FILED).order_by("-scheduled_at", "-id")


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
