"""不予公开: the staff handling an appeal keep it off the public pages (三公开) for good, with a reason.

What is public at all is decided in public.py (public categories, the personal ones never shown, and this
column); this room holds the one write that withholds a single appeal."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from linli.core.errors import Conflict

from .. import transitions
from ..choices import Channel
from ..models import Appeal
from ..permissions import Actor, require
from ..validation import NOTE_MAX, clean_text


def appeal_withhold(*, actor: Actor, appeal: Appeal, reason: str, channel: str = Channel.WEB) -> Appeal:
    """Withhold `appeal` from the public pages, the public map, the Open311 feed and the map when reporting; the
    residents who followed it no longer see it there nor hear of it. Who may: `permissions.ACTION_RULES
    ["withhold"]` (its unit or the tier above, while its category is public). The reason is required and traced
    (the `withhold` event)."""
    reason = clean_text("reason", reason, required=True, maximum=NOTE_MAX)
    with transaction.atomic():
        row, target = transitions.lock(appeal, "withhold")
        if row.disclosure_withheld:
            raise Conflict(_("This appeal is already withheld from the public pages."))
        require(actor, "withhold", row)
        return transitions.apply(
            row,
            actor=actor,
            action="withhold",
            target=target,
            changes={"disclosure_withheld": True},
            reason=reason,
            channel=channel,
        )
