"""`{% kept_input %}`: what a refused form had typed in (core.kept), as JSON for web/site.js to fill in again."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import json_script
from django.utils.safestring import SafeString, mark_safe

from linli.core.kept import take_kept

register = template.Library()


@register.simple_tag(takes_context=True)
def kept_input(context: dict[str, Any]) -> SafeString:
    request = context.get("request")
    kept = take_kept(request) if request is not None else None
    return json_script(kept, "kept-input") if kept else mark_safe("")
