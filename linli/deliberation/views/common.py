"""What the co-governance pages share: the staff sub-navigation and rendering with it."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _

from linli.core.pages import Section, section_page

from .. import permissions

SECTIONS: list[Section] = [
    ("meetings", _("Meetings"), "deliberation:meetings"),
    ("calendar", _("Calendar"), "deliberation:calendar"),
    ("filings", _("Filings waiting"), "deliberation:filings"),
    ("hall", _("Residents' hall"), "deliberation:hall"),
    ("moderation", _("Moderation"), "deliberation:moderation"),
]


def page(
    request: HttpRequest, template: str, section: str, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    return section_page(
        request, template, context, sections=SECTIONS, section=section, table=permissions.TABLE, status=status
    )
