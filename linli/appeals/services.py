"""Every write to appeals: intake, dispatch, handling, return, escalation, extension, urging, whistle, rating,
rework, closing, merge, withdrawal and the worker's warnings and breaches.

Each transition is written one way, with the machinery in transitions.py: lock the row and check the one table
of allowed transitions (`_locked`), check who may act, compare-and-swap the new state and columns and append the
trace row (`_apply`), then notify (inbox rows in the transaction, SMS via the outbox after the commit).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from linli.core.errors import Conflict, PermissionDenied
from linli.core.roles import Role
from linli.core.scoping import is_staff_member
from linli.core.validators import validate_phone
from linli.core.workdays import add_working_time
from linli.territory.models import Grid, Organisation, OrgNode

from . import notify, routing, sla
from .choices import (
    RESOLVE_OUTCOMES,
    AppealKind,
    AppealState,
    CallbackStatus,
    Channel,
    ExtensionStatus,
    Outcome,
    PhotoStage,
    Priority,
    Rating,
    Tier,
)
from .models import (
    Appeal,
    AppealEvent,
    AppealPart,
    AppealRating,
    CallbackTask,
    Category,
    ExtensionRequest,
    UrgeRecord,
)
from .permissions import actor_level, is_appeal_resident, may_handle, may_supervise
from .transitions import (
    DESCRIPTION_MAX,
    DESCRIPTION_MIN,
    MAX_PHOTOS,
    NOTE_MAX,
    RUNNING_STATES,
    TITLE_MAX,
    _actor_name,
    _actor_or_none,
    _apply,
    _fail,
    _lang,
    _locked,
    _now,
    _require,
    _require_handler,
    _require_supervisor,
    _save_photos,
    _text,
    validate_photo,
)
from .workflow import TRANSITIONS, check

# --- intake -----------------------------------------------------------------------------------------------


def _classify(title: str, text: str) -> tuple[Category | None, float | None]:
    """The triage suggestion when its confidence reaches LINLI_TRIAGE_THRESHOLD (else a person chooses)."""
    try:
        from linli.triage.services import classify
    except ImportError:
        return None, None
    try:
        suggestion = classify(title=title, text=text)
    except Exception:  # a broken model must never lose an appeal; it simply waits for a person
        return None, None
    confidence = float(getattr(suggestion, "confidence", 0.0))
    threshold = float(getattr(settings, "LINLI_TRIAGE_THRESHOLD", 0.6))
    if confidence < threshold:
        return None, confidence
    return routing.category_by_code(str(getattr(suggestion, "category_code", ""))), confidence


def _locate(lng: float | None, lat: float | None) -> Grid | None:
    if lng is None or lat is None:
        return None
    try:
        from linli.territory.locator import grid_for_point
    except ImportError:
        return None
    grid_id = grid_for_point(lng, lat)
    return routing.grid_for_dispatch(grid_id) if grid_id else None


def _phone_of(user: Any) -> str:
    return str(getattr(user, "phone", "") or "")


def _existing_for_key(key: str, actor: Any, contact_phone: str) -> Appeal | None:
    found = Appeal.objects.filter(idempotency_key=key).first()
    if found is None:
        return None
    same_person = (getattr(actor, "is_authenticated", False) and found.submitted_by_id == actor.pk) or (
        not getattr(actor, "is_authenticated", False)
        and found.submitted_by_id is None
        and found.contact_phone == contact_phone
    )
    if not same_person:
        raise Conflict(
            _("This Idempotency-Key was already used for another appeal."), code="idempotency_key_reused"
        )
    return found


def appeal_submit(
    *,
    actor: Any,
    kind: str,
    description: str,
    channel: str,
    title: str = "",
    category_code: str = "",
    contact_name: str = "",
    contact_phone: str = "",
    lng: float | None = None,
    lat: float | None = None,
    address: str = "",
    grid: Grid | None = None,
    grid_code: str = "",
    priority: str = Priority.NORMAL,
    photos: Sequence[UploadedFile] = (),
    idempotency_key: str = "",
    resident: Any = None,
) -> Appeal:
    """Accept an appeal from any channel, then classify, locate, route and start its clocks.

    A repeated idempotency key from the same submitter returns the appeal it created. Staff submitting on
    behalf of a caller (hotline, patrol) give the caller's name and number; a signed-in resident is the resident.
    """
    key = (idempotency_key or "").strip()[:100]
    if key:
        found = _existing_for_key(key, actor, contact_phone.strip())
        if found is not None:
            return found
    if kind not in AppealKind.values:
        raise _fail("kind", _("Choose a kind: consultation, request for help, complaint or suggestion."))
    if channel not in Channel.values:
        raise _fail("channel", _("Unknown channel."))
    if priority not in Priority.values:
        raise _fail("priority", _("Unknown priority."))
    description = _text(
        "description", description, required=True, maximum=DESCRIPTION_MAX, minimum=DESCRIPTION_MIN
    )
    title = _text("title", title, required=False, maximum=TITLE_MAX) or description.splitlines()[0][:30]
    contact_name = _text("contact_name", contact_name, required=False, maximum=50)
    address = _text("address", address, required=False, maximum=200)
    signed_in_resident = (
        getattr(actor, "is_authenticated", False) and getattr(actor, "role", None) == Role.RESIDENT
    )
    if resident is None and signed_in_resident:
        resident = actor
    if contact_phone.strip():
        try:
            contact_phone = validate_phone(contact_phone)
        except ValidationError as exc:
            raise _fail("contact_phone", str(exc.messages[0])) from None
    elif resident is not None and _phone_of(resident):
        contact_phone = _phone_of(resident)
    elif channel not in (Channel.PATROL, Channel.SENSOR):
        raise _fail("contact_phone", _("Give a mobile number so that we can tell you how it goes."))
    if (lng is None) != (lat is None):
        raise _fail("lng", _("Give both longitude and latitude, or neither."))
    if lng is not None and lat is not None and not (73 <= lng <= 136 and 3 <= lat <= 54):
        raise _fail("lng", _("This position is outside China; place the pin again."))
    if len(photos) > MAX_PHOTOS:
        raise _fail("photos", _("At most %(n)s photos per appeal.") % {"n": MAX_PHOTOS})
    for upload in photos:
        validate_photo(upload)
    category = None
    if category_code:
        category = Category.objects.filter(code=category_code, active=True).first()
        if category is None:
            raise _fail("category_code", _("Unknown category."))
    if grid is None and grid_code:
        grid = Grid.objects.select_related("org_node").filter(code=grid_code).first()
        if grid is None:
            raise _fail("grid_code", _("Unknown grid code."))
    if grid is None:
        grid = _locate(lng, lat)
    if grid is not None and lng is None:
        lng, lat = grid.centroid_lng, grid.centroid_lat
    now = _now()
    try:
        with transaction.atomic():
            appeal = Appeal.objects.create(
                tracking_number=f"tmp-{uuid.uuid4().hex[:20]}",
                kind=kind,
                category=category,
                title=title,
                description=description,
                channel=channel,
                resident=resident if getattr(resident, "pk", None) else None,
                submitted_by=_actor_or_none(actor),
                contact_name=contact_name or (getattr(resident, "display_name", "") if resident else ""),
                contact_phone=contact_phone,
                lng=lng,
                lat=lat,
                address=address,
                grid=grid,
                org_path=grid.org_node.path if grid is not None else "",
                priority=priority,
                idempotency_key=key or None,
            )
            appeal.tracking_number = f"LL{timezone.localtime(now):%Y%m%d}-{appeal.pk:06d}"
            appeal.save(update_fields=["tracking_number"])
            AppealEvent.objects.create(
                appeal=appeal,
                at=now,
                actor=_actor_or_none(actor),
                actor_name=_actor_name(actor),
                action="submit",
                to_state=AppealState.ACCEPTED,
                channel=channel,
            )
            _save_photos(appeal, photos, stage=PhotoStage.INTAKE, actor=actor)
            from .duplicates import duplicates_flag

            duplicates_flag(appeal=appeal, now=now)
            if category is not None and channel not in (Channel.API, Channel.SENSOR, Channel.OPEN311):
                _record_label(actor, appeal, category, source="intake")
            if category is None:
                suggested, confidence = _classify(title, description)
                appeal.triage_confidence = confidence
                if suggested is not None:
                    appeal.category = suggested
                    appeal.save(update_fields=["category", "triage_confidence"])
                    _apply(
                        appeal,
                        actor=None,
                        action="classify",
                        target=appeal.state,
                        channel=Channel.SYSTEM,
                        data={"category": suggested.code, "confidence": confidence},
                        now=now,
                    )
                elif confidence is not None:
                    appeal.save(update_fields=["triage_confidence"])
            with _lang():
                notify.notify_residents(
                    appeal,
                    _("received; tracking number %(number)s") % {"number": appeal.tracking_number},
                    sms=bool(appeal.contact_phone),
                )
            if not routing.active_catalogue():
                routing.catalogue_create_default()
            found_route = routing.route(category=appeal.category, grid=grid, node=None)
            if found_route is not None:
                _dispatch_to(
                    appeal,
                    actor=None,
                    tier=found_route.tier,
                    unit_node=found_route.unit_node,
                    unit_org=found_route.unit_org,
                    version=found_route.version,
                    reason=_("Routed by the dispatch catalogue v%(n)s.")
                    % {"n": found_route.version.number if found_route.version else "-"},
                    channel=Channel.SYSTEM,
                    now=now,
                )
            elif is_staff_member(actor):
                with _lang():
                    notify.notify_staff(
                        notify.supervisors(appeal), appeal, _("New appeal waiting to be dispatched")
                    )
    except IntegrityError:
        if key:
            found = Appeal.objects.filter(idempotency_key=key).first()
            if found is not None:
                return found
        raise
    return appeal


# --- dispatch, acknowledge, contact, work -------------------------------------------------------------------


def _dispatch_to(
    row: Appeal,
    *,
    actor: Any,
    tier: str,
    unit_node: OrgNode | None,
    unit_org: Organisation | None,
    version: Any = None,
    reason: str = "",
    channel: str = "",
    now: dt.datetime | None = None,
    action: str = "dispatch",
    extra: dict[str, Any] | None = None,
) -> Appeal:
    now = now or _now()
    target = check(action, row.state)
    row.tier = tier
    deadlines = sla.deadlines_for(row, now, tier=tier)
    changes: dict[str, Any] = {
        "tier": tier,
        "unit_node": unit_node,
        "unit_org": unit_org,
        "dispatched_at": now,
        "acknowledged_at": None,
        "clock_started_at": now,
        **deadlines.as_fields(),
        **(extra or {}),
    }
    if version is not None:
        changes["catalogue_version"] = version
    if not row.org_path:
        node = unit_node or (unit_org.org_node if unit_org is not None else None)
        if node is not None:
            changes["org_path"] = node.path
    row.unit_node, row.unit_org = unit_node, unit_org
    _apply(
        row,
        actor=actor,
        action=action,
        target=target,
        changes=changes,
        reason=reason,
        channel=channel,
        now=now,
        data={"tier": tier, "unit": row.unit_name},
    )
    with _lang():
        notify.notify_staff(
            notify.unit_staff(row),
            row,
            _("New work order %(number)s: %(title)s") % {"number": row.tracking_number, "title": row.title},
        )
        if action == "dispatch":
            notify.notify_residents(row, _("passed to %(unit)s") % {"unit": row.unit_name})
    return row


def _resolve_unit(
    row: Appeal, *, tier: str = "", unit_node: OrgNode | None = None, unit_org: Organisation | None = None
) -> tuple[str, OrgNode | None, Organisation | None]:
    if unit_org is not None:
        return Tier.DEPARTMENT, None, unit_org
    if unit_node is not None:
        if tier == Tier.GRID:
            if row.grid is None or row.grid.org_node_id != unit_node.pk:
                raise _fail("tier", _("Only an appeal placed in a grid can go to its grid worker."))
            return Tier.GRID, unit_node, None
        return routing.tier_of_node(unit_node), unit_node, None
    if tier:
        if tier == Tier.DEPARTMENT:
            raise _fail("unit_org", _("Choose the department."))
        used, node = routing.unit_for_tier(tier, grid=row.grid, node=row.unit_node)
        if node is None:
            raise _fail("tier", _("This appeal has no place, so choose the unit itself."))
        return used, node, None
    raise _fail("unit", _("Choose where the appeal goes."))


def appeal_dispatch(
    *,
    actor: Any,
    appeal: Appeal,
    tier: str = "",
    unit_node: OrgNode | None = None,
    unit_org: Organisation | None = None,
    category_code: str = "",
    reason: str = "",
    channel: str = Channel.WEB,
) -> Appeal:
    """A person dispatches an accepted appeal (triage) or re-dispatches a returned one (the tier above)."""
    reason = _text("reason", reason, required=False, maximum=NOTE_MAX)
    with transaction.atomic():
        row, _target = _locked(appeal, "dispatch")
        _require_supervisor(actor, row)
        if category_code:
            category = Category.objects.filter(code=category_code, active=True).first()
            if category is None:
                raise _fail("category_code", _("Unknown category."))
            if category.pk != row.category_id:
                _record_label(actor, row, category)
                row.category = category
                Appeal.objects.filter(pk=row.pk).update(category=category, updated_at=_now())
        if row.category_id is None:
            raise _fail("category_code", _("Choose a category first."))
        new_tier, node, org = _resolve_unit(row, tier=tier, unit_node=unit_node, unit_org=unit_org)
        same_unit = (node, org) == (row.unit_node, row.unit_org) and new_tier == row.tier
        if row.state == AppealState.RETURNED and same_unit and not reason:
            raise _fail("reason", _("The unit returned this appeal; say why it must handle it after all."))
        return _dispatch_to(
            row,
            actor=actor,
            tier=new_tier,
            unit_node=node,
            unit_org=org,
            reason=reason,
            channel=channel,
            version=routing.active_catalogue(),
        )


def _record_label(actor: Any, row: Appeal, category: Category, source: str = "correction") -> None:
    """A person's category choice teaches the classifier (when the triage app offers it)."""
    try:
        from linli.triage.services import labelled_example_record
    except ImportError:
        return
    labelled_example_record(
        actor=actor, title=row.title, text=row.description, category_code=category.code, source=source
    )


