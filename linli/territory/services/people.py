"""Keeping people up to date: edit a resident, and the life events, each a service that appends a dated
`ResidentEvent` and writes the audit log. A person who moves away or dies keeps their row and history (status
changes, household cleared); their grid stays the last one they lived in, so its workers still find them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from linli.core.audit import audit
from linli.core.errors import Conflict
from linli.core.scoping import person
from linli.core.validators import (
    birth_date_from_id,
    clean_text,
    gender_from_id,
    validate_id_number,
    validate_phone,
)

from ..choices import HEAD_RELATION, CareLevel, Gender, LifeEvent, ResidentStatus, ResidentTag
from ..models import Building, Household, Resident, ResidentEvent
from ..selectors import households_visible_to, residents_visible_to
from .common import Actor, checked, in_scope, invalid, require_maintainer, save_changes

UNSET: Any = object()
# The stored forms of an ID number, named as one field in the audit log (which never holds the number).
ID_NUMBER_FIELDS = dict.fromkeys(("id_number_encrypted", "id_number_hash", "id_number_masked"), "id_number")


def _date(field: str, on: dt.date | None) -> dt.date:
    """The date of an event: today when not given, never in the future."""
    on = on or timezone.localdate()
    if on > timezone.localdate():
        raise invalid(field, _("The date lies in the future."))
    return on


# A resident's own fields, checked alike when one is registered (`resident_clean`) and when one is edited.


def name_value(name: str | None) -> str:
    """A resident's name, stripped: required, at most 50 characters."""
    name = (name or "").strip()
    if not name or len(name) > 50:
        raise invalid("name", _("A name is required (at most 50 characters)."))
    return name


def gender_value(gender: str) -> str:
    if gender not in Gender.values:
        raise invalid("gender", _("Gender must be male or female."))
    return gender


def tags_value(tags: Iterable[str]) -> str:
    """Tags as stored: each once, sorted, between spaces (" a b "; "" for none). An unknown tag is refused."""
    tag_list = sorted({t for t in tags if t})
    unknown = [t for t in tag_list if t not in ResidentTag.values]
    if unknown:
        raise invalid("tags", _("Unknown tag(s): %(tags)s") % {"tags": ", ".join(unknown)})
    return f" {' '.join(tag_list)} " if tag_list else ""


def care_level_value(care_level: str) -> str:
    if care_level not in CareLevel.values:
        raise invalid("care_level", _("Care level must be red, yellow, green or empty."))
    return care_level


def _event(
    actor: Actor,
    resident: Resident,
    kind: str,
    on: dt.date,
    *,
    from_household: Household | None = None,
    to_household: Household | None = None,
    note: str = "",
) -> ResidentEvent:
    event = ResidentEvent.objects.create(
        resident=resident,
        kind=kind,
        occurred_on=on,
        from_household=from_household,
        to_household=to_household,
        note=clean_text("note", note, most=200),
        actor=person(actor),
    )
    audit(
        actor,
        f"resident_{kind}",
        resident,
        on=on.isoformat(),
        from_household=from_household.pk if from_household else None,
        to_household=to_household.pk if to_household else None,
    )
    return event


def _locked_present(actor: Actor, resident: Resident) -> Resident:
    """The resident, in the actor's scope, locked, and still living here."""
    require_maintainer(actor)
    in_scope(actor, residents_visible_to, resident)
    locked = (
        Resident.objects.select_for_update(of=("self",))
        .select_related("household__building")
        .get(pk=resident.pk)
    )
    if locked.status != ResidentStatus.PRESENT:
        raise Conflict(_("%(name)s no longer lives here.") % {"name": locked.name})
    return locked


def _target(actor: Actor, household: Household) -> Household:
    """A household a write names, looked up in the actor's scope with its building."""
    in_scope(actor, households_visible_to, household)
    return Household.objects.select_related("building__grid").get(pk=household.pk)


def _settle(resident: Resident, household: Household | None, status: str = ResidentStatus.PRESENT) -> None:
    """Put the resident in `household` (its grid with it), or none when they left."""
    resident.household = household
    if household is not None:
        resident.grid = household.building.grid
    resident.status = status
    resident.save(update_fields=["household", "grid", "status", "updated_at"])


def _leave_captaincy(resident: Resident) -> None:
    Building.objects.filter(captain=resident).update(captain=None)


