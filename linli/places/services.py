"""Every write of service places: create and change a place, compute its walking circles, its calendar of
activities (a room booked once at a time), residents' subscriptions and the weekly digest they receive."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from linli.accounts.models import User
from linli.core.errors import NotFound, PermissionDenied, ValidationFailed, invalid
from linli.core.outbox import notification_create, sms_enqueue
from linli.core.photos import photo_to_store
from linli.core.scoping import person
from linli.core.validators import checked_phone, clean_text
from linli.territory.choices import NodeKind
from linli.territory.locator import grid_for_point
from linli.territory.models import OrgNode
from linli.territory.selectors import Viewer, org_nodes_visible_to

from . import permissions, walk
from .choices import PlaceKind
from .models import Activity, Place, Subscription
from .network import network_current

_TIME = re.compile(r"^([01]\d|2[0-4]):([0-5]\d)$")


# The limits of a place's and an activity's texts (the forms give the same): a longer text is refused whole.
TEXT_LIMITS: dict[str, tuple[int, Any]] = {
    "name": (100, gettext_lazy("Name of the place")),
    "address": (200, gettext_lazy("Address")),
    "phone": (24, gettext_lazy("Contact phone")),
    "contact_name": (50, gettext_lazy("Contact person")),
    "title": (100, gettext_lazy("Activity")),
    "room": (50, gettext_lazy("Room or hall")),
}


def _text(name: str, value: str | None, *, required: bool = False) -> str:
    most, label = TEXT_LIMITS[name]
    return clean_text(name, value, most=most, label=label, required=required)


# A public service line of a few digits (12345 the city hotline, 96156 a community service line).
SERVICE_LINE_RE = re.compile(r"^(1\d{4}|9\d{4,5})$")


def _phone(value: str | None) -> str:
    """A place's contact phone, which residents tap: blank, a mobile or landline (normalised), or a service line;
    anything else refused with what to type (a place showed "abc" as its number)."""
    value = _text("phone", value)
    if SERVICE_LINE_RE.match(value):
        return value
    try:
        return checked_phone("phone", value)
    except ValidationFailed:
        raise invalid(
            "phone",
            _("Enter a mobile number, a landline such as 010-12345678, or a service line such as 12345."),
        ) from None


def _position_check(lng: float, lat: float) -> None:
    if not (73 <= lng <= 136 and 3 <= lat <= 54):
        raise invalid("lng", _("This position is outside China; place the pin again."))


def hours_clean(hours: Any) -> dict[str, list[list[str]]]:
    """A week of opening hours, checked: {"0".."6": [["HH:MM", "HH:MM"], …]}, each span opening before it closes."""
    if not isinstance(hours, dict):
        raise invalid("opening_hours", _("Opening hours must give each weekday its spans."))
    week: dict[str, list[list[str]]] = {}
    for day in range(7):
        spans = hours.get(str(day), hours.get(day, [])) or []
        clean = []
        for span in spans:
            if not isinstance(span, (list, tuple)) or len(span) != 2:
                raise invalid("opening_hours", _("Each span is an opening and a closing time."))
            start, end = (str(span[0]).strip(), str(span[1]).strip())
            if (
                not _TIME.match(start)
                or not _TIME.match(end)
                or start >= end
                or start > "24:00"
                or end > "24:00"
            ):
                raise invalid(
                    "opening_hours", _("Write times as 08:30 and let each span open before it closes.")
                )
            clean.append([start, end])
        week[str(day)] = sorted(clean)
    return week


def hours_parse(text: str) -> dict[str, list[list[str]]]:
    """Opening hours typed on a form, one weekday a line from Monday: "08:30-12:00, 14:00-17:30", empty = closed,
    or a single line for every day."""
    lines = [line.strip() for line in (text or "").strip().splitlines()]
    if len(lines) == 1:
        lines = lines * 7
    if len(lines) != 7:
        raise invalid(
            "opening_hours", _("Give one line for every day, or seven lines from Monday to Sunday.")
        )
    week: dict[str, list[list[str]]] = {}
    for day, line in enumerate(lines):
        spans = []
        if line and line not in ("休息", "closed", "-"):
            for part in re.split(r"[,，;；\s]+", line):
                if not part:
                    continue
                pieces = re.split(r"[-–~至]", part)
                if len(pieces) != 2:
                    raise invalid("opening_hours", _("Write a span as 08:30-17:30."))
                spans.append([p.strip().zfill(5) for p in pieces])
        week[str(day)] = spans
    return hours_clean(week)


def place_create(
    *,
    actor: Viewer,
    org_node_id: int,
    kind: str,
    name: str,
    address: str,
    lng: float,
    lat: float,
    phone: str = "",
    contact_name: str = "",
    services: str = "",
    opening_hours: dict[str, Any] | None = None,
) -> Place:
    """A new service place in a community the actor keeps; its walking circles are computed at once."""
    node = (
        org_nodes_visible_to(actor)
        .filter(pk=org_node_id, kind__in=[NodeKind.COMMUNITY, NodeKind.COMPOUND])
        .first()
    )
    if node is None:
        raise invalid("org_node_id", _("Choose a community in your area."))
    permissions.require(actor, "place_manage", node.path)
    if kind not in PlaceKind.values:
        raise invalid("kind", _("Choose a kind of place."))
    name = _text("name", name, required=True)
    address, phone, contact_name = (
        _text("address", address),
        _phone(phone),
        _text("contact_name", contact_name),
    )
    _position_check(lng, lat)
    with transaction.atomic():
        place = Place.objects.create(
            org_node=node,
            grid_id=grid_for_point(lng, lat),
            kind=kind,
            name=name,
            address=address,
            lng=lng,
            lat=lat,
            phone=phone,
            contact_name=contact_name,
            services=(services or "").strip(),
            opening_hours=hours_clean(opening_hours or {}),
            created_by=person(actor),
        )
        place_circles_compute(place=place)
    return place


def place_circles_compute(*, place: Place) -> bool:
    """Compute and save the place's 5-, 10- and 15-minute walking circles on the current roads."""
    key, net = network_current()
    circles: dict[str, Any] = {}
    if net is not None:
        entry = walk.entry_for(net, place.lng, place.lat)
        if entry is not None:
            longest = max(walk.MINUTES) * walk.WALK_M_PER_MIN
            dist = walk.distances_from(net, entry, longest)
            for minutes in walk.MINUTES:
                polygon = walk.circle_polygon(net, dist, entry, minutes * walk.WALK_M_PER_MIN)
                if polygon is not None:
                    circles[str(minutes)] = polygon
    place.circles = circles
    place.circles_roads = key
    place.save(update_fields=["circles", "circles_roads", "updated_at"])
    return bool(circles)


