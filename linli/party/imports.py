"""The party members import (and export): a kind of the territory's import pages and commands.

members     姓名/name*, 党组织/party_org*, 党组织区划代码/party_org_node, 户编码/household, 身份证号/id_number,
            联系电话/phone, 入党日期/joined_on, 工作单位/workplace. The household code (with the same name) or the ID
            number links the member to a resident. The phone's column has the member page's word (联系电话); a file
            of the older template, headed 手机号, still imports (`Column.former`, as territory's residents).

Rows are checked all together and written only if all are valid, as every territory import
(linli/territory/imports/); each member is written by `party_member_create`. A row naming a resident who is a
member already (in the user's area) updates them: another branch is a transfer (`party_member_transfer`, with
its event), a name, phone, employer or date of joining goes through `party_member_update`; empty cells leave
the stored values. The export lists the members the
user may see, phone and ID number masked, in the same columns, so it re-imports as it is.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from linli.core import crypto
from linli.core.masking import mask_phone
from linli.core.scoping import scope_by_org
from linli.core.validators import normalize_id_number, validate_id_number, validate_phone
from linli.territory.imports import Column, Importer, Records, chunked, is_masked
from linli.territory.models import Resident
from linli.territory.selectors import Viewer, households_visible_to

from .choices import MemberStatus
from .models import PartyMember, PartyOrg
from .selectors import party_members_visible_to, party_orgs_visible_to
from .services import party_member_create, party_member_transfer, party_member_update

KIND = "members"
LABEL = gettext_lazy("Party members")

COLUMNS = [
    Column("name", "姓名", True, gettext_lazy("Full name"), "李明"),
    Column("party_org", "党组织", True, gettext_lazy("Name of the party branch"), "幸福社区第一党支部"),
    Column(
        "party_org_node",
        "党组织区划代码",
        False,
        gettext_lazy("Division code of the org node of the party branch (when the name is not unique)"),
    ),
    Column(
        "household",
        "户编码",
        False,
        gettext_lazy("Household of the resident of this name, to link the two"),
    ),
    Column("id_number", "身份证号", False, gettext_lazy("ID number of the resident, to link the two")),
    Column(
        "phone",
        "联系电话",
        False,
        gettext_lazy("Mobile or landline number"),
        "13912345678",
        former=("手机号",),
    ),
    Column("joined_on", "入党日期", False, gettext_lazy("Date of joining the party"), "2001-07-01"),
    Column("workplace", "工作单位", False, gettext_lazy("Employer")),
]


class MemberImporter(Importer):
    kind = KIND

    def validate(self, records: Records) -> None:
        orgs_by_name: dict[str, list[PartyOrg]] = defaultdict(list)
        names = sorted({r.get("party_org", "") for _row, r in records if r.get("party_org")})
        visible_orgs = party_orgs_visible_to(self.user)
        for chunk in chunked(names):
            for party_org in visible_orgs.filter(name__in=chunk):
                orgs_by_name[party_org.name].append(party_org)
        households = self.lookup(
            households_visible_to(self.user), (r.get("household", "") for _row, r in records)
        )
        residents_by_household: dict[int, list[Resident]] = defaultdict(list)
        ids = [h.pk for h in households.values()]
        for chunk in chunked(ids):
            for res in Resident.objects.filter(household_id__in=chunk):
                residents_by_household[res.household_id].append(res)  # type: ignore[index]
        hashes: dict[str, str] = {}
        for _row, rec in records:
            value = rec.get("id_number", "")
            if value and not is_masked(value):
                hashes[value] = crypto.lookup_hash(normalize_id_number(value))
        residents_by_hash = self.lookup(
            scope_by_org(Resident.objects.all(), self.user, "grid__org_node__path"),
            hashes.values(),
            "id_number_hash",
        )
        linked_resident_ids = {r.pk for r in residents_by_hash.values()} | {
            r.pk for rs in residents_by_household.values() for r in rs
        }
        already_members = set(
            PartyMember.objects.filter(resident_id__in=linked_resident_ids).values_list(
                "resident_id", flat=True
            )
        )
        my_members = {
            m.resident_id: m
            for m in party_members_visible_to(self.user)
            .select_related("party_org")
            .filter(resident_id__in=linked_resident_ids)
        }
        seen_residents: dict[int, int] = {}
        for row, rec in records:
            ok = self.required(row, rec, "name", "party_org")
            ok &= not self.too_long(row, rec, "name", 50) and not self.too_long(row, rec, "workplace", 120)
            org: PartyOrg | None = None
            candidates = orgs_by_name.get(rec.get("party_org", ""), [])
            if rec.get("party_org_node"):
                candidates = [o for o in candidates if o.org_node.code == rec["party_org_node"]]
            if rec.get("party_org") and not candidates:
                self.unknown_parent(row, "party_org", rec["party_org"])
                ok = False
            elif len(candidates) > 1:
                self.error(
                    row,
                    "party_org_node",
                    _("Several party organisations have this name: give the division code."),
                )
                ok = False
            elif candidates:
                org = candidates[0]
            resident: Resident | None = None
            id_number, valid = self.id_number(row, rec)
            ok &= valid
            if id_number:
                number, valid = self.validated(row, "id_number", id_number, validate_id_number)
                ok &= valid
                if valid:
                    resident = residents_by_hash.get(crypto.lookup_hash(number))
                    if resident is None:
                        self.error(row, "id_number", _("No resident with this ID number in your area."))
                        ok = False
            household, found = self.known(row, rec, "household", households)
            ok &= found
            if household is not None:
                match = [r for r in residents_by_household[household.pk] if r.name == rec.get("name")]
                if not match:
                    self.error(row, "household", _("No resident of this name lives in this household."))
                    ok = False
                elif resident is not None and resident.pk != match[0].pk:
                    self.error(row, "id_number", _("The ID number belongs to another resident."))
                    ok = False
                else:
                    resident = match[0]
            existing: PartyMember | None = None
            if resident is not None:
                if resident.pk in already_members and resident.pk not in my_members:
                    self.error(row, "name", _("This resident is already registered as a party member."))
                    ok = False
                elif resident.pk in seen_residents:
                    self.error(
                        row,
                        "name",
                        _("The same resident is also in row %(row)d.") % {"row": seen_residents[resident.pk]},
                    )
                    ok = False
                else:
                    seen_residents[resident.pk] = row
                    existing = my_members.get(resident.pk)
            if existing is not None and existing.status != MemberStatus.ACTIVE:
                self.error(
                    row, "name", _("%(name)s has left and cannot be changed.") % {"name": existing.name}
                )
                ok = False
            phone = self.unmask(rec, "phone")
            if phone:
                phone, valid = self.validated(row, "phone", phone, validate_phone)
                ok &= valid
            joined, valid = self.date(row, rec, "joined_on", 1921)
            ok &= valid
            if org is not None and org.kind == "group":
                self.error(row, "party_org", _("A party group cannot keep members: name its branch."))
                ok = False
            if ok and existing is not None and org is not None:
                proposed: dict[str, tuple[Any, Any]] = {
                    "name": (existing.name, rec["name"]),
                    "party_org": (existing.party_org.name, org.name),
                }
                kwargs: dict[str, Any] = {"name": rec["name"], "party_org": org}
                for key, value in (
                    ("phone", phone),
                    ("joined_on", joined),
                    ("workplace", rec.get("workplace")),
                ):
                    if value:
                        proposed[key] = (getattr(existing, key), value)
                        kwargs[key] = value
                self.compare(row, existing.name, existing, proposed, kwargs)
                continue
            if ok:
                self.plan.append(
                    (
                        row,
                        {"name": rec["name"], "party_org": org, "resident": resident, "phone": phone}
                        | {"joined_on": joined, "workplace": rec.get("workplace", "")},
                    )
                )

    def update(self, obj: PartyMember, changes: dict[str, Any]) -> None:
        to_org = changes.pop("party_org", None)
        if to_org is not None:
            obj = party_member_transfer(actor=self.user, member=obj, to_org=to_org)
        if changes:
            party_member_update(actor=self.user, member=obj, **changes)

    def create(self, **kwargs: Any) -> PartyMember:
        return party_member_create(actor=self.user, **kwargs)


def member_rows(user: Viewer) -> Iterator[list[Any]]:
    """The export's rows, in the order of COLUMNS, for every member the user may see."""
    members = party_members_visible_to(user).select_related("party_org__org_node", "resident__household")
    for m in members.order_by("id").iterator(chunk_size=2000):
        resident = m.resident
        yield [
            m.name,
            m.party_org.name,
            m.party_org.org_node.code,
            resident.household.code if resident and resident.household else "",
            resident.id_number_masked if resident else "",
            mask_phone(m.phone),
            m.joined_on,
            m.workplace,
        ]
