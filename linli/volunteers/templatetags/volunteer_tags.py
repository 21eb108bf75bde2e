"""An honour's stars for templates. (Volunteering's badges and team colours are core's: `{% load badges %}`,
`{% badge s.state "volunteers.SignupState" %}`, `{{ team.colour|colour:"volunteers.TeamColour" }}`.)"""

from __future__ import annotations

from django import template

register = template.Library()


@register.filter
def star_marks(level: int) -> str:
    return "★" * int(level or 0)
