"""An honour's stars for templates. (Volunteering's badges and team colours are core's: `{% load badges %}`,
`{% badge s.state "volunteers.SignupState" %}`, `{{ team.colour|colour:"volunteers.TeamColour" }}`.)"""

from __future__ import annotations

import re
from typing import Any

from django import template

from linli.core.masking import mask_phone

register = template.Library()


@register.filter
def star_marks(level: int) -> str:
    return "★" * int(level or 0)


@register.filter
def masked_phone(phone: str) -> str:
    """A mobile number as lists show it (138****5678): enough to tell two people of one name apart."""
    return mask_phone(phone or "")


# A code another app ends a note with (`core.served`: co-building's "家政 · FW202606260002"), after " · ".
REFERENCE_RE = re.compile(r"^(?P<text>.+?) · (?P<code>[A-Z]{1,4}\d{8,})$")


@register.filter
def note_parts(note: str) -> dict[str, str]:
    """A transfer's note as a ledger line shows it: what was done (the service's name) and apart from it, in small,
    the code of the record it came from, which a worker looks up there but which says nothing read alone."""
    found = REFERENCE_RE.match(note or "")
    if found is None:
        return {"text": note or "", "code": ""}
    return {"text": found["text"], "code": found["code"]}


@register.filter
def counterparts(movement: Any) -> list[str]:
    """The names of the accounts on the other side of a movement's transfer: whom it paid (a movement out), or who
    paid it (a movement in). Others giving alongside it are not whom it paid (two neighbours giving a family an hour
    each: each paid the family, not the other neighbour). Reads the transfer's prefetched movements."""
    out = movement.amount < 0
    return [
        other.account.name
        for other in movement.transfer.movements.all()
        if other.account_id != movement.account_id and (other.amount > 0) == out
    ]