@transaction.atomic
def resident_update(
    *,
    actor: Actor,
    resident: Resident,
    name: str | None = None,
    gender: str | None = None,
    birth_date: dt.date | None = None,
    id_number: str | None = None,
    phone: str | None = None,
    tags: Iterable[str] | None = None,
    care_level: str | None = None,
    occupation: str | None = None,
    notes: str | None = None,
    relation: str | None = None,
    registered_address: str | None = None,
    lease_ends_on: dt.date | None = UNSET,
) -> Resident:
    """Change what the caller names (None = leave as is; an empty ID number keeps the one on file); the audit log
    lists the fields changed, never an ID number's value. A corrected ID number brings the birth date and gender it
    holds with it."""
    require_maintainer(actor)
    in_scope(actor, residents_visible_to, resident)
    r = Resident.objects.select_for_update().get(pk=resident.pk)
    changes: dict[str, Any] = {}
    if name is not None:
        changes["name"] = name_value(name)
    changes |= _identity_changes(actor, r, gender=gender, birth_date=birth_date, id_number=id_number)
    if phone is not None:
        changes["phone"] = checked("phone", validate_phone, phone.strip()) if phone.strip() else ""
    if tags is not None:
        changes["tags"] = tags_value(tags)
    if care_level is not None:
        changes["care_level"] = care_level_value(care_level)
    for field, value, limit in (
        ("occupation", occupation, 60),
        ("relation", relation, 20),
        ("registered_address", registered_address, 200),
        ("notes", notes, 2000),
    ):
        if value is not None:
            if len(value.strip()) > limit:
                raise invalid(field, _("At most %(n)d characters.") % {"n": limit})
            changes[field] = value.strip()
    if lease_ends_on is not UNSET:
        changes["lease_ends_on"] = lease_ends_on
    with transaction.atomic():  # a number taken meanwhile by another resident: refused as the check above
        try:
            save_changes(actor, r, changes, "resident_update", named=ID_NUMBER_FIELDS)
        except IntegrityError:
            raise invalid("id_number", _("A resident with this ID number is already registered.")) from None
    return r


def _identity_changes(
    actor: Actor, r: Resident, *, gender: str | None, birth_date: dt.date | None, id_number: str | None
) -> dict[str, Any]:
    """The changes to who a resident is: a mistyped ID number corrected, a gender or birth date put right. What is
    given must agree with the ID number (the new one, or the one on file): the number holds both."""
    changes: dict[str, Any] = {}
    if gender is not None:
        changes["gender"] = gender_value(gender)
    if birth_date is not None:
        if birth_date > timezone.localdate():
            raise invalid("birth_date", _("The date lies in the future."))
        changes["birth_date"] = birth_date
    typed = (id_number or "").strip()
    number = checked("id_number", validate_id_number, typed) if typed else ""
    if number:
        probe = Resident()
        probe.set_id_number(number)
        if probe.id_number_hash != r.id_number_hash:
            _id_number_free(actor, r, probe.id_number_hash or "")
            changes |= {f: getattr(probe, f) for f in ID_NUMBER_FIELDS}
    on_file = number or r.id_number
    if on_file:
        # A value left as it was is not held against the number (a record imported inconsistent stays editable);
        # a changed one must be the number's, and a corrected number brings its own.
        if birth_date not in (None, r.birth_date, birth_date_from_id(on_file)):
            raise invalid("birth_date", _("The birth date does not match the ID number."))
        if gender not in (None, r.gender, gender_from_id(on_file)):
            raise invalid("gender", _("The gender does not match the ID number."))
        if number:
            changes["birth_date"], changes["gender"] = birth_date_from_id(number), gender_from_id(number)
    return changes


def _id_number_free(actor: Actor, r: Resident, number_hash: str) -> None:
    """Refuse an ID number another resident holds: named when the actor sees them, else only said."""
    holder = Resident.objects.filter(id_number_hash=number_hash).exclude(pk=r.pk).first()
    if holder is None:
        return
    if actor is None or residents_visible_to(actor).filter(pk=holder.pk).exists():
        raise invalid(
            "id_number",
            _(
                "%(name)s is already registered with this ID number: check the number, or whether they are one person."
            )
            % {"name": holder.name},
        )
    raise invalid("id_number", _("A resident with this ID number is registered outside your area."))


