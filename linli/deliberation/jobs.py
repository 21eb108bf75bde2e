"""Background work: close votes whose time is up, warn about results past their due date."""

from __future__ import annotations

from django.utils import timezone

from linli.core.errors import InvalidTransition

from .choices import ResultStatus, VoteStatus
from .models import Result, Vote
from .services import result_warn_overdue, vote_close


def close_due_votes() -> int:
    closed = 0
    for vote in Vote.objects.filter(status=VoteStatus.OPEN, closes_at__lte=timezone.now()).select_related(
        "node"
    )[:200]:
        try:
            vote_close(actor=None, vote=vote)
            closed += 1
        except InvalidTransition:  # another worker closed it first
            continue
    return closed


def warn_overdue_results() -> int:
    today = timezone.localdate()
    due = Result.objects.filter(
        status__in=[ResultStatus.PLANNED, ResultStatus.IN_PROGRESS],
        due_on__lt=today,
        overdue_warned_on__isnull=True,
    ).select_related("meeting__node", "meeting__created_by")[:200]
    return sum(1 for result in due if result_warn_overdue(result=result, today=today))


JOBS = {"deliberation.close_votes": close_due_votes, "deliberation.overdue_results": warn_overdue_results}
