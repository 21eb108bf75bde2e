"""An honour's stars for templates. (Volunteering's badges and team colours are core's: `{% load badges %}`,
`{% badge s.state "volunteers.SignupState" %}`, `{{ team.colour|colour:"volunteers.TeamColour" }}`.)"""

from __future__ import annotations

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
