"""Finding a party member, or the resident record a member is linked to, by name or phone (core.finder), where a
drop-down of every member of the area (a community has over a hundred) or of every resident (thousands) used to be:
the beacon-household form, and the member's join and edit forms. What is party's own: the words, what a suggestion
shows (the home, the branch, the phone masked) and why a person the reader knows is not offered."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from linli.core.finder import Finder, Wording
from linli.core.lookup import people_named
from linli.core.masking import mask_phone
from linli.territory.choices import ResidentStatus
from linli.territory.models import Resident

from .choices import MemberStatus
from .models import PartyMember

WORDING = Wording(
    many_named=_("Many members are named “%(entry)s”: type their phone number or its last four digits."),
    several_named=_("%(n)s members are named “%(entry)s”: choose one below, or type the phone number."),
    type_more=_("No member is named exactly “%(entry)s”: type more of the name, or the phone number."),
    choose=_("No member is named exactly “%(entry)s”: choose one below, or type the whole name."),
    none=_("No member found for “%(entry)s”: type the whole name, or the last four digits of the phone."),
    required=_("Type a member's name or the last four digits of their phone, then choose."),
    more=_("More members match: type more of the name, or the last four digits of the phone."),
    nothing=_("No member who may be designated is found for “%(text)s”."),
)
NAMES = ("name",)


class MemberFinder(Finder):
    """A form field naming one party member by name or phone; `configure` it with `member_row` and, to say why
    a member is not offered, `why_not_named`."""

    def __init__(self, *, placeholder: Any = "", **kwargs: Any) -> None:
        super().__init__(names=NAMES, phone="phone", wording=WORDING, placeholder=placeholder, **kwargs)


def member_row(member: PartyMember) -> tuple[str, str]:
    """What a suggestion shows of a member: the name; the home, the branch and the phone masked."""
    home = member.resident.household.address if member.resident and member.resident.household else ""
    parts = [home, member.party_org.name] + ([mask_phone(member.phone)] if member.phone else [])
    return member.name, " · ".join(parts)


def why_not(member: PartyMember) -> str:
    """Why a member the reader can see is not among those the beacon form may name."""
    if member.status != MemberStatus.ACTIVE:
        return gettext("%(name)s has left and cannot be designated.") % {"name": member.name}
    if hasattr(member, "beacon"):
        return gettext("%(name)s's household is already a beacon household.") % {"name": member.name}
    return gettext(
        "%(name)s is not linked to a household of the register: link the member to their resident record first."
    ) % {"name": member.name}


def why_not_named(known: QuerySet[PartyMember]) -> Callable[[str], str]:
    """Why nobody is found for an entry: the one member of `known` (those the reader sees) it names exactly."""

    def explain(entry: str) -> str:
        named = list(people_named(known, entry, names=NAMES, phone="phone")[:2])
        return why_not(named[0]) if len(named) == 1 else ""

    return explain


RESIDENT_WORDING = Wording(
    many_named=_("Many residents are named “%(entry)s”: type their phone number or its last four digits."),
    several_named=_("%(n)s residents are named “%(entry)s”: choose one below, or type the phone number."),
    type_more=_("No resident is named exactly “%(entry)s”: type more of the name, or the phone number."),
    choose=_("No resident is named exactly “%(entry)s”: choose one below, or type the whole name."),
    none=_("No resident found for “%(entry)s”: type the whole name, or the last four digits of the phone."),
    required=_("Type the resident's name or the last four digits of their phone, then choose."),
    more=_("More residents match: type more of the name, or the last four digits of the phone."),
    nothing=_("No resident who may be linked is found for “%(text)s”."),
)


class ResidentFinder(Finder):
    """A form field naming the resident record a member is linked to, by name or phone; `configure` it with
    `resident_row` and, to say why a resident is not offered, `why_not_linked`."""

    def __init__(self, *, placeholder: Any = "", **kwargs: Any) -> None:
        super().__init__(
            names=NAMES, phone="phone", wording=RESIDENT_WORDING, placeholder=placeholder, **kwargs
        )


def resident_row(resident: Resident) -> tuple[str, str]:
    """What a suggestion shows of a resident: the name; the home (or the grid), the year of birth, the phone
    masked."""
    home = resident.household.address if resident.household else resident.grid.name
    parts = [home, gettext("born %(year)s") % {"year": resident.birth_date.year}]
    return resident.name, " · ".join(parts + ([mask_phone(resident.phone)] if resident.phone else []))


def why_not_linked(known: QuerySet[Resident]) -> Callable[[str], str]:
    """Why nobody is found for an entry: the one resident of `known` (those the reader sees) it names exactly is a
    member already, or no longer lives here."""

    def explain(entry: str) -> str:
        named = list(people_named(known, entry, names=NAMES, phone="phone")[:2])
        if len(named) != 1:
            return ""
        resident = named[0]
        if resident.status != ResidentStatus.PRESENT:
            return gettext("%(name)s no longer lives here (%(status)s).") % {
                "name": resident.name,
                "status": resident.get_status_display(),
            }
        return gettext("%(name)s is a party member already: open their record among the members.") % {
            "name": resident.name
        }

    return explain
