"""Closing an appeal early: merged into another that handles the same problem (并单; its resident follows that one),
or withdrawn by its resident."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from linli.core.errors import NotFound
from linli.core.outbox import notification_create, sms_enqueue

from .. import notify, transitions
from ..choices import AppealState, Channel, Outcome
from ..models import Appeal
from ..permissions import Actor
from ..selectors import appeals_visible_to
from ..validation import COMMENT_MAX, clean_text, field_error


def appeal_merge(*, actor: Actor, appeal: Appeal, primary: Appeal, reason: str = "") -> Appeal:
    """并单: `appeal` duplicates `primary`; it closes as a duplicate and its resident follows the primary."""
    reason = clean_text("reason", reason, required=False, maximum=COMMENT_MAX)
    if appeal.pk == primary.pk:
        raise field_error("primary", _("An appeal cannot be merged into itself."))
    with transaction.atomic():
        row, target = transitions.lock_for(actor, appeal, "merge")
        # The primary is looked up as the pages and the API do: an appeal outside the actor's view is not found.
        if actor is not None and not appeals_visible_to(actor).filter(pk=primary.pk).exists():
            raise NotFound()
        main = Appeal.objects.select_for_update().get(pk=primary.pk)
        if main.primary_id is not None or main.state == AppealState.CLOSED:
            raise field_error("primary", _("Merge into an appeal that is still open and not itself merged."))
        now = timezone.now()
        transitions.apply(
            row,
            actor=actor,
            action="merge",
            target=target,
            changes={"primary": main, "outcome": Outcome.DUPLICATE, "closed_at": now},
            reason=reason,
            now=now,
            data={"primary": main.tracking_number},
        )
        Appeal.objects.filter(primary=row).update(primary=main, updated_at=now)
        transitions.record_note(
            main,
            actor=actor,
            reason=_("%(number)s merged into this appeal.") % {"number": row.tracking_number},
            data={"merged": row.tracking_number},
            now=now,
        )
        with notify.in_deployment_language():
            text = _("joined %(number)s, which handles the same problem; you will hear of its progress") % {
                "number": main.tracking_number
            }
            if row.resident is not None:
                notification_create(
                    user=row.resident, title=f"{row.tracking_number} {text}", url=notify.resident_url(main)
                )
            if row.contact_phone in notify.proven_phones([row.contact_phone]):
                sms_enqueue(
                    phone=row.contact_phone,
                    text=_("[Linli] Appeal %(number)s: %(title)s")
                    % {"number": row.tracking_number, "title": text},
                )
        return row


def appeal_withdraw(
    *, actor: Actor, appeal: Appeal, reason: str = "", phone: str = "", channel: str = Channel.WEB
) -> Appeal:
    reason = clean_text("reason", reason, required=False, maximum=COMMENT_MAX)
    with transaction.atomic():
        row = transitions.step(
            actor,
            appeal,
            "withdraw",
            changes=lambda row, now: {"outcome": Outcome.WITHDRAWN, "closed_at": now},
            reason=reason,
            channel=channel,
            phone=phone,
        )
        notify.notify_staff(
            notify.unit_staff(row), row, gettext_lazy("Withdrawn by the resident: %(number)s"), reason
        )
        return row
