"""`{% sign_in_hints "staff" %}` / `{% sign_in_hints "resident" %}`: the hints the apps above accounts registered
for a sign-in page (see linli.accounts.sign_in_hints)."""

from __future__ import annotations

from typing import Any

from django import template
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from linli.accounts.sign_in_hints import Page, registered

register = template.Library()


@register.simple_tag(takes_context=True)
def sign_in_hints(context: template.Context, page: Page) -> SafeString:
    shown = []
    for hint in registered():
        part = hint.on(page)
        if part is None:
            continue
        data: Any = part.read()
        if data is not None:
            shown.append(render_to_string(part.template, {"hint": data}, request=context.get("request")))
    return mark_safe("".join(shown))  # each rendered by its template, autoescaped
