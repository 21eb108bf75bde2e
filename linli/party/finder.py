"""Finding a party member by name or phone, where a drop-down of every member of the area (a community has over a
hundred) used to be: the beacon-household form.

A search box offers, as one types, the members it may mean (htmx asks `party:member_finder`, inside the reader's
scope: the form's `pool`), each a radio button to choose. Without JavaScript the box is resolved when the form is
sent: a whole name that only one member carries, or a whole mobile number, is that member; nothing found, or several
of that name, comes back with a message in Chinese and the members to choose from, everything typed kept. A choice
made stands while the text still finds it, so a box changed afterwards is read again rather than overruled.

The time bank's account finder (volunteers/finder.py) works the same way for one or several accounts; this is its
single-choice form for members (what both share would move to core as one finder taking the two look-ups).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from linli.core.masking import mask_phone

from .choices import MemberStatus
from .models import PartyMember
from .selectors import members_found, members_named

OPTIONS = 8  # suggestions shown at once; more asks for more of the name


@dataclass
class Lookup:
    """What a finder's text and choice name: the member, or why not and the members it may mean."""

    member: PartyMember | None = None
    options: list[PartyMember] = field(default_factory=list)
    message: str = ""


def _refusal(text: str, options: list[PartyMember], *, several: bool, more: bool) -> str:
    words = {"entry": text, "n": len(options)}
    if several and more:
        return (
            _("Many members are named “%(entry)s”: type their phone number or its last four digits.") % words
        )
    if several:
        return _("%(n)s members are named “%(entry)s”: choose one below, or type the phone number.") % words
    if more:
        return (
            _("No member is named exactly “%(entry)s”: type more of the name, or the phone number.") % words
        )
    if options:
        return _("No member is named exactly “%(entry)s”: choose one below, or type the whole name.") % words
    return (
        _("No member found for “%(entry)s”: type the whole name, or the last four digits of the phone.")
        % words
    )


def why_not(member: PartyMember) -> str:
    """Why a member the reader can see is not among those the beacon form may name."""
    if member.status != MemberStatus.ACTIVE:
        return _("%(name)s has left and cannot be designated.") % {"name": member.name}
    if hasattr(member, "beacon"):
        return _("%(name)s's household is already a beacon household.") % {"name": member.name}
    return _(
        "%(name)s is not linked to a household of the register: link the member to their resident record first."
    ) % {"name": member.name}


def resolve(pool: QuerySet[PartyMember], text: str, pick: str, *, known: QuerySet[PartyMember]) -> Lookup:
    """The member of `pool` the typed `text` and the chosen `pick` name. `known`, the members the reader sees,
    says why a member named exactly is not in the pool."""
    text = text.strip()
    if pick.isdigit():
        picked = pool.filter(pk=int(pick)).first()
        if picked and (not text or members_found(pool, text).filter(pk=picked.pk).exists()):
            return Lookup(member=picked)
    if not text:
        return Lookup()
    named = list(members_named(pool, text)[: OPTIONS + 1])
    if len(named) == 1:
        return Lookup(member=named[0])
    options = named or list(members_found(pool, text)[: OPTIONS + 1])
    if not options and len(elsewhere := list(members_named(known, text)[:2])) == 1:
        return Lookup(message=why_not(elsewhere[0]))
    more = len(options) > OPTIONS
    message = _refusal(text, options[:OPTIONS], several=bool(named), more=more)
    return Lookup(options=[] if more else options[:OPTIONS], message=message)


def suggestions(pool: QuerySet[PartyMember], text: str) -> tuple[list[PartyMember], bool]:
    """The members offered under the box as `text` is typed, and whether there are more than shown."""
    rows = list(members_found(pool, text)[: OPTIONS + 1]) if text.strip() else []
    return rows[:OPTIONS], len(rows) > OPTIONS


def rows(members: list[PartyMember]) -> list[dict[str, Any]]:
    """What a suggestion shows of each member: the name, the home, the branch and the phone masked."""
    return [
        {
            "pk": m.pk,
            "name": m.name,
            "home": m.resident.household.address if m.resident and m.resident.household else "",
            "branch": m.party_org.name,
            "phone": mask_phone(m.phone) if m.phone else "",
        }
        for m in members
    ]


class MemberFinderWidget(forms.Widget):
    """The search box and the members it may mean under it, each a radio button (`<name>_pick`)."""

    template_name = "party/widgets/member_finder.html"

    def __init__(self, *, placeholder: Any = "") -> None:
        super().__init__()
        self.placeholder = placeholder
        self.pool: QuerySet[PartyMember] = PartyMember.objects.none()
        self.known: QuerySet[PartyMember] = PartyMember.objects.none()
        self.url = ""

    def value_from_datadict(self, data: Any, files: Any, name: str) -> tuple[str, str]:
        return (str(data.get(name) or ""), str(data.get(f"{name}_pick") or ""))

    def value_omitted_from_data(self, data: Any, files: Any, name: str) -> bool:
        return name not in data and f"{name}_pick" not in data

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        text, pick = value if isinstance(value, tuple) else ("", "")
        found = resolve(self.pool, text, pick, known=self.known) if (text or pick) else Lookup()
        if found.member is not None:
            options, more = [found.member], False
        elif found.message:
            options, more = found.options, False
        else:
            options, more = suggestions(self.pool, text)
        context["finder"] = {
            "id": (attrs or {}).get("id") or f"id_{name}",
            "name": name,
            "text": text,
            "url": self.url,
            "placeholder": self.placeholder,
            "options": rows(options),
            "chosen": found.member.pk if found.member else None,
            "more": more,
            "searched": text.strip() if not found.message else "",
        }
        return context


class MemberFinder(forms.Field):
    """A form field naming one party member by name or phone; `configure` gives it the members it may name (a
    scoped selector's), those the reader sees (to say why one is not offered) and the address of its
    suggestions."""

    widget = MemberFinderWidget
    default_error_messages = {
        "required": gettext_lazy("Type a member's name or the last four digits of their phone, then choose."),
    }

    def __init__(self, *, placeholder: Any = "", **kwargs: Any) -> None:
        kwargs["widget"] = MemberFinderWidget(placeholder=placeholder)
        super().__init__(**kwargs)

    def configure(self, *, pool: QuerySet[PartyMember], known: QuerySet[PartyMember], url: str) -> None:
        widget = self.widget
        assert isinstance(widget, MemberFinderWidget)
        widget.pool, widget.known, widget.url = pool, known, url

    def clean(self, value: Any) -> PartyMember | None:
        widget = self.widget
        assert isinstance(widget, MemberFinderWidget)
        text, pick = value if isinstance(value, tuple) else ("", "")
        found = resolve(widget.pool, text, pick, known=widget.known)
        if found.message:
            raise forms.ValidationError(found.message, code="not_found")
        if found.member is None and self.required:
            raise forms.ValidationError(self.error_messages["required"], code="required")
        return found.member