def appeal_acknowledge(*, actor: Any, appeal: Appeal, channel: str = Channel.WEB) -> Appeal:
    with transaction.atomic():
        row, target = _locked(appeal, "acknowledge")
        _require_handler(actor, row)
        now = _now()
        _apply(
            row,
            actor=actor,
            action="acknowledge",
            target=target,
            changes={"acknowledged_at": now},
            channel=channel,
            now=now,
        )
        with _lang():
            notify.notify_residents(row, _("acknowledged by %(unit)s") % {"unit": row.unit_name})
        return row


def appeals_acknowledge_bulk(
    *, actor: Any, appeals: Sequence[Appeal], channel: str = Channel.WEB
) -> dict[str, list[str]]:
    """Acknowledge many; each one on its own, so one conflict does not undo the others."""
    done: list[str] = []
    failed: list[str] = []
    for appeal in appeals:
        try:
            appeal_acknowledge(actor=actor, appeal=appeal, channel=channel)
            done.append(appeal.tracking_number)
        except (Conflict, PermissionDenied):
            failed.append(appeal.tracking_number)
    return {"acknowledged": done, "failed": failed}


def appeal_contact(*, actor: Any, appeal: Appeal, note: str = "", channel: str = Channel.HOTLINE) -> Appeal:
    """Record a contact with the resident (the first one stops the first-contact clock)."""
    note = _text("note", note, required=False, maximum=NOTE_MAX)
    with transaction.atomic():
        row, target = _locked(appeal, "contact")
        _require_handler(actor, row)
        now = _now()
        changes = {} if row.first_contact_at else {"first_contact_at": now}
        return _apply(
            row,
            actor=actor,
            action="contact",
            target=target,
            changes=changes,
            reason=note,
            channel=channel,
            now=now,
        )