PLACE_FIELDS = ("kind", "name", "address", "lng", "lat", "phone", "contact_name", "services")


def place_update(
    *,
    actor: Viewer,
    place: Place,
    photo: UploadedFile | None = None,
    photo_remove: bool = False,
    **changes: Any,
) -> Place:
    """Change a place's details (kind, name, address, position, contact, services, opening hours, in service) and
    its photo: `photo` replaces it, `photo_remove` takes it away (a new photo given with it wins); the file
    replaced or removed is deleted once the change is committed. A moved pin redraws its walking circles."""
    permissions.require(actor, "place_manage", place.org_node.path)
    # checked as every stored photo is, written again without the phone's position and make (the photo is public)
    new_photo = photo_to_store(photo, field="photo") if photo is not None else None
    unknown = set(changes) - {*PLACE_FIELDS, "opening_hours", "active"}
    if unknown:
        raise invalid(sorted(unknown)[0], _("This field cannot be changed."))
    if "kind" in changes and changes["kind"] not in PlaceKind.values:
        raise invalid("kind", _("Choose a kind of place."))
    if "name" in changes:
        changes["name"] = _text("name", changes["name"], required=True)
    lng, lat = changes.get("lng", place.lng), changes.get("lat", place.lat)
    _position_check(lng, lat)
    moved = (lng, lat) != (place.lng, place.lat)
    fields = ["updated_at"]
    for name, value in changes.items():
        if name == "opening_hours":
            value = hours_clean(value)
        elif name == "phone":
            value = _phone(value)
        elif isinstance(value, str):
            value = _text(name, value) if name in TEXT_LIMITS else value.strip()
        setattr(place, name, value)
        fields.append(name)
    with transaction.atomic():
        if moved:
            place.grid_id = grid_for_point(lng, lat)
            fields.append("grid")
        old_photo = place.photo.name
        if new_photo is not None:
            ext = (new_photo.name or "").rsplit(".", 1)[-1]
            place.photo.save(f"place-{place.pk}.{ext}", new_photo, save=False)
            fields.append("photo")
        elif photo_remove and old_photo:
            place.photo = ""
            fields.append("photo")
        place.save(update_fields=fields)
        if "photo" in fields and old_photo:
            storage = place.photo.storage
            transaction.on_commit(lambda: storage.delete(old_photo))
        if moved:
            place_circles_compute(place=place)
    return place


def _local(value: dt.datetime) -> dt.datetime:
    """A time without a zone (a form's, an API caller's "2026-12-08T09:00") is the local time."""
    return timezone.make_aware(value) if timezone.is_naive(value) else value


