"""吹哨报到: the handling unit summons departments; each reports in, then completes its part, each by its own
deadline; when every part is done the organising unit resolves the appeal (or sends a part back). Summoned units
are looked up through the same scoping selector the pages use.

A part's clocks: report in within N working hours (the deadline rule's default, or what the summoner sets up to
the rule's limit) and finish by a date (at most the appeal's own resolution deadline). The worker warns before
the finish date, marks a missed one, and chases a late report-in: the department is told and so is its leader
(`department_leaders`). The summoner may urge a part, or withdraw it with a reason. A unit with no account in
Linli (a property company, a partner unit) has its report-in and completion recorded by the summoning unit on
its behalf, marked as such."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from linli.accounts.models import User
from linli.core.errors import Conflict, NotFound, PermissionDenied
from linli.core.orgpath import path_ids
from linli.core.roles import UNIT_ROLES, Role
from linli.core.workdays import add_working_time
from linli.territory.models import Organisation

from .. import notify, sla, transitions
from ..choices import Channel
from ..models import Appeal, AppealPart
from ..parts import declined_pending
from ..permissions import Actor, may_act_on_part, may_record_for_part, signed_in_user
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


# A part's finish warning comes when this share of its time is left (as the appeal's own warning).
PART_WARN_SHARE = sla.WARN_SHARE


def report_in_limits(appeal: Appeal) -> tuple[float, float]:
    """(default, limit) in working hours for a summoned unit to report in, from the appeal's deadline rule."""
    rule = appeal.sla_rule
    if rule is not None:
        return rule.report_in_hours, max(rule.report_in_max_hours, rule.report_in_hours)
    default = float(getattr(settings, "LINLI_WHISTLE_REPORT_HOURS", 2))
    return default, max(default, 8.0)


def part_clocks(
    appeal: Appeal, *, now: dt.datetime, report_hours: float | None, finish_by: dt.datetime | None
) -> dict[str, dt.datetime]:
    """The deadlines of a new part, checked against the rule: report-in hours within (0, limit], the finish
    date after now and at most the appeal's resolution deadline. A field error names what is wrong."""
    default, limit = report_in_limits(appeal)
    hours = default if report_hours is None else float(report_hours)
    if not 0 < hours <= limit:
        raise field_error(
            "report_hours",
            _("Report in within more than 0 and at most %(limit)s working hours.") % {"limit": f"{limit:g}"},
        )
    ceiling = appeal.resolve_due_at
    due = finish_by or ceiling
    if due is not None and due <= now:
        raise field_error("finish_by", _("The finish date must be in the future."))
    if finish_by is not None and ceiling is not None and finish_by > ceiling:
        raise field_error(
            "finish_by",
            _("The finish date may be at most the appeal's own deadline, %(due)s.")
            % {"due": timezone.localtime(ceiling).strftime("%Y-%m-%d %H:%M")},
        )
    report_due = add_working_time(now, hours=hours)
    if due is not None:
        report_due = min(report_due, due)
    clocks = {"report_due_at": report_due}
    if due is not None:
        clocks |= {"due_at": due, "warn_at": due - (due - now) * PART_WARN_SHARE}
    return clocks


def appeal_whistle(
    *,
    actor: Actor,
    appeal: Appeal,
    units: Sequence[Organisation],
    reason: str,
    channel: str = Channel.WEB,
    report_hours: float | None = None,
    finish_by: dt.datetime | None = None,
) -> list[AppealPart]:
    """吹哨报到: a community or street handler summons departments; each reports in within `report_hours`
    working hours (default: the deadline rule's) and completes its part by `finish_by` (default: the appeal's
    own deadline)."""
    reason = clean_text("reason", reason, required=True, maximum=NOTE_MAX, minimum=DESCRIPTION_MIN)
    if not units:
        raise field_error("organisations", _("Choose at least one department or unit to summon."))
    with transaction.atomic():
        row, target = transitions.lock_for(actor, appeal, "whistle")
        units = _within_reach(actor, units)
        now = timezone.now()
        clocks = part_clocks(row, now=now, report_hours=report_hours, finish_by=finish_by)
        live = set(row.parts.filter(withdrawn_at__isnull=True).values_list("organisation_id", flat=True))
        parts = []
        for unit in units:
            if unit.pk in live:
                raise field_error("organisations", _("%(unit)s is already summoned.") % {"unit": unit.name})
            parts.append(
                AppealPart.objects.create(
                    appeal=row, organisation=unit, summoned_by=signed_in_user(actor), **clocks
                )
            )
            live.add(unit.pk)
        transitions.apply(
            row,
            actor=actor,
            action="whistle",
            target=target,
            reason=reason,
            channel=channel,
            now=now,
            data={
                "units": [u.name for u in units],
                "report_due_at": clocks["report_due_at"].isoformat(),
                "due_at": clocks["due_at"].isoformat() if "due_at" in clocks else None,
            },
        )
        for part in parts:
            notify.notify_staff(
                part_handlers(part),
                row,
                gettext_lazy("Whistle: report in for %(number)s by %(due)s"),
                reason,
                due=timezone.localtime(part.report_due_at).strftime("%m-%d %H:%M"),
            )
        return parts


