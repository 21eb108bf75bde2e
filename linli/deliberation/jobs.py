"""Background work: close votes whose time is up, escalate results past their due date level by level."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from linli.core.errors import InvalidTransition

from .choices import ResultStatus, VoteStatus
from .models import ResultDeadline, Vote
from .services import result_escalate, vote_close


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
    """Claim the escalation rows that are due (SKIP LOCKED: two workers take different rows) and tell each
    level; `result_escalate` compare-and-swaps each row, so none is sent twice."""
    today = timezone.localdate()
    with transaction.atomic():
        due = list(
            ResultDeadline.objects.select_for_update(skip_locked=True)
            .filter(
                fired_at__isnull=True,
                due_on__lte=today,
                result__status__in=[ResultStatus.PLANNED, ResultStatus.IN_PROGRESS],
            )
            .order_by("due_on", "id")[:200]
        )
        return sum(1 for deadline in due if result_escalate(deadline=deadline))


JOBS = {"deliberation.close_votes": close_due_votes, "deliberation.overdue_results": warn_overdue_results}
