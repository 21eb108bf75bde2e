"""Badges of co-building's states, coloured from their choices."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import format_html

from ..choices import NeedState, OrderState, PaymentState, ProjectState, WishState

register = template.Library()

KINDS = {
    "need": NeedState,
    "order": OrderState,
    "wish": WishState,
    "payment": PaymentState,
    "project": ProjectState,
}


@register.simple_tag
def state_badge(kind: str, value: str) -> str:
    choices: Any = KINDS[kind]
    label = choices(value).label if value in choices.values else value
    return format_html(
        '<span class="badge care" style="--badge:{}">{}</span>', choices.colour_of(value), label
    )