def appeal_start(*, actor: Any, appeal: Appeal, note: str = "", channel: str = Channel.WEB) -> Appeal:
    note = _text("note", note, required=False, maximum=NOTE_MAX)
    with transaction.atomic():
        row, target = _locked(appeal, "start")
        _require_handler(actor, row)
        _apply(row, actor=actor, action="start", target=target, reason=note, channel=channel)
        with _lang():
            notify.notify_residents(row, _("work has started"))
        return row


def appeal_pause(*, actor: Any, appeal: Appeal, reason: str, channel: str = Channel.WEB) -> Appeal:
    """Stop the clocks while waiting on the resident (documents, access to the home…)."""
    reason = _text("reason", reason, required=True, maximum=NOTE_MAX)
    with transaction.atomic():
        row, target = _locked(appeal, "pause")
        _require_handler(actor, row)
        now = _now()
        _apply(
            row,
            actor=actor,
            action="pause",
            target=target,
            changes={"paused_at": now, "state_before_pause": row.state},
            reason=reason,
            channel=channel,
            now=now,
        )
        with _lang():
            notify.notify_residents(row, _("we are waiting for you: %(reason)s") % {"reason": reason})
        return row


def appeal_resume(*, actor: Any, appeal: Appeal, note: str = "", channel: str = Channel.WEB) -> Appeal:
    note = _text("note", note, required=False, maximum=NOTE_MAX)
    with transaction.atomic():
        row, target = _locked(appeal, "resume")
        _require_handler(actor, row)
        now = _now()
        changes = {**sla.resume_fields(row, now), "state_before_pause": ""}
        with _lang():
            notify.notify_residents(row, _("work has resumed"))
        return _apply(
            row,
            actor=actor,
            action="resume",
            target=target,
            changes=changes,
            reason=note,
            channel=channel,
            now=now,
        )