def _booking_check(
    *, place: Place, room: str, starts_at: dt.datetime, ends_at: dt.datetime, exclude: int | None = None
) -> None:
    """Refuse a time that ends before it starts, or a room already booked for an overlapping time (the caller
    holds the place's row lock: one booking of a place at a time)."""
    if ends_at <= starts_at:
        raise invalid("ends_at", _("An activity must end after it starts."))
    booked = Activity.objects.filter(place=place, room=room, starts_at__lt=ends_at, ends_at__gt=starts_at)
    if exclude is not None:
        booked = booked.exclude(pk=exclude)
    clash = booked.order_by("starts_at").first()
    if clash is not None:
        raise ValidationFailed(  # a form error: the person picks another time or room
            _("%(room)s is booked for %(title)s from %(start)s to %(end)s.")
            % {
                "room": room or place.name,
                "title": clash.title,
                "start": f"{timezone.localtime(clash.starts_at):%m-%d %H:%M}",
                "end": f"{timezone.localtime(clash.ends_at):%H:%M}",
            },
            extra={"field": "starts_at"},
        )


def _not_over(starts_at: dt.datetime, ends_at: dt.datetime) -> None:
    """Refuse a time already over (a date typed wrong, last week's): the calendar lists only what is still to come,
    so it would be booked and shown nowhere. An activity under way (started, not yet over) may be recorded."""
    if ends_at <= timezone.now():
        raise invalid(
            "starts_at",
            _(
                "The activity's time (%(start)s to %(end)s) is already over: the calendar books only activities not yet "
                "over. Check the date."
            )
            % {
                "start": f"{timezone.localtime(starts_at):%m-%d %H:%M}",
                "end": f"{timezone.localtime(ends_at):%H:%M}",
            },
        )


def _lock(place: Place) -> None:
    Place.objects.select_for_update().filter(pk=place.pk).first()


def activity_create(
    *,
    actor: Viewer,
    place: Place,
    title: str,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    room: str = "",
    description: str = "",
) -> Activity:
    """An activity on the place's calendar; a room cannot hold two activities at once."""
    permissions.require(actor, "place_manage", place.org_node.path)
    title = _text("title", title, required=True)
    starts_at, ends_at = _local(starts_at), _local(ends_at)
    room = _text("room", room)
    if ends_at > starts_at:  # else the order of the two times is said first
        _not_over(starts_at, ends_at)
    with transaction.atomic():
        _lock(place)
        _booking_check(place=place, room=room, starts_at=starts_at, ends_at=ends_at)
        return Activity.objects.create(
            place=place,
            title=title,
            room=room,
            starts_at=starts_at,
            ends_at=ends_at,
            description=(description or "").strip(),
            created_by=person(actor),
        )


ACTIVITY_FIELDS = ("title", "room", "starts_at", "ends_at", "description")


def activity_update(*, actor: Viewer, activity: Activity, **changes: Any) -> Activity:
    """Change an activity's title, room, time or description; the room must still be free at the new time."""
    place = activity.place
    permissions.require(actor, "place_manage", place.org_node.path)
    unknown = set(changes) - set(ACTIVITY_FIELDS)
    if unknown:
        raise invalid(sorted(unknown)[0], _("This field cannot be changed."))
    if "title" in changes:
        changes["title"] = _text("title", changes["title"], required=True)
    for name in ("room", "description"):
        if name in changes:
            changes[name] = _text(name, changes[name]) if name == "room" else (changes[name] or "").strip()
    for name in ("starts_at", "ends_at"):
        if name in changes:
            changes[name] = _local(changes[name])
    starts_at, ends_at = (
        changes.get("starts_at", activity.starts_at),
        changes.get("ends_at", activity.ends_at),
    )
    if ("starts_at" in changes or "ends_at" in changes) and ends_at > starts_at:
        _not_over(
            starts_at, ends_at
        )  # a new time must not be over; a past activity's title may still be put right
    with transaction.atomic():
        _lock(place)
        _booking_check(
            place=place,
            room=changes.get("room", activity.room),
            starts_at=starts_at,
            ends_at=ends_at,
            exclude=activity.pk,
        )
        for name, value in changes.items():
            setattr(activity, name, value)
        activity.save(update_fields=[*changes, "updated_at"])
    return activity


def activity_cancel(*, actor: Viewer, activity: Activity) -> None:
    """Take an activity off the place's calendar."""
    permissions.require(actor, "place_manage", activity.place.org_node.path)
    activity.delete()


def _follower(actor: Viewer) -> User:
    if not isinstance(actor, User):
        raise PermissionDenied(_("Log in to follow a place."))
    return actor


def _community(community_id: int) -> OrgNode:
    """A community residents may follow (every community's places are public)."""
    node = OrgNode.objects.filter(pk=community_id, kind=NodeKind.COMMUNITY).first()
    if node is None:
        raise NotFound(_("No such community."))
    return node


