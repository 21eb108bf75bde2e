"""The shape every app's vocabularies share (choices.py): stable short values, a translated label and, for those
shown as badges, a colour. Templates name a vocabulary as "<app label>.<class>" (`vocabulary("care.CaseState")`) and
draw its badges with `{% load badges %}` (core/templatetags/badges.py)."""

from __future__ import annotations

from functools import cache
from importlib import import_module
from typing import Self

from django.apps import apps
from django.db import models


class ColouredChoices(models.TextChoices):
    """TextChoices whose every member also carries its badge colour, declared beside its label:
    `ACTIVE = "active", "#2e9d5b", _("Active")`, read as `Status(value).colour`. The pages tint a badge's
    background from it; no stylesheet repeats it. A colour so light that white text does not read on it declares
    the text's colour after it: `YELLOW = "yellow", "#d9a400", "#3d2e00", _("Yellow")`. Values, labels and
    migrations are those of plain TextChoices."""

    colour: str
    ink: str  # the badge text's colour, "" for the usual white

    def __new__(
        cls, value: str, colour: str = "", ink: str = ""
    ) -> Self:  # the default: `Status(value)` looks up
        member = str.__new__(cls, value)
        member._value_ = value
        member.colour = colour
        member.ink = ink
        return member

    @classmethod
    def colour_of(cls, value: str) -> str:
        """The colour of `value`, or "" for a value that is not (or no longer) one of the members."""
        return cls(value).colour if value in cls.values else ""


@cache
def vocabulary(name: str) -> type[models.TextChoices]:
    """The choices class named "<app label>.<class>" ("care.ContactState", "territory.CareLevel"), read from that
    app's choices module the way `apps.get_model("app.Model")` reads a model. A name that names none raises
    LookupError, so a misspelt name in a template fails its page's tests instead of showing no colour."""
    app_label, _dot, class_name = name.partition(".")
    module = import_module(f"{apps.get_app_config(app_label).name}.choices")
    found = getattr(module, class_name, None)
    if not (isinstance(found, type) and issubclass(found, models.TextChoices)):
        raise LookupError(f"{module.__name__} has no choices class {class_name!r}")
    return found