def appeal_resolve(
    *,
    actor: Any,
    appeal: Appeal,
    note: str,
    outcome: str = Outcome.FIXED,
    photos: Sequence[UploadedFile] = (),
    channel: str = Channel.WEB,
) -> Appeal:
    """Resolved needs a note; a closed-without-fix outcome (not our responsibility, no further action) is kept
    distinct from fixed."""
    note = _text("note", note, required=True, maximum=NOTE_MAX, minimum=DESCRIPTION_MIN)
    if outcome not in [str(o) for o in RESOLVE_OUTCOMES]:
        raise _fail(
            "outcome", _("Choose an outcome: fixed, answered, not our responsibility or no further action.")
        )
    for upload in photos:
        validate_photo(upload)
    with transaction.atomic():
        row, target = _locked(appeal, "resolve")
        _require_handler(actor, row)
        if outcome == Outcome.ANSWERED and row.kind != AppealKind.CONSULTATION:
            raise _fail("outcome", _("Only a consultation can be closed as answered."))
        if row.parts.filter(done_at__isnull=True).exists():
            raise _fail("outcome", _("Summoned departments have not finished their parts yet."))
        return _resolve(
            row, actor=actor, target=target, note=note, outcome=outcome, photos=photos, channel=channel
        )


def _resolve(
    row: Appeal,
    *,
    actor: Any,
    target: str,
    note: str,
    outcome: str,
    photos: Sequence[UploadedFile] = (),
    channel: str = "",
) -> Appeal:
    now = _now()
    wait = dt.timedelta(hours=float(getattr(settings, "LINLI_RATING_WAIT_HOURS", 72)))
    changes = {
        "resolved_at": now,
        "outcome": outcome,
        "resolution_note": note,
        "resolved_tier": row.tier,
        "resolved_on_time": bool(row.resolve_due_at is None or now <= row.resolve_due_at)
        and not row.events.filter(action="breach", data__clock="resolve").exists(),
        "callback_due_at": now + wait,
        "first_contact_at": row.first_contact_at or now,
        "acknowledged_at": row.acknowledged_at or now,
    }
    _apply(
        row,
        actor=actor,
        action="resolve",
        target=target,
        changes=changes,
        reason=note,
        channel=channel,
        now=now,
        data={"outcome": outcome},
    )
    _save_photos(row, photos, stage=PhotoStage.RESOLUTION, actor=actor)
    with _lang():
        notify.notify_residents(
            row,
            _("resolved (%(outcome)s). Please rate how it was handled.")
            % {"outcome": Outcome(outcome).label},
        )
    return row


def appeal_answer_on_first_contact(
    *, actor: Any, appeal: Appeal, answer: str, channel: str = Channel.HOTLINE
) -> Appeal:
    """A hotline consultation answered on the spot: closed at first contact, outcome answered."""
    answer = _text("answer", answer, required=True, maximum=NOTE_MAX, minimum=DESCRIPTION_MIN)
    with transaction.atomic():
        row, target = _locked(appeal, "answer")
        if row.kind != AppealKind.CONSULTATION:
            raise _fail("answer", _("Only a consultation can be answered at first contact."))
        allowed = actor is not None and (
            (
                getattr(actor, "is_authenticated", False)
                and row.submitted_by_id == actor.pk
                and is_staff_member(actor)
            )
            or may_handle(actor, row)
            or may_supervise(actor, row)
        )
        _require(actor is None or allowed)
        now = _now()
        changes = {
            "outcome": Outcome.ANSWERED,
            "resolution_note": answer,
            "resolved_at": now,
            "closed_at": now,
            "first_contact_at": now,
            "resolved_tier": row.tier or "",
            "resolved_on_time": True,
        }
        _apply(
            row,
            actor=actor,
            action="answer",
            target=target,
            changes=changes,
            reason=answer,
            channel=channel,
            now=now,
        )
        with _lang():
            notify.notify_residents(row, _("answered: %(answer)s") % {"answer": answer[:60]})
        return row


# --- return, escalate, extension, urge ------------------------------------------------------------------------