@transaction.atomic
def resident_move_in(
    *,
    actor: Actor,
    household: Household,
    name: str,
    gender: str,
    birth_date: dt.date | None,
    on: dt.date | None = None,
    id_number: str = "",
    phone: str = "",
    relation: str = "",
    note: str = "",
) -> Resident:
    """A person arrives from elsewhere. Someone who lived here before (same ID number) comes back with their
    history; anyone else is registered anew."""
    from . import resident_build, resident_clean, residents_created

    require_maintainer(actor)
    on = _date("on", on)
    target = _target(actor, household)
    cleaned = resident_clean(
        name=name,
        gender=gender,
        birth_date=birth_date,
        phone=phone,
        id_number=id_number,
        tags=(),
        care_level="",
    )
    returning = None
    if cleaned["id_number"]:
        probe = Resident(id_number_hash=None)
        probe.set_id_number(cleaned["id_number"])
        returning = Resident.objects.select_for_update().filter(id_number_hash=probe.id_number_hash).first()
    if returning is not None:
        if returning.status == ResidentStatus.PRESENT:
            raise invalid("id_number", _("A resident with this ID number is already registered."))
        returning.relation = relation
        returning.save(update_fields=["relation"])
        resident = returning
    else:  # no one has this ID number (the lookup above): registered anew
        resident = resident_build(grid=target.building.grid, household=target, cleaned=cleaned)
        resident.relation = relation
        resident.save()
        residents_created(actor, [resident])
    _settle(resident, target)
    _event(actor, resident, LifeEvent.MOVED_IN, on, to_household=target, note=note)
    return resident


@transaction.atomic
def resident_birth(
    *,
    actor: Actor,
    household: Household,
    name: str,
    gender: str,
    birth_date: dt.date,
    id_number: str = "",
    relation: str = "",
) -> Resident:
    """A child born into a household: registered, tagged as a child under 3, with a "born" event."""
    from . import resident_create

    require_maintainer(actor)
    on = _date("birth_date", birth_date)
    target = _target(actor, household)
    resident = resident_create(
        actor=actor,
        household=target,
        name=name,
        gender=gender,
        birth_date=on,
        id_number=id_number,
        relation=relation,
        tags=["child_under_3"] if (timezone.localdate() - on).days < 3 * 365 else [],
    )
    _event(actor, resident, LifeEvent.BORN, on, to_household=target)
    return resident


def _move(actor: Actor, resident: Resident, to: Household, kind: str, on: dt.date, note: str = "") -> None:
    if resident.household_id == to.pk:
        raise invalid("to_household", _("%(name)s already lives there.") % {"name": resident.name})
    origin = resident.household
    if origin is not None and origin.building_id != to.building_id:
        _leave_captaincy(resident)
    _settle(resident, to)
    _event(actor, resident, kind, on, from_household=origin, to_household=to, note=note)


@transaction.atomic
def resident_move(
    *, actor: Actor, resident: Resident, to_household: Household, on: dt.date | None = None, note: str = ""
) -> Resident:
    """A resident moves to another household here (in the actor's scope); grid counts follow."""
    r = _locked_present(actor, resident)
    _move(actor, r, _target(actor, to_household), LifeEvent.MOVED, _date("on", on), note)
    return r


@transaction.atomic
def household_move(
    *, actor: Actor, household: Household, to_household: Household, on: dt.date | None = None, note: str = ""
) -> int:
    """A whole family moves to another household here: every member moves, an event each."""
    require_maintainer(actor)
    origin = _target(actor, household)
    to = _target(actor, to_household)
    if origin.pk == to.pk:
        raise invalid("to_household", _("Choose another household to move to."))
    members = list(_present_members(origin))
    if not members:
        raise invalid("to_household", _("No one lives in this household."))
    day = _date("on", on)
    for member in members:
        _move(actor, member, to, LifeEvent.MOVED, day, note)
    return len(members)


@transaction.atomic
def resident_move_out(
    *, actor: Actor, resident: Resident, on: dt.date | None = None, destination: str = ""
) -> Resident:
    """A resident leaves for somewhere else: they keep their row and history, no longer counted here."""
    r = _locked_present(actor, resident)
    origin = r.household
    _leave_captaincy(r)
    _settle(r, None, ResidentStatus.MOVED_AWAY)
    destination = clean_text("destination", destination, most=200, label=_("Moved to"))
    _event(actor, r, LifeEvent.MOVED_OUT, _date("on", on), from_household=origin, note=destination)
    return r