def subscription_create(
    *, actor: Viewer, place: Place | None = None, community_id: int | None = None
) -> tuple[Subscription, bool]:
    """Follow a place, or every place of a community (those of its compounds too: a place's community is
    `selectors.place_community`), for the weekly digest: (the subscription, whether it is new). Following what one
    follows already changes nothing."""
    user = _follower(actor)
    if (place is None) == (community_id is None):
        raise invalid("place", _("Follow one place or one community."))
    node = _community(community_id) if community_id is not None else None
    target = Q(place=place) if place is not None else Q(org_node=node)
    with transaction.atomic():
        found = Subscription.objects.filter(target, user=user).first()
        if found is not None:
            return found, False
        try:
            with transaction.atomic():
                return Subscription.objects.create(user=user, place=place, org_node=node), True
        except IntegrityError:  # the same tap twice, at once
            return Subscription.objects.get(target, user=user), False


def subscription_delete(*, actor: Viewer, subscription: Subscription) -> None:
    """Stop following (only one's own subscription)."""
    if _follower(actor).pk != subscription.user_id:
        raise PermissionDenied(_("This is another resident's subscription."))
    subscription.delete()


def subscription_toggle(
    *, actor: Viewer, place: Place | None = None, community_id: int | None = None
) -> bool:
    """Follow a place (or a community's places) for the weekly digest, or stop following; True when following."""
    user = _follower(actor)
    if (place is None) == (community_id is None):
        raise invalid("place", _("Follow one place or one community."))
    target = Q(place=place) if place is not None else Q(org_node_id=community_id)
    found = Subscription.objects.filter(target, user=user).first()
    if found is not None:
        subscription_delete(actor=user, subscription=found)
        return False
    subscription_create(actor=user, place=place, community_id=community_id)
    return True


DIGEST_WEEKDAY = 0  # Monday
DIGEST_HOUR = 8
DIGEST_DAYS = 7
DIGEST_LINES = 20  # activities written out in a digest; the count says all, a last line how many more
DIGEST_BATCH = (
    500  # residents a run takes; the worker's next run takes the rest (their week is not claimed yet)
)


def _week(now: dt.datetime) -> str:
    year, week, _day = timezone.localtime(now).isocalendar()
    return f"{year}W{week:02d}"


def digests_send(*, now: dt.datetime | None = None) -> int:
    """On Monday from 08:00, each subscriber once a week: the coming week's activities of the places they follow
    (and of every place of the communities they follow) in the inbox and, when they gave a phone, by SMS. A week
    with nothing on sends nothing. Returns how many residents were sent a digest."""
    now = now or timezone.now()
    local = timezone.localtime(now)
    if local.weekday() != DIGEST_WEEKDAY or local.hour < DIGEST_HOUR:
        return 0
    week = _week(now)
    end = now + dt.timedelta(days=DIGEST_DAYS)
    sent = 0
    users = (
        Subscription.objects.exclude(digest_week=week).values_list("user_id", flat=True).distinct().order_by()
    )
    for user_id in list(users[:DIGEST_BATCH]):
        with transaction.atomic():
            # Claim the user's subscriptions for this week (compare-and-swap: two workers never both send).
            subs = list(
                Subscription.objects.select_for_update().filter(user_id=user_id).exclude(digest_week=week)
            )
            if not subs:
                continue
            Subscription.objects.filter(pk__in=[s.pk for s in subs]).update(digest_week=week)
            places = [s.place_id for s in subs if s.place_id]
            nodes = [s.org_node_id for s in subs if s.org_node_id]
            # A community followed: its places, and those of its compounds.
            on = Activity.objects.filter(
                Q(place_id__in=places)
                | Q(place__org_node_id__in=nodes)
                | Q(place__org_node__parent_id__in=nodes),
                place__active=True,
                starts_at__gte=now,
                starts_at__lt=end,
            )
            total = on.count()
            if not total:
                continue
            coming = on.select_related("place").order_by("starts_at", "id")[:DIGEST_LINES]
            user = User.objects.get(pk=user_id)
            lines = [
                f"{timezone.localtime(a.starts_at):%m-%d %H:%M} {a.place.name} {a.title}"
                + (f"（{a.room}）" if a.room else "")
                for a in coming
            ]
            more = (
                [_("%(n)s more: see “Places near me”.") % {"n": total - len(lines)}]
                if total > len(lines)
                else []
            )
            title = _("This week at the places you follow: %(n)s activities") % {"n": total}
            notification_create(user=user, title=title, body="\n".join(lines + more), url="/places/near/")
            if user.phone:
                sms_enqueue(phone=str(user.phone), text=f"{title}：" + "；".join(lines[:5]))
            sent += 1
    return sent
