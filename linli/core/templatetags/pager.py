"""One pager for every paged list: `{% load pager %}` then `{% pager page %}`.

The links keep the request's other query parameters (a filter, a year, a search, another list's page), so moving
through one list never loses what the person chose. Options, all keyword:
- `param`: the query parameter that holds this list's page number, when a page has more than one paged list
  (`{% pager late param="late" %}`); "page" by default.
- `anchor`: a fragment that brings the list back into view after the page loads (`anchor="#late"`).
- `label`: what a screen reader calls the navigation (the list's name); "Pages" by default.
- `previous_text`, `next_text`: the links' words when 上一页 / 下一页 would say less, e.g. for a log shown newest
  first (`previous_text=_("Later orders") next_text=_("Earlier orders")`).

A list is paged with `Paginator(rows, n).get_page(request.GET.get(param))`, which shows page 1 for a number not
understood (`?page=abc`) and the last page for one past the end (`?page=999`). The pager then says so above its
links, in the reader's language (没有第 999 页，显示的是第 3 页（共 3 页）。), even when the list fits on one page, so
nobody who followed a wrong link takes the page shown for the one asked for. A view that says it among its own notes
(appeals' address notes: `appeals.views.listing.paged` sets the page's `note`) is left to say it."""

from __future__ import annotations

from typing import Any

from django import template
from django.core.paginator import Page
from django.utils.translation import gettext as _

register = template.Library()


def page_note(raw: str | None, page: Page[Any]) -> str:
    """ "" when `page` is the page the address asked for (or it asked for none), else what is shown instead."""
    if not raw:
        return ""
    said = {"asked": raw, "shown": page.number, "pages": page.paginator.num_pages}
    try:
        asked = int(raw)
    except ValueError:
        return (
            _("The page number “%(asked)s” was not understood: page %(shown)s of %(pages)s is shown.") % said
        )
    if asked == page.number:
        return ""
    return _("There is no page %(asked)s: page %(shown)s of %(pages)s is shown.") % said


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
    request = context.get("request")
    if page is None or request is None:
        return {"page": None}
    note = "" if hasattr(page, "note") else page_note(request.GET.get(param), page)
    if not page.has_other_pages():
        return {"page": None, "note": note}
    return {
        "page": page,
        "note": note,
        "label": label or _("Pages"),
        "previous_url": page_url(request, param, page.previous_page_number(), anchor)
        if page.has_previous()
        else "",
        "next_url": page_url(request, param, page.next_page_number(), anchor) if page.has_next() else "",
        "previous_text": previous_text or _("Previous page"),
        "next_text": next_text or _("Next page"),
    }
