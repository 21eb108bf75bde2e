"""Splitting an appeal (拆单): a message that raises several issues ("楼道灯坏了一个月。另外楼下烧烤店油烟太大。")
becomes one appeal per issue, each with its own category, and so its own unit, deadlines and queue.

Each part is accepted through intake (`appeal_submit`, as if the resident had sent that part alone, with the
category the handler chose: classification is skipped, routing and the clocks run as for any appeal) and points
back at the original (`split_from`). The original closes with the outcome "split" and an event naming its parts;
the resident following it sees the parts and follows each. A part keeps the original's place, contact and
priority, and the resident's total deadline (counted from their submission, not from the split).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .. import notify, routing, transitions
from ..choices import Outcome
from ..models import Appeal
from ..permissions import Actor
from ..validation import (
    COMMENT_MAX,
    DESCRIPTION_MAX,
    DESCRIPTION_MIN,
    TITLE_MAX,
    clean_text,
    field_error,
)
from .intake import appeal_submit

MAX_SPLIT_PARTS = 5


@dataclass(frozen=True)
class SplitPart:
    """One issue of the message: its category (a second-level code), its text and, optionally, a title."""

    category_code: str
    description: str
    title: str = ""


def _cleaned(parts: Sequence[SplitPart]) -> list[SplitPart]:
    """The parts with their texts checked; a field error names the part (`parts.<n>.<field>`, from 1)."""
    if len(parts) < 2:
        raise field_error("parts", _("Give at least two parts: one appeal per issue."))
    if len(parts) > MAX_SPLIT_PARTS:
        raise field_error("parts", _("At most %(n)s parts.") % {"n": MAX_SPLIT_PARTS})
    cleaned = []
    for n, part in enumerate(parts, start=1):
        code = (part.category_code or "").strip()
        if routing.category_by_code(code) is None:
            raise field_error(f"parts.{n}.category_code", _("Choose a category for part %(n)s.") % {"n": n})
        description = clean_text(
            f"parts.{n}.description",
            part.description,
            required=True,
            maximum=DESCRIPTION_MAX,
            minimum=DESCRIPTION_MIN,
        )
        title = clean_text(f"parts.{n}.title", part.title, required=False, maximum=TITLE_MAX)
        cleaned.append(SplitPart(code, description, title))
    return cleaned


def appeal_split(
    *, actor: Actor, appeal: Appeal, parts: Sequence[SplitPart], reason: str = ""
) -> list[Appeal]:
    """Split `appeal` into `parts` (2–5), each a new appeal routed by its category; the original closes."""
    parts = _cleaned(parts)
    reason = clean_text("reason", reason, required=False, maximum=COMMENT_MAX)
    with transaction.atomic():
        row, target = transitions.lock_for(actor, appeal, "split")
        now = timezone.now()
        created = [
            appeal_submit(
                actor=actor,
                kind=row.kind,
                title=part.title,
                description=part.description,
                channel=row.channel,
                category_code=part.category_code,
                contact_name=row.contact_name,
                contact_phone=row.contact_phone,
                lng=row.lng,
                lat=row.lat,
                address=row.address,
                grid=row.grid,
                priority=row.priority,
                resident=row.resident,
                split_from=row,
            )
            for part in parts
        ]
        if row.total_due_at is not None:
            # The resident's clock runs from their submission, not from the split.
            Appeal.objects.filter(pk__in=[c.pk for c in created]).update(total_due_at=row.total_due_at)
            for child in created:
                child.total_due_at = row.total_due_at
        numbers = [c.tracking_number for c in created]
        transitions.apply(
            row,
            actor=actor,
            action="split",
            target=target,
            changes={"outcome": Outcome.SPLIT, "closed_at": now},
            reason=reason,
            now=now,
            data={"parts": numbers},
        )
        notify.notify_residents(
            row,
            gettext_lazy("split into %(parts)s, each handled on its own"),
            sms=False,
            parts="、".join(numbers),
        )
        return created
