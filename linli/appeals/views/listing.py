"""What a staff list's address asks that the list does not understand. A filter value, a page number or a parameter
the list does not take never answers 404 or 500: the list is shown (the filters understood applied, the nearest page)
and a note in the reader's language says what was left out (`address_notes` in the context, drawn by
partials/address_notes.html), so a person who followed a wrong link does not take the list for what they asked."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _

from linli.core.templatetags.pager import page_note


def paged(request: HttpRequest, qs: QuerySet[Any], size: int, param: str = "page") -> Page[Any]:
    """The page of `qs` the address's `param` names (the first for a number not understood, the last past the
    end), its `note` saying so when it is not the one asked for."""
    raw = request.GET.get(param)
    page = Paginator(qs, size).get_page(raw)
    page.note = page_note(raw, page)  # type: ignore[attr-defined]
    return page


def not_taken(request: HttpRequest, known: Iterable[str]) -> list[str]:
    """A note for each parameter of the address that the list does not take (`dept=-1` on a list of no
    departments), so that nobody reads the list as filtered by it."""
    taken = set(known)
    return [
        _("“%(param)s” is not a filter of this list: it was left out.") % {"param": f"{name}={value}"}
        for name, value in request.GET.items()
        if name not in taken
    ]


def address_notes(request: HttpRequest, known: Iterable[str], *pages: Page[Any]) -> list[str]:
    """Every note of a simple list page: its pages' numbers not understood, then the parameters it does not take."""
    said = [str(getattr(p, "note", "")) for p in pages]
    return [note for note in said if note] + not_taken(request, known)
