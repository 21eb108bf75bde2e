"""Households: each in a building, optionally behind one of its entrances.

A code already registered in the user's area updates that household (room, entrance, rented) through
`household_update`; a household does not change building by import (its people move: a life event)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from .. import services
from ..models import Household
from ..selectors import buildings_visible_to, households_visible_to
from .base import Importer, Records
from .columns import NO_WORDS, YES_WORDS


class HouseholdImporter(Importer):
    kind = "households"

    def validate(self, records: Records) -> None:
        codes = self.check_codes(
            records, Household, 48, households_visible_to(self.user).select_related("entrance")
        )
        buildings = self.lookup(
            buildings_visible_to(self.user).prefetch_related("entrances"),
            (r.get("building", "") for _row, r in records),
        )
        for row, rec in records:
            ok = row in codes
            ok &= self.required(row, rec, "building", "room")
            ok &= not self.too_long(row, rec, "room", 20)
            building, found = self.known(row, rec, "building", buildings)
            ok &= found
            entrance = None
            number, valid = self.whole_number(row, rec, "entrance", 0, 1, 99)
            ok &= valid
            if number and building is not None:
                entrance = next((e for e in building.entrances.all() if e.number == number), None)
                if entrance is None:
                    self.error(
                        row,
                        "entrance",
                        _("Building %(code)s has no entrance %(n)d.") % {"code": building.code, "n": number},
                    )
                    ok = False
            rented = rec.get("rented", "").strip().lower()
            if rented not in YES_WORDS | NO_WORDS:
                self.error(row, "rented", _("Write owner-occupied or rented."))
                ok = False
            existing = self.existing.get(rec.get("code", ""))
            if ok and existing is not None and building is not None:
                if existing.building_id != building.pk:
                    self.error(
                        row,
                        "building",
                        _("Household %(code)s is in building %(building)s; it does not change building.")
                        % {"code": existing.code, "building": existing.building.code},
                    )
                    continue
                proposed: dict[str, tuple[Any, Any]] = {"room": (existing.room, rec["room"])}
                kwargs: dict[str, Any] = {"room": {"room": rec["room"]}}
                if number:
                    proposed["entrance"] = (existing.entrance.number if existing.entrance else None, number)
                    kwargs["entrance"] = {"entrance": entrance}
                if rented:
                    proposed["rented"] = (existing.is_rented, rented in YES_WORDS)
                    kwargs["rented"] = {"is_rented": rented in YES_WORDS}
                self.compare(row, existing.code, existing, proposed, kwargs)
                continue
            if ok:
                self.plan.append(
                    (
                        row,
                        {"building": building, "code": rec["code"], "room": rec["room"], "entrance": entrance}
                        | {"is_rented": rented in YES_WORDS},
                    )
                )

    def update(self, obj: Household, changes: dict[str, Any]) -> None:
        merged = {k: v for part in changes.values() for k, v in part.items()}
        services.household_update(actor=self.user, household=obj, **merged)

    def create(self, **kwargs: Any) -> Household:
        return services.household_create(actor=self.user, **kwargs)
