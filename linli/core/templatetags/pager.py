"""One pager for every paged list: `{% load pager %}` then `{% pager page %}`.

The links keep the request's other query parameters (a filter, a year, a search, another list's page), so moving
through one list never loses what the person chose. Options, all keyword:
- `param`: the query parameter that holds this list's page number, when a page has more than one paged list
  (`{% pager late param="late" %}`); "page" by default.
- `anchor`: a fragment that brings the list back into view after the page loads (`anchor="#late"`).
- `label`: what a screen reader calls the navigation (the list's name); "Pages" by default.
- `previous_text`, `next_text`: the links' words when 上一页 / 下一页 would say less, e.g. for a log shown newest
  first (`previous_text=_("Later orders") next_text=_("Earlier orders")`)."""

from __future__ import annotations

from typing import Any

from django import template
from django.core.paginator import Page
from django.utils.translation import gettext as _

register = template.Library()


def page_url(request: Any, param: str, number: int, anchor: str = "") -> str:
    """The current address with `param` set to `number`, every other query parameter kept."""
    query = request.GET.copy()
    query[param] = str(number)
    return f"?{query.urlencode()}{anchor}"


@register.inclusion_tag("core/pager.html", takes_context=True)
def pager(
    context: template.Context,
    page: Page[Any] | None,
    param: str = "page",
    anchor: str = "",
    label: str = "",
    previous_text: str = "",
    next_text: str = "",
) -> dict[str, Any]:
    if page is None or not page.has_other_pages():
        return {"page": None}
    request = context["request"]
    return {
        "page": page,
        "label": label or _("Pages"),
        "previous_url": page_url(request, param, page.previous_page_number(), anchor)
        if page.has_previous()
        else "",
        "next_url": page_url(request, param, page.next_page_number(), anchor) if page.has_next() else "",
        "previous_text": previous_text or _("Previous page"),
        "next_text": next_text or _("Next page"),
    }