def appeal_return(*, actor: Any, appeal: Appeal, reason: str, channel: str = Channel.WEB) -> Appeal:
    """The unit says it is the wrong unit; the tier above re-dispatches."""
    reason = _text("reason", reason, required=True, maximum=NOTE_MAX, minimum=DESCRIPTION_MIN)
    with transaction.atomic():
        row, target = _locked(appeal, "return")
        _require_handler(actor, row)
        _apply(
            row,
            actor=actor,
            action="return",
            target=target,
            changes={"return_count": row.return_count + 1},
            reason=reason,
            channel=channel,
        )
        with _lang():
            notify.notify_staff(
                notify.supervisors(row),
                row,
                _("%(unit)s returned %(number)s: %(reason)s")
                % {"unit": row.unit_name, "number": row.tracking_number, "reason": reason},
            )
            notify.notify_residents(row, _("being passed to the unit responsible"))
        return row


def appeal_escalate(
    *, actor: Any, appeal: Appeal, reason: str, automatic: bool = False, channel: str = Channel.WEB
) -> Appeal:
    """Pass the appeal one tier up (by its handler, the tier above, or automatically on a breach)."""
    reason = _text("reason", reason, required=True, maximum=NOTE_MAX)
    with transaction.atomic():
        row, _target = _locked(appeal, "escalate")
        if actor is not None:
            _require(may_handle(actor, row) or may_supervise(actor, row))
        tier, node = routing.tier_above(row.tier or Tier.GRID, grid=row.grid, node=row.unit_node)
        if node is None:
            raise _fail("tier", _("This appeal is already at the top tier."))
        _dispatch_to(
            row,
            actor=actor,
            tier=tier,
            unit_node=node,
            unit_org=None,
            reason=reason,
            channel=Channel.SYSTEM if automatic else channel,
            action="escalate",
            extra={"escalation_count": row.escalation_count + 1},
        )
        with _lang():
            notify.notify_residents(row, _("taken up by %(unit)s") % {"unit": row.unit_name})
        return row


def appeal_extension_request(
    *, actor: Any, appeal: Appeal, days: int, reason: str, channel: str = Channel.WEB
) -> ExtensionRequest:
    reason = _text("reason", reason, required=True, maximum=1000, minimum=DESCRIPTION_MIN)
    if not 1 <= int(days) <= 30:
        raise _fail("days", _("Ask for 1 to 30 working days."))
    with transaction.atomic():
        row, target = _locked(appeal, "extension_request")
        _require_handler(actor, row)
        if row.extensions.filter(status=ExtensionStatus.PENDING).exists():
            raise Conflict(_("An extension request is already waiting for a decision."))
        now = _now()
        request = ExtensionRequest.objects.create(
            appeal=row, requested_by=_actor_or_none(actor), days=days, reason=reason, requested_at=now
        )
        _apply(
            row,
            actor=actor,
            action="extension_request",
            target=target,
            reason=reason,
            channel=channel,
            now=now,
            data={"days": days, "request": request.pk},
        )
        with _lang():
            notify.notify_staff(
                notify.supervisors(row),
                row,
                _("Extension of %(days)s working days requested for %(number)s")
                % {"days": days, "number": row.tracking_number},
            )
        return request


def _decide_extension(*, actor: Any, request: ExtensionRequest, approve: bool, note: str) -> ExtensionRequest:
    note = _text("note", note, required=not approve, maximum=1000)
    action = "extension_approve" if approve else "extension_reject"
    with transaction.atomic():
        row, target = _locked(request.appeal_id, action)
        _require_supervisor(actor, row)
        now = _now()
        if (
            ExtensionRequest.objects.filter(pk=request.pk, status=ExtensionStatus.PENDING).update(
                status=ExtensionStatus.APPROVED if approve else ExtensionStatus.REJECTED,
                decided_by=_actor_or_none(actor),
                decided_at=now,
                decision_note=note,
            )
            != 1
        ):
            raise Conflict(_("This extension request was already decided."))
        changes = sla.extend_fields(row, request.days) if approve else {}
        _apply(
            row,
            actor=actor,
            action=action,
            target=target,
            changes=changes,
            reason=note,
            now=now,
            data={"days": request.days},
        )
        with _lang():
            title = (
                _("Extension approved for %(number)s") if approve else _("Extension refused for %(number)s")
            ) % {"number": row.tracking_number}
            notify.notify_staff(notify.unit_staff(row), row, title, note)
            if approve:
                notify.notify_residents(
                    row, _("the deadline was extended by %(days)s working days") % {"days": request.days}
                )
        request.refresh_from_db()
        return request


def appeal_extension_approve(*, actor: Any, request: ExtensionRequest, note: str = "") -> ExtensionRequest:
    return _decide_extension(actor=actor, request=request, approve=True, note=note)


def appeal_extension_reject(*, actor: Any, request: ExtensionRequest, note: str) -> ExtensionRequest:
    return _decide_extension(actor=actor, request=request, approve=False, note=note)


def appeal_urge(*, actor: Any, appeal: Appeal, note: str = "", channel: str = Channel.WEB) -> UrgeRecord:
    note = _text("note", note, required=False, maximum=1000)
    with transaction.atomic():
        row, target = _locked(appeal, "urge")
        _require_supervisor(actor, row)
        now = _now()
        record = UrgeRecord.objects.create(appeal=row, by=_actor_or_none(actor), note=note, at=now)
        _apply(
            row,
            actor=actor,
            action="urge",
            target=target,
            changes={"urge_count": row.urge_count + 1},
            reason=note,
            channel=channel,
            now=now,
        )
        with _lang():
            notify.notify_staff(
                notify.unit_staff(row),
                row,
                _("Urged: %(number)s %(title)s") % {"number": row.tracking_number, "title": row.title},
                note,
            )
        return record


# --- whistle ------------------------------------------------------------------------------------------------