def _part_lock(part: AppealPart, actor: Actor, action: str) -> tuple[Appeal, str, AppealPart, bool]:
    """Lock the appeal for `action` (transitions.lock), then the part: its organisation's people (or a
    superuser, or the system) act on it, or — for a unit with no account in Linli — the summoning unit on its
    behalf. Returns the appeal, the target state, the part and whether it is recorded on the unit's behalf."""
    row, target = transitions.lock(part.appeal_id, action)
    locked = AppealPart.objects.select_for_update().select_related("organisation").get(pk=part.pk)
    if locked.withdrawn_at is not None:
        raise Conflict(_("This summons was withdrawn."))
    on_behalf = False
    if actor is not None and not may_act_on_part(actor, locked):
        if not may_record_for_part(actor, row, locked):
            raise PermissionDenied()
        on_behalf = True
    return row, target, locked, on_behalf


def part_record(
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


def _unit_step(
    actor: Actor,
    part: AppealPart,
    action: str,
    note: str,
    *,
    taken: Callable[[AppealPart], object],
    refusal: str,
    columns: Callable[[AppealPart, dt.datetime], dict[str, Any]],
    due: Callable[[AppealPart], dt.datetime | None],
) -> tuple[Appeal, AppealPart]:
    """A step a summoned unit takes on its own part (report in, complete), or the summoning unit on its behalf
    (_part_lock), inside the caller's transaction: refused with `refusal` when `taken(part)` says it was taken
    already, written (its columns and the on-behalf mark) and traced, late when past `due(part)`."""
    row, target, locked, on_behalf = _part_lock(part, actor, action)
    if taken(locked):
        raise Conflict(refusal)
    now = timezone.now()
    due_at = due(locked)
    part_record(
        row,
        locked,
        actor=actor,
        action=action,
        target=target,
        note=note,
        now=now,
        columns={**columns(locked, now), "on_behalf": locked.on_behalf or on_behalf},
        late=due_at is not None and now > due_at,
        on_behalf=on_behalf,
    )
    return row, locked


def part_report_in(*, actor: Actor, part: AppealPart, note: str = "") -> AppealPart:
    note = clean_text("note", note, required=False, maximum=COMMENT_MAX)
    with transaction.atomic():
        _row, locked = _unit_step(
            actor,
            part,
            "part_report_in",
            note,
            taken=lambda p: p.reported_in_at,
            refusal=_("This unit has already reported in."),
            columns=lambda p, now: {"reported_in_at": now},
            due=lambda p: p.report_due_at,
        )
        locked.refresh_from_db()
        return locked


def part_complete(*, actor: Actor, part: AppealPart, note: str) -> AppealPart:
    """A summoned unit finishes its part, and only its part: when every part is done the organising unit (the
    unit holding the appeal) is told, checks the work and resolves the appeal itself, or sends a part back."""
    note = clean_text("note", note, required=True, maximum=NOTE_MAX, minimum=DESCRIPTION_MIN)
    with transaction.atomic():
        row, locked = _unit_step(
            actor,
            part,
            "part_complete",
            note,
            taken=lambda p: p.done_at,
            refusal=_("This part is already done."),
            columns=lambda p, now: {"done_at": now, "note": note, "reported_in_at": p.reported_in_at or now},
            due=lambda p: p.due_at,
        )
        if not row.parts.filter(done_at__isnull=True, withdrawn_at__isnull=True).exists():
            notify.notify_staff(
                part_organisers(row),
                row,
                gettext_lazy(
                    "Every summoned unit has completed its part of %(number)s: check and resolve it"
                ),
                "\n".join(
                    f"{p.organisation.name}：{p.note}"
                    for p in row.parts.filter(withdrawn_at__isnull=True).select_related("organisation")
                ),
            )
        locked.refresh_from_db()
        return locked


def part_row(row: Appeal, part: AppealPart) -> AppealPart:
    """The part, locked, of the locked appeal `row`; a withdrawn part takes no more steps."""
    locked = (
        AppealPart.objects.select_for_update()
        .select_related("organisation")
        .filter(pk=part.pk, appeal_id=row.pk)
        .first()
    )
    if locked is None:
        raise NotFound()
    if locked.withdrawn_at is not None:
        raise Conflict(_("This summons was withdrawn."))
    return locked


def _organiser_step(
    actor: Actor,
    part: AppealPart,
    action: str,
    note: str,
    *,
    refusal: Callable[[AppealPart], str | None],
    columns: Callable[[AppealPart, dt.datetime], dict[str, Any]],
    title: Promise,
    body: str = "",
    **params: Any,
) -> AppealPart:
    """A step the organising unit takes on a summoned unit's part (send back, withdraw, urge): locked, refused
    with `refusal`'s message when it gives one, written and traced, and the unit's handlers told."""
    with transaction.atomic():
        row, target = transitions.lock_for(actor, part.appeal_id, action)
        locked = part_row(row, part)
        refused = refusal(locked)
        if refused:
            raise Conflict(refused)
        now = timezone.now()
        part_record(
            row,
            locked,
            actor=actor,
            action=action,
            target=target,
            note=note,
            now=now,
            columns=columns(locked, now),
        )
        notify.notify_staff(part_handlers(locked), row, title, body, **params)
        locked.refresh_from_db()
        return locked


def part_send_back(*, actor: Actor, part: AppealPart, note: str) -> AppealPart:
    """The organising unit finds a completed part not done well enough and sends it back with the reason."""
    note = clean_text("note", note, required=True, maximum=NOTE_MAX, minimum=DESCRIPTION_MIN)
    return _organiser_step(
        actor,
        part,
        "part_send_back",
        note,
        refusal=lambda p: (
            _("This part is not done yet, so it cannot be sent back.") if p.done_at is None else None
        ),
        columns=lambda p, now: {"done_at": None, "breached_at": None, "warned_at": None},
        title=gettext_lazy("Your part of %(number)s was sent back: %(reason)s"),
        reason=note,
    )


def part_withdraw(*, actor: Actor, part: AppealPart, reason: str) -> AppealPart:
    """The organising unit withdraws a summons it no longer needs (summoned in error, the work turned out not
    to need the unit), with the reason. A finished part stays: its work was done."""
    reason = clean_text("reason", reason, required=True, maximum=COMMENT_MAX, minimum=DESCRIPTION_MIN)
    return _organiser_step(
        actor,
        part,
        "part_withdraw",
        reason,
        refusal=lambda p: (
            _("This part is already done, so its summons cannot be withdrawn.")
            if p.done_at is not None
            else None
        ),
        columns=lambda p, now: {
            "withdrawn_at": now,
            "withdrawn_by": signed_in_user(actor),
            "withdraw_reason": reason,
        },
        title=gettext_lazy("The summons for %(number)s was withdrawn: %(reason)s"),
        reason=reason,
    )


def _urge_refusal(part: AppealPart) -> str | None:
    if part.done_at is not None:
        return _("This part is already done.")
    if declined_pending(part):
        return _(
            "This unit says the matter is not its duty: insist it does its part or withdraw the summons, "
            "rather than urge it."
        )
    return None


def part_urge(*, actor: Actor, part: AppealPart, note: str = "") -> AppealPart:
    """督办 on a part: the organising unit presses a summoned unit that is late or slow. Not a unit that said the
    matter is not its duty while the summoner decides: that waits on the summoner (insist or withdraw)."""
    note = clean_text("note", note, required=False, maximum=COMMENT_MAX)
    return _organiser_step(
        actor,
        part,
        "part_urge",
        note,
        refusal=_urge_refusal,
        columns=lambda p, now: {"urge_count": p.urge_count + 1, "urged_at": now},
        title=gettext_lazy("Urged: your part of %(number)s"),
        body=note,
    )


def department_leaders(unit: Organisation) -> list[User]:
    """A department's leader (分管领导): a district leader account attached to the department (its
    `organisation`); when none is, the district leaders of the node the department serves (or above it)."""
    attached = list(
        User.objects.filter(organisation=unit, role=Role.DISTRICT_LEADER, is_active=True).order_by("pk")
    )
    if attached or unit.org_node_id is None or unit.org_node is None:
        return attached
    return list(
        User.objects.filter(
            org_node_id__in=path_ids(unit.org_node.path),
            role=Role.DISTRICT_LEADER,
            organisation__isnull=True,
            is_active=True,
        ).order_by("pk")
    )


def part_organisers(row: Appeal) -> list[User]:
    """The organising unit: the staff of the unit holding the appeal, and whoever summoned the parts."""
    summoners = User.objects.filter(pk__in=row.parts.values("summoned_by"), is_active=True)
    return list({u.pk: u for u in [*notify.unit_staff(row), *summoners]}.values())


def part_handlers(part: AppealPart) -> QuerySet[User]:
    """The summoned unit's own people, told of what is asked of it."""
    return User.objects.filter(organisation=part.organisation, role__in=list(UNIT_ROLES), is_active=True)
