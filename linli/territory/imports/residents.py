"""Residents: in a household or (without one) a grid; gender and birth date may come from the ID number.

Each resident is checked by the service's own `resident_clean`, and new ones are written in bulk. A resident
already registered in the user's area (same ID number, or same name and birth date in the same household or
grid) is updated instead: phone, tags, care level, relation and name through `resident_update`, and a different
household is a move (`resident_move`, or `resident_move_in` for someone who had moved away), each with its life
event. Someone registered outside the user's area, or recorded as deceased, is reported."""

from __future__ import annotations

import contextlib
import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext as _

from linli.core.errors import ValidationFailed
from linli.core.validators import birth_date_from_id, gender_from_id, validate_id_number

from .. import services
from ..choices import ResidentStatus, ResidentTag
from ..models import Household, Resident
from ..selectors import grids_visible_to, households_visible_to, residents_visible_to
from .base import Importer, Records, RowPlan, chunked
from .columns import CARE_WORDS, CARE_ZH, GENDER_WORDS, TAG_SPLIT, TAG_WORDS, TAG_ZH


# Messages for the fields resident_clean names, in the user's language (its own messages are for logs).
def _resident_field_message(field_name: str, raw: str, service_message: str) -> str:
    if field_name == "name":
        return _("A name is required (at most 50 characters).")
    if field_name == "gender":
        return _("Unknown gender %(value)s: write male or female.") % {"value": raw}
    if field_name == "birth_date":
        return _("A value is required.")
    if field_name == "tags":
        return _("Unknown tag %(value)s: write %(words)s.") % {
            "value": raw,
            "words": "、".join(TAG_ZH.values()),
        }
    if field_name == "care_level":
        return _("Unknown care level %(value)s: write %(words)s or leave empty.") % {
            "value": raw,
            "words": "、".join(word for word in CARE_ZH.values() if word),
        }
    return service_message  # ID number and phone: already translated by linli.core.validators


_CLEAN_PLACEHOLDER: dict[str, Any] = {
    "name": "-",
    "gender": "male",
    "birth_date": dt.date(2000, 1, 1),
    "phone": "",
    "id_number": "",
    "tags": (),
    "care_level": "",
}


def clean_resident_fields(values: dict[str, Any]) -> tuple[dict[str, Any] | None, dict[str, str]]:
    """Run the service's resident_clean; on a failure, blank the failing field and rerun to find every error.

    Returns (cleaned values or None, {field: message from the service})."""
    values = dict(values)
    failures: dict[str, str] = {}
    for _attempt in range(len(_CLEAN_PLACEHOLDER)):
        try:
            cleaned = services.resident_clean(**values)
        except ValidationFailed as exc:
            name = str(exc.extra.get("field", "name"))
            if name in failures or name not in _CLEAN_PLACEHOLDER:
                failures.setdefault(name, str(exc.message))
                return None, failures
            failures[name] = str(exc.message)
            values[name] = _CLEAN_PLACEHOLDER[name]
            continue
        return (None if failures else cleaned), failures
    return None, failures


def _person_key_of(household_id: int | None, grid_id: int, name: str, birth: dt.date) -> tuple[Any, ...]:
    return (household_id, None if household_id else grid_id, name, birth)


def _person_key(resident: Resident) -> tuple[Any, ...]:
    return _person_key_of(resident.household_id, resident.grid_id, resident.name, resident.birth_date)


def tag_code(word: str) -> str:
    """A tag as a file writes it: the template's word, which is the label the register's pages show it by
    (老年人（60岁以上）, 3岁以下婴幼儿, in Chinese or the reader's language, as copied from a resident's page), an older
    template's word (老年人, 三岁以下儿童) or its code; anything else is left as written, for the service to refuse."""
    known = TAG_WORDS.get(word.lower())
    if known:
        return known
    for value, label in ResidentTag.choices:
        with translation.override("zh-hans"):
            shown = str(label)
        if word in (shown, str(label)):
            return value
    return word


def _tag_text(tags: str) -> str:
    return "、".join(TAG_ZH.get(t, t) for t in tags.split())


