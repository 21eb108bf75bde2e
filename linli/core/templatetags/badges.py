"""`{% load badges %}`: the one way a page draws a badge of a vocabulary's value, coloured as its choices declare it
(core.choices.ColouredChoices). The vocabulary is named "<app label>.<class>" (core.choices.vocabulary):

    {% badge c.state "care.ContactState" %}
        → <span class="badge care" style="--badge:#2e9d5b">已联系</span>
    {% badge appeal.state "appeals.AppealState" css="ap-badge ap-state" %}   (another look, the same colour)
    {% badge "approved" "accounts.ClaimStatus" label=_("Verified") %}       (the value's colour, other words)
    {{ plan.level|colour:"territory.CareLevel" }}   {{ kind|label:"care.CaseKind" }}   (for a stripe, a card, a text)

A value that is not (or no longer) one of the vocabulary's shows as itself on the plain grey badge."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from ..choices import vocabulary

register = template.Library()


def _member(value: Any, name: str) -> Any:
    choices = vocabulary(name)
    return choices(value) if value in choices.values else None


@register.simple_tag
def badge(value: Any, name: str, label: Any = None, css: str = "badge care") -> SafeString:
    """The badge of `value` in the vocabulary `name`: its label (or `label`) on its colour."""
    member = _member(value, name)
    text = label if label is not None else (member.label if member is not None else value)
    colour = getattr(member, "colour", "")
    if not colour:
        return format_html('<span class="badge">{}</span>', text)
    ink = getattr(member, "ink", "")
    style = f"--badge:{colour};color:{ink}" if ink else f"--badge:{colour}"
    return format_html('<span class="{}" style="{}">{}</span>', css, style, text)


@register.filter
def colour(value: Any, name: str) -> str:
    """The colour of `value` in the vocabulary `name`, "" for a value that is none of it (or an uncoloured one)."""
    return getattr(_member(value, name), "colour", "")


@register.filter
def label(value: Any, name: str) -> str:
    """The label of `value` in the vocabulary `name`, or the value itself when it is none of it."""
    member = _member(value, name)
    return str(member.label) if member is not None else value
