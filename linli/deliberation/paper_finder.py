"""Finding the household of a paper ballot (纸质选票) by what the recorder has in hand: a resident's name, the
building and room (“3号楼2单元301”, “3-2-301”, or the room “301”), a resident's phone or its last four digits, or the household's
code, among the households of the vote that the recorder may see (core.finder). A suggestion names the home and
its residents and says whether the household has voted, so a stack of forms is entered without doubles."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from linli.core.finder import Finder, FinderWidget, Wording
from linli.core.lookup import MOBILE_RE, people_found, people_named, typed_digits
from linli.core.scoping import Viewer
from linli.territory.choices import ResidentStatus
from linli.territory.models import Household, Resident
from linli.territory.selectors import households_visible_to

from .models import Ballot, Vote
from .selectors import households_of

WORDING = Wording(
    many_named=_(
        "Many households match “%(entry)s”: type the building and room, or a resident's name or phone."
    ),
    several_named=_("%(n)s households match “%(entry)s”: choose one below."),
    type_more=_("No household matches “%(entry)s” exactly: type more of the address or of the name."),
    choose=_("No household matches “%(entry)s” exactly: choose one below."),
    none=_(
        "No household of this vote is found for “%(entry)s”: type a resident's name, the building and room, or the "
        "last four digits of a phone."
    ),
    required=_("Type a resident's name, the building and room or a phone number, then choose the household."),
    more=_("More households match: type more of the address or of the name."),
    nothing=_("No household of this vote is found for “%(text)s”."),
)
# The fields core's Finder is given; the widget reads them through households_found, among those living there now.
NAMES = ("address", "residents__name")
PHONE = "residents__phone"


SHORTHAND = re.compile(r"^(?P<building>\d+)\s*[-－—/]\s*(?:(?P<entrance>\d+)\s*[-－—/]\s*)?(?P<room>\d+)$")


def households_found(
    households: QuerySet[Household], text: str, *, exact: bool, by_phone_end: bool = False
) -> QuerySet[Household]:
    """The households `text` names (`exact`) or may mean: by their address, or by the name or phone of one living
    there now; a resident who moved away or died names no household, though the register's row may still point at
    the one they left."""
    text = text.strip()
    if not text:
        return households.none()
    present = Resident.objects.filter(status=ResidentStatus.PRESENT, household__isnull=False)
    if exact:
        people = people_named(present, text, names=("name",), phone="phone")
    else:
        people = people_found(present, text, names=("name",), phone="phone", by_phone_end=by_phone_end)
    living = Q(pk__in=people.values("household"))
    if typed_digits(text):  # a phone number, or its last digits: no address is only digits
        return households.filter(living)
    return households.filter(living | Q(address=text) if exact else living | Q(address__contains=text))


class HouseholdFinderWidget(FinderWidget):
    """core's finder reading what is typed as a resident's name (of those living there), the address, a phone,
    a room or a code."""

    def _by_code_or_room(self, text: str, *, exact: bool) -> QuerySet[Any]:
        assert self.pool is not None, "configure the finder first"
        text = text.strip()
        if not text or MOBILE_RE.match(typed_digits(text)):
            return self.pool.none()
        short = SHORTHAND.match(text)
        if short:  # “3-2-301” (building, entrance, room) or “3-301”, as doorstep forms are often marked
            building, entrance, room = short.group("building", "entrance", "room")
            named = Q(building__name=building) | Q(building__name__startswith=f"{building}号")
            named |= Q(building__name__in=[f"{building}栋", f"{building}幢"])
            # As it is typed (“3-2-30”) the rooms it begins are offered; sent, only the whole room names one.
            found = self.pool.filter(named, **{"room" if exact else "room__startswith": room})
            return found.filter(entrance__number=int(entrance)) if entrance else found
        if exact:
            return self.pool.filter(Q(room=text) | Q(code__iexact=text))
        return self.pool.filter(Q(room__startswith=text) | Q(code__istartswith=text))

    def found(self, text: str) -> QuerySet[Any]:
        assert self.pool is not None, "configure the finder first"
        found = households_found(self.pool, text, exact=False, by_phone_end=self.by_phone_end)
        return (found | self._by_code_or_room(text, exact=False)).distinct()

    def named(self, text: str) -> QuerySet[Any]:
        assert self.pool is not None, "configure the finder first"
        return (
            households_found(self.pool, text, exact=True) | self._by_code_or_room(text, exact=True)
        ).distinct()


class HouseholdFinder(Finder):
    """A form field naming one household of a vote; `configure` it with `vote_households` and `household_row`."""

    widget_class = HouseholdFinderWidget  # reads what is typed as a room or a code too

    def __init__(self, *, placeholder: Any = "", **kwargs: Any) -> None:
        super().__init__(names=NAMES, phone=PHONE, wording=WORDING, placeholder=placeholder, **kwargs)


def vote_households(vote: Vote, user: Viewer) -> QuerySet[Household]:
    """The households of the vote's area the recorder may see, each with its present residents and its ballots
    in this vote counted (`n_ballots`)."""
    ballots = (
        Ballot.objects.filter(vote=vote, household=OuterRef("pk"))
        .values("household")
        .annotate(n=Count("pk"))
        .values("n")
    )
    present = Resident.objects.filter(status=ResidentStatus.PRESENT).order_by("pk")
    return (
        households_of(vote.node)
        .filter(pk__in=households_visible_to(user).values("pk"))
        .annotate(n_ballots=Coalesce(Subquery(ballots), 0))
        .prefetch_related(Prefetch("residents", queryset=present, to_attr="present"))
        .order_by("code")
    )


def household_row(household: Household) -> tuple[str, str]:
    """A suggestion: the home; its residents and whether it has voted (on a per-resident vote, how many did)."""
    names = "、".join(r.name for r in getattr(household, "present", [])[:4])
    voted = getattr(household, "n_ballots", 0)
    parts = [names] if names else []
    if voted:
        parts.append(gettext("has voted") if voted == 1 else gettext("%(n)s ballots in") % {"n": voted})
    return household.address, " · ".join(parts)


def why_not_in_vote(vote: Vote, user: Viewer) -> Callable[[str], str]:
    """Why nothing is found for an entry: the one household of the recorder's area it names lies outside the vote's."""

    def explain(entry: str) -> str:
        named = list(households_found(households_visible_to(user), entry, exact=True)[:2])
        if len(named) != 1:
            return ""
        return gettext("%(address)s is not among the households of this vote (%(area)s).") % {
            "address": named[0].address,
            "area": vote.node.name,
        }

    return explain