def appeal_whistle(
    *, actor: Any, appeal: Appeal, units: Sequence[Organisation], reason: str, channel: str = Channel.WEB
) -> list[AppealPart]:
    """吹哨报到: a community or street handler summons departments; each reports in, then completes its part."""
    reason = _text("reason", reason, required=True, maximum=NOTE_MAX, minimum=DESCRIPTION_MIN)
    if not units:
        raise _fail("units", _("Choose at least one department or unit to summon."))
    with transaction.atomic():
        row, target = _locked(appeal, "whistle")
        level = actor_level(actor) if actor is not None else None
        _require(actor is None or (may_handle(actor, row) and (level or 0) >= 2) or may_supervise(actor, row))
        now = _now()
        report_hours = float(getattr(settings, "LINLI_WHISTLE_REPORT_HOURS", 2))
        parts = []
        for unit in units:
            part, created = AppealPart.objects.get_or_create(
                appeal=row,
                organisation=unit,
                defaults={
                    "summoned_by": _actor_or_none(actor),
                    "report_due_at": add_working_time(now, hours=report_hours),
                    "due_at": row.resolve_due_at,
                },
            )
            if not created:
                raise _fail("units", _("%(unit)s is already summoned.") % {"unit": unit.name})
            parts.append(part)
        _apply(
            row,
            actor=actor,
            action="whistle",
            target=target,
            reason=reason,
            channel=channel,
            now=now,
            data={"units": [u.name for u in units]},
        )
        with _lang():
            from linli.accounts.models import User

            for part in parts:
                notify.notify_staff(
                    User.objects.filter(
                        organisation=part.organisation, role=Role.DEPARTMENT_HANDLER, is_active=True
                    ),
                    row,
                    _("Whistle: report in for %(number)s by %(due)s")
                    % {
                        "number": row.tracking_number,
                        "due": timezone.localtime(part.report_due_at).strftime("%m-%d %H:%M"),
                    },
                    reason,
                )
        return parts


def _part_locked(part: AppealPart, actor: Any) -> AppealPart:
    locked = AppealPart.objects.select_for_update().select_related("organisation").get(pk=part.pk)
    if actor is not None and not getattr(actor, "is_superuser", False):
        _require(getattr(actor, "organisation_id", None) == locked.organisation_id)
    return locked


def part_report_in(*, actor: Any, part: AppealPart, note: str = "") -> AppealPart:
    note = _text("note", note, required=False, maximum=1000)
    with transaction.atomic():
        row, target = _locked(part.appeal_id, "part_report_in")
        locked = _part_locked(part, actor)
        if locked.reported_in_at:
            raise Conflict(_("This unit has already reported in."))
        now = _now()
        AppealPart.objects.filter(pk=locked.pk).update(reported_in_at=now)
        _apply(
            row,
            actor=actor,
            action="part_report_in",
            target=target,
            reason=note,
            now=now,
            data={"unit": locked.organisation.name, "late": now > locked.report_due_at},
        )
        locked.reported_in_at = now
        return locked


def part_complete(*, actor: Any, part: AppealPart, note: str) -> AppealPart:
    """A summoned unit finishes its part; when every part is done the appeal is resolved."""
    note = _text("note", note, required=True, maximum=NOTE_MAX, minimum=DESCRIPTION_MIN)
    with transaction.atomic():
        row, target = _locked(part.appeal_id, "part_complete")
        locked = _part_locked(part, actor)
        if locked.done_at:
            raise Conflict(_("This part is already done."))
        now = _now()
        AppealPart.objects.filter(pk=locked.pk).update(
            done_at=now, note=note, reported_in_at=locked.reported_in_at or now
        )
        _apply(
            row,
            actor=actor,
            action="part_complete",
            target=target,
            reason=note,
            now=now,
            data={"unit": locked.organisation.name},
        )
        if not row.parts.filter(done_at__isnull=True).exists():
            summary = "\n".join(
                f"{p.organisation.name}：{p.note}" for p in row.parts.select_related("organisation")
            )
            if row.state == AppealState.WAITING:
                _apply(
                    row,
                    actor=None,
                    action="resume",
                    target=check("resume", row.state),
                    changes=sla.resume_fields(row, now),
                    channel=Channel.SYSTEM,
                    now=now,
                )
            _resolve(
                row,
                actor=actor,
                target=check("resolve", row.state),
                note=summary[:NOTE_MAX],
                outcome=Outcome.FIXED,
                channel=Channel.SYSTEM,
            )
        locked.refresh_from_db()
        return locked


# --- rating, rework, close, callback ----------------------------------------------------------------------------


def appeal_rate(
    *, actor: Any, appeal: Appeal, value: str, comment: str = "", phone: str = "", channel: str = Channel.WEB
) -> Appeal:
    """The resident rates (or a community worker records the rating given on a callback). Unsatisfied reopens
    the appeal to the same unit with a fresh deadline (rework) and tells everyone concerned."""
    if value not in Rating.values:
        raise _fail("value", _("Choose satisfied, basically satisfied or unsatisfied."))
    comment = _text("comment", comment, required=value == Rating.UNSATISFIED, maximum=1000)
    with transaction.atomic():
        row, _target = _locked(appeal, "rate")
        by_resident = is_appeal_resident(actor, row, phone)
        by_callback = (
            actor is not None
            and not by_resident
            and (may_supervise(actor, row) or may_handle(actor, row))
            and (CallbackTask.objects.filter(appeal=row, status=CallbackStatus.OPEN).exists())
        )
        _require(by_resident or by_callback)
        now = _now()
        rounds = row.ratings.count() + 1
        AppealRating.objects.create(
            appeal=row,
            value=value,
            comment=comment,
            by=_actor_or_none(actor),
            channel=Channel.HOTLINE if by_callback else channel,
            round=rounds,
            at=now,
        )
        CallbackTask.objects.filter(appeal=row, status=CallbackStatus.OPEN).update(
            status=CallbackStatus.DONE, done_at=now, done_by=_actor_or_none(actor)
        )
        if value == Rating.UNSATISFIED:
            _apply(
                row,
                actor=actor,
                action="rate",
                target=AppealState.RATED,
                changes={"rated_at": now},
                reason=comment,
                channel=channel,
                now=now,
                data={"value": value, "round": rounds},
            )
            return _rework(row, actor=actor, reason=comment, now=now)
        _apply(
            row,
            actor=actor,
            action="rate",
            target=check("rate", row.state),
            changes={"rated_at": now},
            reason=comment,
            channel=channel,
            now=now,
            data={"value": value, "round": rounds},
        )
        with _lang():
            notify.notify_staff(
                notify.unit_staff(row),
                row,
                _("Rated %(value)s: %(number)s")
                % {"value": Rating(value).label, "number": row.tracking_number},
                comment,
            )
        return row