class ResidentImporter(Importer):
    kind = "residents"

    def validate(self, records: Records) -> None:
        households = self.lookup(
            households_visible_to(self.user).select_related("building__grid"),
            (r.get("household", "") for _row, r in records),
        )
        grids = self.lookup(grids_visible_to(self.user), (r.get("grid", "") for _row, r in records))
        self.residents: list[Resident] = []
        self.resident_rows: list[int] = []
        self.row_records: dict[int, dict[str, str]] = dict(records)
        self.row_tags: dict[int, list[str]] = {}
        seen_ids: dict[str, int] = {}
        seen_people: dict[tuple[Any, ...], int] = {}
        for row, rec in records:
            ok = True
            household, found = self.known(row, rec, "household", households)
            ok &= found
            grid, found = self.known(row, rec, "grid", grids)
            ok &= found
            if not rec.get("household") and not rec.get("grid"):
                self.error(row, "household", _("Give a household or a grid."))
                ok = False
            if household is not None and grid is not None and household.building.grid_id != grid.pk:
                self.error(
                    row,
                    "grid",
                    _("The household lies in grid %(code)s.") % {"code": household.building.grid.code},
                )
                ok = False
            if self.too_long(row, rec, "relation", 20):
                ok = False
            id_number, valid = self.id_number(row, rec)
            ok &= valid
            phone = self.unmask(rec, "phone")
            gender_raw = rec.get("gender", "")
            gender = GENDER_WORDS.get(gender_raw.strip().lower(), gender_raw)
            birth, valid = self.date(row, rec, "birth_date", 1890)
            ok &= valid
            id_valid = ""
            if id_number:
                with contextlib.suppress(ValidationError):  # resident_clean reports it
                    id_valid = validate_id_number(id_number)
            if id_valid:
                if birth is not None and birth != birth_date_from_id(id_valid):
                    self.error(row, "birth_date", _("The birth date does not match the ID number."))
                    ok = False
                if gender in ("male", "female") and gender != gender_from_id(id_valid):
                    self.error(row, "gender", _("The gender does not match the ID number."))
                    ok = False
                birth = birth or birth_date_from_id(id_valid)
                gender = gender or gender_from_id(id_valid)
            tags_raw = [t for t in TAG_SPLIT.split(rec.get("tags", "")) if t]
            tags = [tag_code(t) for t in tags_raw]
            care_raw = rec.get("care_level", "").strip()
            care = CARE_WORDS.get(care_raw.lower(), care_raw)
            if not gender_raw and not id_valid:
                self.error(row, "gender", _("A value is required."))
                ok = False
                gender = "male"  # reported; let the service check the rest
            values = {
                "name": rec.get("name", ""),
                "gender": gender,
                "birth_date": birth if (birth or not rec.get("birth_date")) else dt.date(2000, 1, 1),
                "phone": phone,
                "id_number": id_number,
                "tags": tags,
                "care_level": care,
            }
            cleaned, failures = clean_resident_fields(values)
            raw = {
                "gender": gender_raw,
                "tags": "、".join(t for t, c in zip(tags_raw, tags, strict=True) if c not in TAG_ZH),
                "care_level": care_raw,
            }
            for name, message in failures.items():
                self.error(row, name, _resident_field_message(name, raw.get(name, ""), message))
            if cleaned is None or not ok:
                continue
            if cleaned["id_number"]:
                first = seen_ids.setdefault(cleaned["id_number"], row)
                if first != row:
                    self.error(
                        row, "id_number", _("Duplicate ID number: also in row %(row)d.") % {"row": first}
                    )
                    continue
            resident = services.resident_build(
                grid=grid or household.building.grid,  # type: ignore[union-attr]
                household=household,
                cleaned=cleaned,
            )
            resident.relation = rec.get("relation", "")
            self.row_tags[row] = tags
            person = _person_key(resident)
            if person in seen_people:
                self.error(
                    row, "name", _("The same person is also in row %(row)d.") % {"row": seen_people[person]}
                )
                continue
            seen_people[person] = row
            self.residents.append(resident)
            self.resident_rows.append(row)
        self.check_registered_ids()
        self.check_registered_people()

    def _drop_new(self, rows: set[int]) -> None:
        """Rows matched to registered residents are updates, not new residents."""
        kept = [
            (r, row) for r, row in zip(self.residents, self.resident_rows, strict=True) if row not in rows
        ]
        self.residents = [r for r, _row in kept]
        self.resident_rows = [row for _r, row in kept]

    def compare_resident(self, row: int, new: Resident, existing: Resident) -> None:
        """Plan the update of a registered resident to what the row says (empty cells leave values as they are)."""
        rec = self.row_records[row]
        if existing.status == ResidentStatus.DECEASED:
            self.error(row, "id_number", _("%(name)s is recorded as deceased.") % {"name": existing.name})
            return
        proposed: dict[str, tuple[Any, Any]] = {}
        kwargs: dict[str, Any] = {}
        if new.name != existing.name:
            proposed["name"], kwargs["name"] = (existing.name, new.name), new.name
        if new.phone:
            proposed["phone"], kwargs["phone"] = (existing.phone, new.phone), new.phone
        if rec.get("tags"):
            proposed["tags"] = (_tag_text(existing.tags), _tag_text(new.tags))
            kwargs["tags"] = self.row_tags[row]
        if rec.get("care_level"):
            proposed["care_level"] = (existing.get_care_level_display(), new.get_care_level_display())
            kwargs["care_level"] = new.care_level
        if rec.get("relation"):
            proposed["relation"], kwargs["relation"] = (existing.relation, new.relation), new.relation
        away = existing.status != ResidentStatus.PRESENT
        if new.household is not None and (away or new.household_id != existing.household_id):
            before = existing.household.address if existing.household else existing.get_status_display()
            proposed["household"] = (before, new.household.address)
            kwargs["household"] = new.household
        elif new.household is None and (away or new.grid_id != existing.grid_id):
            self.error(row, "household", _("Give the household %(name)s lives in now.") % {"name": new.name})
            return
        self.compare(row, new.name, existing, proposed, kwargs)

    def update(self, obj: Resident, changes: dict[str, Any]) -> None:
        household: Household | None = changes.pop("household", None)
        if household is not None and obj.status == ResidentStatus.PRESENT:
            obj = services.resident_move(actor=self.user, resident=obj, to_household=household)
        elif household is not None:  # moved away before, now back (with their history)
            obj = services.resident_move_in(
                actor=self.user,
                household=household,
                name=obj.name,
                gender=obj.gender,
                birth_date=obj.birth_date,
                id_number=obj.id_number,
                relation=changes.get("relation", obj.relation),
            )
        if changes:
            services.resident_update(actor=self.user, resident=obj, **changes)

    def planned_new(self) -> list[RowPlan]:
        return [RowPlan(row, r.name) for r, row in zip(self.residents, self.resident_rows, strict=True)]

    def check_registered_people(self) -> None:
        """A resident of the same name and birth date already in the household (or grid): an update."""
        planned = {_person_key(r): row for r, row in zip(self.residents, self.resident_rows, strict=True)}
        built = dict(zip(self.resident_rows, self.residents, strict=True))
        household_ids = sorted({k[0] for k in planned if k[0] is not None})
        grid_ids = sorted({k[1] for k in planned if k[0] is None})
        existing: dict[tuple[Any, ...], Resident] = {}
        visible = residents_visible_to(self.user).filter(status=ResidentStatus.PRESENT)
        for ids, lookup in ((household_ids, "household_id__in"), (grid_ids, "grid_id__in")):
            for chunk in chunked(ids):
                qs = visible.filter(**{lookup: chunk})
                if lookup == "grid_id__in":
                    qs = qs.filter(household__isnull=True)
                for resident in qs:
                    existing[_person_key(resident)] = resident
        matched = sorted(existing.keys() & planned.keys(), key=planned.__getitem__)
        for key in matched:
            self.compare_resident(planned[key], built[planned[key]], existing[key])
        self._drop_new({planned[key] for key in matched})

    def check_registered_ids(self) -> None:
        by_hash: dict[str, int] = {
            r.id_number_hash: row
            for r, row in zip(self.residents, self.resident_rows, strict=True)
            if r.id_number_hash
        }
        built = dict(zip(self.resident_rows, self.residents, strict=True))
        hashes = list(by_hash)
        taken: set[str] = set()
        for chunk in chunked(hashes):
            found = Resident.objects.filter(id_number_hash__in=chunk)
            taken.update(h for h in found.values_list("id_number_hash", flat=True) if h)
        mine = self.lookup(
            residents_visible_to(self.user).select_related("household"), taken, "id_number_hash"
        )
        for h in sorted(taken, key=by_hash.__getitem__):
            row = by_hash[h]
            if h in mine:
                self.compare_resident(row, built[row], mine[h])
            else:
                self.error(
                    row,
                    "id_number",
                    _("A resident with this ID number is registered outside your area."),
                )
        self._drop_new({by_hash[h] for h in taken})

    def write(self) -> int:
        # Each new resident gets its audit entry (who added whom, where), as a move-in or birth does.
        Resident.objects.bulk_create(self.residents, batch_size=1000)
        services.residents_created(self.user, self.residents)
        return len(self.residents)
