"""The shape every app's vocabularies share (choices.py): stable short values, a translated label and, for those
shown as badges, a colour."""

from __future__ import annotations

from typing import Self

from django.db import models


class ColouredChoices(models.TextChoices):
    """TextChoices whose every member also carries its badge colour, declared beside its label:
    `ACTIVE = "active", "#2e9d5b", _("Active")`, read as `Status(value).colour`. The pages tint a badge's
    background from it; no stylesheet repeats it. Values, labels and migrations are those of plain TextChoices."""

    colour: str

    def __new__(cls, value: str, colour: str = "") -> Self:  # the default: `Status(value)` looks a member up
        member = str.__new__(cls, value)
        member._value_ = value
        member.colour = colour
        return member

    @classmethod
    def colour_of(cls, value: str) -> str:
        """The colour of `value`, or "" for a value that is not (or no longer) one of the members."""
        return cls(value).colour if value in cls.values else ""

    @classmethod
    def colours(cls) -> dict[str, str]:
        """Each value's colour, for a template that names them (`colours.approved`)."""
        return {member.value: member.colour for member in cls}