def _rework(row: Appeal, *, actor: Any, reason: str, now: dt.datetime) -> Appeal:
    extra = {
        "rework_count": row.rework_count + 1,
        "outcome": "",
        "resolved_at": None,
        "resolved_on_time": None,
        "callback_due_at": None,
        "rated_at": None,
    }
    _dispatch_to(
        row,
        actor=actor,
        tier=row.tier,
        unit_node=row.unit_node,
        unit_org=row.unit_org,
        reason=reason,
        channel=Channel.SYSTEM,
        action="rework",
        extra=extra,
        now=now,
    )
    with _lang():
        notify.notify_residents(
            row,
            _("reopened for rework by %(unit)s; new deadline %(due)s")
            % {
                "unit": row.unit_name,
                "due": timezone.localtime(row.resolve_due_at).strftime("%Y-%m-%d %H:%M")
                if row.resolve_due_at
                else "-",
            },
        )
        notify.notify_staff(
            notify.supervisors(row),
            row,
            _("Rework after an unsatisfied rating: %(number)s") % {"number": row.tracking_number},
            reason,
        )
    return row


def appeal_close(*, actor: Any, appeal: Appeal, reason: str = "", channel: str = Channel.WEB) -> Appeal:
    reason = _text("reason", reason, required=False, maximum=1000)
    with transaction.atomic():
        row, target = _locked(appeal, "close")
        _require_supervisor(actor, row)
        now = _now()
        _apply(
            row,
            actor=actor,
            action="close",
            target=target,
            changes={"closed_at": now},
            reason=reason,
            channel=Channel.SYSTEM if actor is None else channel,
            now=now,
        )
        with _lang():
            notify.notify_residents(row, _("closed"))
        return row


def callback_create(*, appeal: Appeal) -> CallbackTask | None:
    """No rating in time: a callback task for the community (the worker job calls this)."""
    with transaction.atomic():
        row, target = _locked(appeal, "callback")
        if row.callback_due_at is None or CallbackTask.objects.filter(appeal=row).exists():
            return None
        community = None
        base = row.grid.org_node if row.grid_id and row.grid else row.unit_node
        if base is not None:
            chain = routing.ancestors(base)
            community = chain.get("community") or chain.get("street") or base
        task = CallbackTask.objects.create(appeal=row, community=community, created_at=_now())
        _apply(
            row,
            actor=None,
            action="callback",
            target=target,
            changes={"callback_due_at": None},
            channel=Channel.SYSTEM,
        )
        if community is not None:
            from linli.accounts.models import User

            with _lang():
                notify.notify_staff(
                    User.objects.filter(org_node=community, role=Role.COMMUNITY_WORKER, is_active=True),
                    row,
                    _("Call back the resident of %(number)s: no rating yet")
                    % {"number": row.tracking_number},
                )
        return task


def callback_unreachable(*, actor: Any, task: CallbackTask, note: str = "") -> CallbackTask:
    """The resident could not be reached after the callback: the appeal closes without a rating."""
    note = _text("note", note, required=False, maximum=1000)
    with transaction.atomic():
        row, target = _locked(task.appeal_id, "close")
        _require(actor is None or may_supervise(actor, row) or may_handle(actor, row))
        now = _now()
        if (
            CallbackTask.objects.filter(pk=task.pk, status=CallbackStatus.OPEN).update(
                status=CallbackStatus.UNREACHABLE, done_at=now, done_by=_actor_or_none(actor), note=note
            )
            != 1
        ):
            raise Conflict(_("This callback is already done."))
        _apply(
            row, actor=actor, action="close", target=target, changes={"closed_at": now}, reason=note, now=now
        )
        task.refresh_from_db()
        return task


# --- merge, withdraw, comment ------------------------------------------------------------------------------------


