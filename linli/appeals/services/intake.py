"""Intake: accept an appeal from any channel (idempotently), classify it, place it in a grid and route it."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from linli.accounts.models import User
from linli.core.errors import Conflict, PermissionDenied
from linli.core.orgpath import path_ids
from linli.core.photos import validate_photo
from linli.core.roles import Role
from linli.core.scoping import is_admin, is_staff_member
from linli.core.validators import validate_phone
from linli.territory.models import Grid, OrgNode
from linli.territory.selectors import grids_visible_to

from .. import notify, routing, sla, transitions
from ..choices import MACHINE_CHANNELS, AppealKind, Channel, PhotoStage, Priority, Tier
from ..models import Appeal, Category
from ..permissions import Actor, signed_in_user
from ..validation import (
    ADDRESS_LABEL,
    CONTACT_NAME_LABEL,
    DESCRIPTION_LABEL,
    DESCRIPTION_MAX,
    DESCRIPTION_MIN,
    MAX_PHOTOS,
    TITLE_LABEL,
    TITLE_MAX,
    clean_text,
    field_error,
    validate_voice,
)
from .abuse import guest_intake_check
from .dispatch import catalogue_create_default, category_label_record, desk_assign, unit_assign
from .idempotency import idempotency_key_clean
from .photos import photos_save
from .resident import voice_save


def _classify(title: str, text: str) -> tuple[Category | None, float | None]:
    """The triage suggestion when it is confident (its confidence reaches LINLI_TRIAGE_THRESHOLD; else a person
    chooses)."""
    try:
        from linli.triage.services import classify
    except ImportError:
        return None, None
    try:
        suggestion = classify(title=title, text=text)
    except Exception:  # a broken model must never lose an appeal; it simply waits for a person
        return None, None
    if not suggestion.confident:
        return None, suggestion.confidence
    return routing.category_by_code(suggestion.category_code), suggestion.confidence


def _locate(lng: float | None, lat: float | None) -> Grid | None:
    if lng is None or lat is None:
        return None
    try:
        from linli.territory.locator import grid_for_point
    except ImportError:
        return None
    grid_id = grid_for_point(lng, lat)
    return routing.grid_for_dispatch(grid_id) if grid_id else None


def _named_grid(actor: Actor, grid: Grid | None, grid_code: str) -> Grid | None:
    """The grid the submitter names. Residents may name any grid (the QR code at its station); staff only a grid
    they may see, looked up through the same selector as the pages (one outside is unknown to them)."""
    scoped = is_staff_member(actor) and not is_admin(actor)
    if grid is None and not grid_code:
        return None
    if grid is not None and not scoped:
        return grid
    qs = grids_visible_to(actor) if scoped else Grid.objects.select_related("org_node")
    found = qs.filter(pk=grid.pk).first() if grid is not None else qs.filter(code=grid_code).first()
    if found is None:
        raise field_error("grid_code", _("Unknown grid code."))
    return found


def _claimed_home(resident: User | None) -> OrgNode | None:
    """Where a resident account lives: its household, else the household it last claimed."""
    if resident is None or not resident.pk:
        return None
    household = resident.household
    if household is None:
        from linli.accounts.models import HouseholdClaim

        claim = (
            HouseholdClaim.objects.filter(account=resident)
            .exclude(status="rejected")
            .select_related("household__building__grid__org_node")
            .order_by("-created_at")
            .first()
        )
        household = claim.household if claim is not None else None
    return household.building.grid.org_node if household is not None else None


def _earlier_place(phone: str) -> OrgNode | None:
    """Where the last placed appeal from this phone number was."""
    earlier = (
        Appeal.objects.filter(contact_phone=phone).exclude(org_path="").order_by("-created_at", "-id").first()
        if phone
        else None
    )
    ids = path_ids(earlier.org_path) if earlier is not None else []
    return OrgNode.objects.filter(pk=ids[-1]).first() if ids else None


def _desk_place(actor: Actor, resident: User | None, phone: str, grid: Grid | None) -> OrgNode | None:
    """The lowest place an appeal the catalogue cannot route can be put in: its grid, the resident's home, the
    station of the staff member who took it (hotline, patrol), the phone's earlier appeals, or the default
    district."""
    if grid is not None:
        return grid.org_node
    person = signed_in_user(actor)
    station = person.org_node if person is not None and is_staff_member(person) else None
    return _claimed_home(resident) or station or _earlier_place(phone) or routing.default_district()


# Channels only staff (or the system, actor None) submit through: a grid worker's patrol, a sensor's alarm, the
# hotline operator's call. A guest or a resident naming one is refused, on the API and the pages alike.
STAFF_CHANNELS = (Channel.PATROL, Channel.SENSOR, Channel.HOTLINE)
# Channels whose submitter may leave the contact out: patrol and sensors have no caller; Open311 (GeoReport v2)
# makes every contact field optional.
NO_CONTACT_CHANNELS = (Channel.PATROL, Channel.SENSOR, Channel.OPEN311)


# The category of a patrol report resolved on the spot that nobody classified (the catalogue's 其他事项).
ON_THE_SPOT_CATEGORY = "other.misc"


def _spot_grid(person: User | None, grid: Grid | None) -> Grid | None:
    """The grid of a report its grid worker resolves on the spot: theirs, else None (routing decides)."""
    if person is None or grid is None or person.role != Role.GRID_WORKER:
        return None
    return grid if grid.workers.filter(pk=person.pk).exists() else None


def classified_record(appeal: Appeal, category: Category, *, now: dt.datetime, **data: Any) -> None:
    """The system's category for a new appeal (the classifier's suggestion, or the on-the-spot fallback)."""
    if appeal.category_id != category.pk:
        appeal.category = category
        appeal.save(update_fields=["category"])
    transitions.apply(
        appeal,
        actor=None,
        action="classify",
        target=appeal.state,
        channel=Channel.SYSTEM,
        data={"category": category.code, **data},
        now=now,
    )


def routed_record(appeal: Appeal, found: routing.Route, *, now: dt.datetime) -> None:
    """Give the appeal to the unit the dispatch catalogue routes it to (the system's dispatch)."""
    unit_assign(
        appeal,
        actor=None,
        tier=found.tier,
        unit_node=found.unit_node,
        unit_org=found.unit_org,
        version=found.version,
        reason=_("Routed by the dispatch catalogue v%(n)s.")
        % {"n": found.version.number if found.version else "-"},
        channel=Channel.SYSTEM,
        now=now,
    )


def _existing_for_key(key: str, actor: Actor, contact_phone: str) -> Appeal | None:
    found = Appeal.objects.filter(idempotency_key=key).first()
    if found is None:
        return None
    person = signed_in_user(actor)
    same_person = (person is not None and found.submitted_by_id == person.pk) or (
        person is None and found.submitted_by_id is None and found.contact_phone == contact_phone
    )
    if not same_person:
        raise Conflict(
            _("This Idempotency-Key was already used for another appeal."), code="idempotency_key_reused"
        )
    return found


def appeal_submit(
    *,
    actor: Actor,
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
    resident: User | None = None,
    on_the_spot: bool = False,
    photos_public: bool = False,
    voice: UploadedFile | None = None,
    voice_seconds: int = 0,
    client_address: str = "",
    split_from: Appeal | None = None,
    device_code: str = "",
) -> Appeal:
    """Accept an appeal from any channel, then classify, locate, route and start its clocks.

    A repeated idempotency key from the same submitter returns the appeal it created. Staff submitting on
    behalf of a caller (hotline, patrol) give the caller's name and number; a signed-in resident is the resident.
    `on_the_spot`: a grid worker's patrol report, in their own grid, that they resolved there (see _spot_grid).
    A guest (not signed in) is limited per phone number and network address (`client_address`, abuse.py).
    `photos_public`: the resident agrees that the photos may be shown on the public page once it is solved.
    `split_from`: the appeal this one is a part of (services/split.py, which has checked the actor on it); the
    part keeps its place (its grid is not checked against the actor's view again) and is not compared with
    open appeals as a possible duplicate (its siblings would be).
    `device_code`: the device whose message raised a sensor's work order (a machine channel's only): its possible
    duplicates are that device's other open orders (similarity.candidates_for).
    """
    key = idempotency_key_clean(idempotency_key)
    if key:
        found = _existing_for_key(key, actor, contact_phone.strip())
        if found is not None:
            return found
    if kind not in AppealKind.values:
        raise field_error(
            "kind", _("Choose a kind: consultation, request for help, complaint or suggestion.")
        )
    if channel not in Channel.values:
        raise field_error("channel", _("Unknown channel."))
    guest = actor is not None and signed_in_user(actor) is None
    if channel in STAFF_CHANNELS and actor is not None and not is_staff_member(actor):
        raise PermissionDenied(
            _("The %(channel)s channel is for staff; report through the web page instead.")
            % {"channel": Channel(channel).label},
            extra={"field": "channel"},
        )
    if priority not in Priority.values:
        raise field_error("priority", _("Unknown priority."))
    device_code = clean_text("device_code", device_code, required=False, maximum=64)
    if device_code and channel not in MACHINE_CHANNELS:
        raise field_error("device_code", _("Only a sensor's work order names the device that raised it."))
    description = clean_text(
        "description",
        description,
        required=True,
        maximum=DESCRIPTION_MAX,
        minimum=DESCRIPTION_MIN,
        label=DESCRIPTION_LABEL,
    )
    title = clean_text("title", title, required=False, maximum=TITLE_MAX, label=TITLE_LABEL)
    title = title or description.splitlines()[0][:30]
    contact_name = clean_text(
        "contact_name", contact_name, required=False, maximum=50, label=CONTACT_NAME_LABEL
    )
    address = clean_text("address", address, required=False, maximum=200, label=ADDRESS_LABEL)
    person = signed_in_user(actor)
    if resident is None and person is not None and person.role == Role.RESIDENT:
        resident = person
    if contact_phone.strip():
        try:
            contact_phone = validate_phone(contact_phone)
        except ValidationError as exc:
            raise field_error("contact_phone", str(exc.messages[0])) from None
    elif resident is not None and resident.phone:
        contact_phone = str(resident.phone)
    elif channel not in NO_CONTACT_CHANNELS:
        raise field_error("contact_phone", _("Give a mobile number so that we can tell you how it goes."))
    if (lng is None) != (lat is None):
        raise field_error("lng", _("Give both longitude and latitude, or neither."))
    if lng is not None and lat is not None and not (73 <= lng <= 136 and 3 <= lat <= 54):
        raise field_error("lng", _("This position is outside China; place the pin again."))
    if len(photos) > MAX_PHOTOS:
        raise field_error("photos", _("At most %(n)s photos per appeal.") % {"n": MAX_PHOTOS})
    for upload in photos:
        validate_photo(upload)
    if voice is not None:
        validate_voice(voice)
    category = None
    if category_code:
        category = Category.objects.filter(code=category_code, active=True).first()
        if category is None:
            raise field_error("category_code", _("Unknown category."))
    if split_from is None:
        grid = _named_grid(actor, grid, grid_code) or _locate(lng, lat)
    spot_grid = _spot_grid(person, grid) if on_the_spot and channel == Channel.PATROL else None
    if grid is not None and lng is None:
        lng, lat = grid.centroid_lng, grid.centroid_lat
    now = timezone.now()
    if guest:
        guest_intake_check(phone=contact_phone, address=client_address, now=now)
    # The classifier is pure computation: before the transaction, so that it holds no lock (SQLite has one writer).
    suggested, confidence = _classify(title, description) if category is None else (None, None)
    try:
        with notify.at_intake(), transaction.atomic():
            appeal = Appeal.objects.create(
                tracking_number=f"tmp-{uuid.uuid4().hex[:20]}",
                kind=kind,
                category=category or suggested,
                triage_confidence=confidence,
                title=title,
                description=description,
                channel=channel,
                resident=resident if resident is not None and resident.pk else None,
                submitted_by=person,
                contact_name=contact_name or (resident.display_name if resident is not None else ""),
                contact_phone=contact_phone,
                lng=lng,
                lat=lat,
                address=address,
                photos_public=bool(photos_public and photos),
                grid=grid,
                org_path=grid.org_node.path if grid is not None else "",
                priority=priority,
                idempotency_key=key or None,
                split_from=split_from,
                device_code=device_code,
                # Compared with open appeals by the worker a moment later (services/duplicates.py).
                duplicates_pending=split_from is None,
                total_due_at=sla.total_due(now),
            )
            appeal.tracking_number = f"LL{timezone.localtime(now):%Y%m%d}-{appeal.pk:06d}"
            appeal.save(update_fields=["tracking_number"])
            transitions.record_created(appeal, actor=actor, channel=channel, now=now)
            photos_save(appeal, photos, stage=PhotoStage.INTAKE, actor=actor)
            if voice is not None:
                voice_save(appeal, voice, actor=actor, seconds=voice_seconds)
            if category is not None and channel not in (Channel.API, Channel.SENSOR, Channel.OPEN311):
                category_label_record(actor, appeal, category, source="intake")
            if suggested is not None:
                classified_record(appeal, suggested, now=now, confidence=confidence)
            spot_category = routing.category_by_code(ON_THE_SPOT_CATEGORY) if spot_grid else None
            if spot_category is not None and appeal.category is None:
                # Resolved on the spot, the classifier unsure: filed under 其他事项 (counted like any category).
                classified_record(appeal, spot_category, now=now, on_the_spot=True)
            notify.notify_residents(
                appeal, gettext_lazy("received; tracking number %(number)s"), sms=bool(appeal.contact_phone)
            )
            if not routing.active_catalogue():
                catalogue_create_default()
            found_route = routing.route(category=appeal.category, grid=grid, node=None)
            if spot_grid is not None and not category_code:
                # Resolved where it was found: it stays with the worker's grid, whatever the catalogue says.
                found_route = routing.Route(Tier.GRID, spot_grid.org_node, None, routing.active_catalogue())
            if found_route is not None:
                routed_record(appeal, found_route, now=now)
            elif (place := _desk_place(actor, resident, contact_phone, grid)) is not None:
                tier, desk = routing.desk_for(place)
                desk_assign(appeal, tier=tier, node=desk, now=now)
    except IntegrityError:
        if key:
            found = Appeal.objects.filter(idempotency_key=key).first()
            if found is not None:
                return found
        raise
    return appeal