@transaction.atomic
def resident_death(*, actor: Actor, resident: Resident, on: dt.date | None = None) -> Resident:
    r = _locked_present(actor, resident)
    origin = r.household
    _leave_captaincy(r)
    _settle(r, None, ResidentStatus.DECEASED)
    _event(actor, r, LifeEvent.DIED, _date("on", on), from_household=origin)
    return r


def _present_members(household: Household) -> Any:
    return (
        Resident.objects.select_for_update()
        .select_related("household")
        .filter(household=household, status=ResidentStatus.PRESENT)
        .order_by("id")
    )


@transaction.atomic
def household_split(
    *,
    actor: Actor,
    household: Household,
    members: Sequence[Resident],
    code: str,
    room: str,
    head: Resident | None = None,
    on: dt.date | None = None,
) -> Household:
    """Some members form a household of their own (分户) in the same building; `head` (one of them) heads it."""
    from . import household_create

    require_maintainer(actor)
    origin = _target(actor, household)
    present = {m.pk: m for m in _present_members(origin)}
    chosen = [present.get(m.pk) for m in members]
    if not chosen or None in chosen:
        raise invalid("members", _("Choose members of this household to form the new one."))
    if len(chosen) == len(present):
        raise invalid("members", _("Someone must stay in the household being split."))
    if head is not None and head.pk not in {m.pk for m in chosen if m}:
        raise invalid("head", _("The head must be one of the members who leave."))
    new = household_create(
        actor=actor,
        building=origin.building,
        code=code.strip(),
        room=room.strip(),
        entrance=origin.entrance,
        is_rented=origin.is_rented,
    )
    day = _date("on", on)
    for member in chosen:
        assert member is not None
        if head is not None:
            member.relation = HEAD_RELATION if member.pk == head.pk else member.relation
            member.save(update_fields=["relation"])
        _settle(member, new)
        _event(actor, member, LifeEvent.HOUSEHOLD_SPLIT, day, from_household=origin, to_household=new)
    return new


@transaction.atomic
def households_merge(
    *, actor: Actor, household: Household, into: Household, on: dt.date | None = None
) -> int:
    """The members of `household` join `into` (合户); the emptied household stays as a home without residents.
    Its head becomes a member of the other head's household (relation left for the worker to correct)."""
    require_maintainer(actor)
    origin = _target(actor, household)
    target = _target(actor, into)
    if origin.pk == target.pk:
        raise invalid("into", _("Choose another household to merge into."))
    members = list(_present_members(origin))
    if not members:
        raise invalid("into", _("No one lives in this household."))
    has_head = Resident.objects.filter(
        household=target, status=ResidentStatus.PRESENT, relation=HEAD_RELATION
    ).exists()
    day = _date("on", on)
    for member in members:
        if has_head and member.relation == HEAD_RELATION:
            member.relation = ""
            member.save(update_fields=["relation"])
        _settle(member, target)
        _event(actor, member, LifeEvent.HOUSEHOLDS_MERGED, day, from_household=origin, to_household=target)
    return len(members)


@transaction.atomic
def household_head_change(
    *,
    actor: Actor,
    household: Household,
    head: Resident,
    previous_relation: str = "",
    on: dt.date | None = None,
) -> Resident:
    """`head` becomes the head of household (户主); the previous head's relation becomes `previous_relation`."""
    require_maintainer(actor)
    target = _target(actor, household)
    members = {m.pk: m for m in _present_members(target)}
    new_head = members.get(head.pk)
    if new_head is None:
        raise invalid("head", _("The new head must live in this household."))
    if new_head.relation == HEAD_RELATION:
        raise invalid("head", _("%(name)s already heads this household.") % {"name": new_head.name})
    if len(previous_relation.strip()) > 20:
        raise invalid("previous_relation", _("At most %(n)d characters.") % {"n": 20})
    day = _date("on", on)
    for member in members.values():
        if member.relation == HEAD_RELATION:
            member.relation = previous_relation.strip()
            member.save(update_fields=["relation", "updated_at"])
            _event(actor, member, LifeEvent.HEAD_CHANGED, day, to_household=target, note=_("no longer head"))
    new_head.relation = HEAD_RELATION
    new_head.save(update_fields=["relation", "updated_at"])
    _event(actor, new_head, LifeEvent.HEAD_CHANGED, day, to_household=target, note=_("new head"))
    return new_head