def appeal_merge(*, actor: Any, appeal: Appeal, primary: Appeal, reason: str = "") -> Appeal:
    """并单: `appeal` duplicates `primary`; it closes as a duplicate and its resident follows the primary."""
    reason = _text("reason", reason, required=False, maximum=1000)
    if appeal.pk == primary.pk:
        raise _fail("primary", _("An appeal cannot be merged into itself."))
    with transaction.atomic():
        row, target = _locked(appeal, "merge")
        _require(actor is None or may_supervise(actor, row) or may_handle(actor, row))
        main = Appeal.objects.select_for_update().get(pk=primary.pk)
        if main.primary_id is not None or main.state == AppealState.CLOSED:
            raise _fail("primary", _("Merge into an appeal that is still open and not itself merged."))
        now = _now()
        _apply(
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
        AppealEvent.objects.create(
            appeal=main,
            at=now,
            actor=_actor_or_none(actor),
            actor_name=_actor_name(actor),
            action="comment",
            from_state=main.state,
            to_state=main.state,
            reason=_("%(number)s merged into this appeal.") % {"number": row.tracking_number},
            data={"merged": row.tracking_number},
        )
        with _lang():
            text = _("joined %(number)s, which handles the same problem; you will hear of its progress") % {
                "number": main.tracking_number
            }
            for user, phone in [(row.resident, row.contact_phone)]:
                if user is not None:
                    from linli.core.outbox import notification_create

                    notification_create(
                        user=user, title=f"{row.tracking_number} {text}", url=notify.resident_url(main)
                    )
                if phone:
                    from linli.core.outbox import sms_enqueue

                    sms_enqueue(
                        phone=phone,
                        text=_("[Linli] Appeal %(number)s: %(title)s")
                        % {"number": row.tracking_number, "title": text},
                    )
        return row


def appeal_withdraw(
    *, actor: Any, appeal: Appeal, reason: str = "", phone: str = "", channel: str = Channel.WEB
) -> Appeal:
    reason = _text("reason", reason, required=False, maximum=1000)
    with transaction.atomic():
        row, target = _locked(appeal, "withdraw")
        _require(is_appeal_resident(actor, row, phone))
        now = _now()
        _apply(
            row,
            actor=actor,
            action="withdraw",
            target=target,
            changes={"outcome": Outcome.WITHDRAWN, "closed_at": now},
            reason=reason,
            channel=channel,
            now=now,
        )
        with _lang():
            notify.notify_staff(
                notify.unit_staff(row),
                row,
                _("Withdrawn by the resident: %(number)s") % {"number": row.tracking_number},
                reason,
            )
        return row


def appeal_add_photos(
    *, actor: Any, appeal: Appeal, photos: Sequence[UploadedFile], phone: str = ""
) -> Appeal:
    """More photos: the resident's while the appeal is open, the handler's as resolution photos (at most 6 in all)."""
    if not photos:
        raise _fail("photos", _("Choose at least one photo."))
    with transaction.atomic():
        row, target = _locked(appeal, "comment")
        if is_appeal_resident(actor, row, phone) and row.is_open:
            stage = PhotoStage.INTAKE
        elif actor is not None and (may_handle(actor, row) or may_supervise(actor, row)):
            stage = PhotoStage.RESOLUTION
        else:
            raise PermissionDenied()
        _save_photos(row, photos, stage=stage, actor=actor)
        return _apply(
            row,
            actor=actor,
            action="comment",
            target=target,
            reason=_("%(n)s photo(s) added") % {"n": len(photos)},
        )


def appeal_comment(*, actor: Any, appeal: Appeal, note: str, channel: str = Channel.WEB) -> Appeal:
    note = _text("note", note, required=True, maximum=NOTE_MAX)
    with transaction.atomic():
        row, target = _locked(appeal, "comment")
        _require(may_handle(actor, row) or may_supervise(actor, row))
        return _apply(row, actor=actor, action="comment", target=target, reason=note, channel=channel)


# --- worker jobs -----------------------------------------------------------------------------------------------


def appeal_warn(*, appeal: Appeal) -> Appeal:
    """Tell the handler a resolution deadline is near (worker)."""
    with transaction.atomic():
        row, target = _locked(appeal, "warn")
        if row.warned_at is not None or row.state not in RUNNING_STATES:
            return row
        now = _now()
        _apply(
            row,
            actor=None,
            action="warn",
            target=target,
            changes={"warned_at": now},
            channel=Channel.SYSTEM,
            now=now,
        )
        with _lang():
            notify.notify_staff(
                notify.unit_staff(row),
                row,
                _("Due soon: %(number)s by %(due)s")
                % {
                    "number": row.tracking_number,
                    "due": timezone.localtime(row.resolve_due_at).strftime("%m-%d %H:%M")
                    if row.resolve_due_at
                    else "-",
                },
            )
        return row


def appeal_breach(*, appeal: Appeal, clock: str = "resolve") -> Appeal:
    """Mark a missed deadline (worker); a missed resolution escalates when the rule says so."""
    with transaction.atomic():
        row, target = _locked(appeal, "breach")
        now = _now()
        field = {"ack": "ack_breached_at", "contact": "contact_breached_at"}.get(clock, "breached_at")
        due = {"ack": row.ack_due_at, "contact": row.contact_due_at}.get(clock, row.resolve_due_at)
        if clock == "contact" and row.first_contact_at is not None:
            return row
        if clock == "ack" and row.state != AppealState.DISPATCHED:
            return row
        if getattr(row, field) is not None or due is None or due > now or row.state not in RUNNING_STATES:
            return row
        _apply(
            row,
            actor=None,
            action="breach",
            target=target,
            changes={field: now},
            channel=Channel.SYSTEM,
            now=now,
            data={"clock": clock},
        )
        with _lang():
            notify.notify_staff(
                notify.unit_staff(row), row, _("Overdue: %(number)s") % {"number": row.tracking_number}
            )
            notify.notify_staff(
                notify.supervisors(row),
                row,
                _("Overdue at %(unit)s: %(number)s") % {"unit": row.unit_name, "number": row.tracking_number},
            )
        escalate = clock == "resolve" and row.sla_rule is not None and row.sla_rule.escalate_on_breach
        if escalate and row.state in TRANSITIONS["escalate"].sources:
            _tier, node = routing.tier_above(row.tier or Tier.GRID, grid=row.grid, node=row.unit_node)
            if node is not None:
                with _lang():
                    reason = _("Escalated automatically: the resolution deadline passed.")
                appeal_escalate(actor=None, appeal=row, reason=reason, automatic=True)
                row.refresh_from_db()
        return row
