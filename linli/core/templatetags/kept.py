"""What a refused form had typed in (core.kept), given back to it on the page it is sent back to.

- `{% refill_kept %}…{% endrefill_kept %}` (around web/base.html's main) puts the texts back into the form they
  were typed in on the server, so the page shows them with no script at all (the form's own markup is unchanged:
  its inputs and textareas are filled by name).
- `{% kept_input %}` gives the same texts as JSON (#kept-input) for web/site.js, marked `filled` when the server
  has put them back; site.js fills a form in only when the server could not (a form outside the wrapped part)."""

from __future__ import annotations

from typing import Any

from django import template
from django.template.base import Parser, Token
from django.utils.html import json_script
from django.utils.safestring import SafeString, mark_safe

from linli.core.kept import fill_kept_form, kept_for_page

register = template.Library()


@register.simple_tag(takes_context=True)
def kept_input(context: dict[str, Any]) -> SafeString:
    request = context.get("request")
    kept = kept_for_page(request) if request is not None else None
    return json_script(kept, "kept-input") if kept else mark_safe("")


class RefillNode(template.Node):
    def __init__(self, nodelist: template.NodeList) -> None:
        self.nodelist = nodelist

    def render(self, context: template.Context) -> str:
        html = self.nodelist.render(context)
        request = context.get("request")
        kept = kept_for_page(request) if request is not None else None
        if request is None or not kept or kept.get("filled"):
            return html
        refilled, filled = fill_kept_form(html, kept, request.get_full_path())
        if filled:
            kept["filled"] = True
        return mark_safe(refilled)


@register.tag
def refill_kept(parser: Parser, token: Token) -> RefillNode:
    nodelist = parser.parse(("endrefill_kept",))
    parser.delete_first_token()
    return RefillNode(nodelist)
