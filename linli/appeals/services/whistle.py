"""吹哨报到: the handling unit summons departments; each reports in, then completes its part; when every part is
done the organising unit resolves the appeal (or sends a part back). Summoned units are looked up through the same scoping selector the pages use."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from linli.accounts.models import User
from linli.core.errors import Conflict, NotFound, PermissionDenied
from linli.core.roles import Role
from linli.core.workdays import add_working_time
from linli.territory.models import Organisation

from .. import notify, transitions
from ..choices import Channel
from ..models import Appeal, AppealPart
from ..permissions import Actor, may_act_on_part, signed_in_user
from ..selectors import organisations_for
from ..validation import COMMENT_MAX, DESCRIPTION_MIN, NOTE_MAX, clean_text, field_error


def _within_reach(actor: Actor, units: Sequence[Organisation]) -> list[Organisation]:
    """The summoned units as the actor's scope finds them (the system may summon any)."""
    if actor is None:
        return list(units)
    wanted = [u.pk for u in units]
    found = {o.pk: o for o in organisations_for(actor).filter(pk__in=wanted)}
    if len(found) != len(set(wanted)):
        raise NotFound(_("No such department within your reach."), code="unit_not_found")
    return [found[pk] for pk in wanted]


def appeal_whistle(
    *, actor: Actor, appeal: Appeal, units: Sequence[Organisation], reason: str, channel: str = Channel.WEB
) -> list[AppealPart]:
    """吹哨报到: a community or street handler summons departments; each reports in, then completes its part."""
    reason = clean_text("reason", reason, required=True, maximum=NOTE_MAX, minimum=DESCRIPTION_MIN)
    if not units:
        raise field_error("units", _("Choose at least one department or unit to summon."))
    with transaction.atomic():
        row, target = transitions.lock_for(actor, appeal, "whistle")
        units = _within_reach(actor, units)
        now = timezone.now()
        report_hours = float(getattr(settings, "LINLI_WHISTLE_REPORT_HOURS", 2))
        parts = []
        for unit in units:
            part, created = AppealPart.objects.get_or_create(
                appeal=row,
                organisation=unit,
                defaults={
                    "summoned_by": signed_in_user(actor),
                    "report_due_at": add_working_time(now, hours=report_hours),
                    "due_at": row.resolve_due_at,
                },
            )
            if not created:
                raise field_error("units", _("%(unit)s is already summoned.") % {"unit": unit.name})
            parts.append(part)
        transitions.apply(
            row,
            actor=actor,
            action="whistle",
            target=target,
            reason=reason,
            channel=channel,
            now=now,
            data={"units": [u.name for u in units]},
        )
        for part in parts:
            notify.notify_staff(
                _part_handlers(part),
                row,
                gettext_lazy("Whistle: report in for %(number)s by %(due)s"),
                reason,
                due=timezone.localtime(part.report_due_at).strftime("%m-%d %H:%M"),
            )
        return parts


def _part_lock(part: AppealPart, actor: Actor, action: str) -> tuple[Appeal, str, AppealPart]:
    """Lock the appeal for `action` (transitions.lock), then the part: only the summoned organisation's handlers
    (or a superuser, or the system) act on it. Returns the appeal, the target state and the part."""
    row, target = transitions.lock(part.appeal_id, action)
    locked = AppealPart.objects.select_for_update().select_related("organisation").get(pk=part.pk)
    if actor is not None and not may_act_on_part(actor, locked):
        raise PermissionDenied()
    return row, target, locked


def _part_record(
    row: Appeal,
    part: AppealPart,
    *,
    actor: Actor,
    action: str,
    target: str,
    note: str,
    now: dt.datetime,
    columns: dict[str, Any],
    **data: Any,
) -> None:
    """Write a step on a locked part (its columns) and trace it on the locked appeal, naming the unit."""
    AppealPart.objects.filter(pk=part.pk).update(**columns)
    transitions.apply(
        row,
        actor=actor,
        action=action,
        target=target,
        reason=note,
        now=now,
        data={"unit": part.organisation.name, **data},
    )


def part_report_in(*, actor: Actor, part: AppealPart, note: str = "") -> AppealPart:
    note = clean_text("note", note, required=False, maximum=COMMENT_MAX)
    with transaction.atomic():
        row, target, locked = _part_lock(part, actor, "part_report_in")
        if locked.reported_in_at:
            raise Conflict(_("This unit has already reported in."))
        now = timezone.now()
        _part_record(
            row,
            locked,
            actor=actor,
            action="part_report_in",
            target=target,
            note=note,
            now=now,
            columns={"reported_in_at": now},
            late=now > locked.report_due_at,
        )
        locked.reported_in_at = now
        return locked


def part_complete(*, actor: Actor, part: AppealPart, note: str) -> AppealPart:
    """A summoned unit finishes its part, and only its part: when every part is done the organising unit (the
    unit holding the appeal) is told, checks the work and resolves the appeal itself, or sends a part back."""
    note = clean_text("note", note, required=True, maximum=NOTE_MAX, minimum=DESCRIPTION_MIN)
    with transaction.atomic():
        row, target, locked = _part_lock(part, actor, "part_complete")
        if locked.done_at:
            raise Conflict(_("This part is already done."))
        now = timezone.now()
        _part_record(
            row,
            locked,
            actor=actor,
            action="part_complete",
            target=target,
            note=note,
            now=now,
            columns={"done_at": now, "note": note, "reported_in_at": locked.reported_in_at or now},
        )
        if not row.parts.filter(done_at__isnull=True).exists():
            notify.notify_staff(
                _organisers(row),
                row,
                gettext_lazy(
                    "Every summoned unit has completed its part of %(number)s: check and resolve it"
                ),
                "\n".join(
                    f"{p.organisation.name}：{p.note}" for p in row.parts.select_related("organisation")
                ),
            )
        locked.refresh_from_db()
        return locked


def part_send_back(*, actor: Actor, part: AppealPart, note: str) -> AppealPart:
    """The organising unit finds a completed part not done well enough and sends it back with the reason."""
    note = clean_text("note", note, required=True, maximum=NOTE_MAX, minimum=DESCRIPTION_MIN)
    with transaction.atomic():
        row, target = transitions.lock_for(actor, part.appeal_id, "part_send_back")
        locked = AppealPart.objects.select_for_update().select_related("organisation").get(pk=part.pk)
        if locked.done_at is None:
            raise Conflict(_("This part is not done yet, so it cannot be sent back."))
        now = timezone.now()
        _part_record(
            row,
            locked,
            actor=actor,
            action="part_send_back",
            target=target,
            note=note,
            now=now,
            columns={"done_at": None},
        )
        notify.notify_staff(
            _part_handlers(locked),
            row,
            gettext_lazy("Your part of %(number)s was sent back: %(reason)s"),
            reason=note,
        )
        locked.refresh_from_db()
        return locked


def _organisers(row: Appeal) -> list[User]:
    """The organising unit: the staff of the unit holding the appeal, and whoever summoned the parts."""
    summoners = User.objects.filter(pk__in=row.parts.values("summoned_by"), is_active=True)
    return list({u.pk: u for u in [*notify.unit_staff(row), *summoners]}.values())


def _part_handlers(part: AppealPart) -> QuerySet[User]:
    return User.objects.filter(organisation=part.organisation, role=Role.DEPARTMENT_HANDLER, is_active=True)
