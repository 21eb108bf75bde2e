"""What the co-governance pages share: the staff sub-navigation and rendering with it."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from .. import permissions

SECTIONS = [
    ("meetings", _("Meetings"), "deliberation:meetings"),
    ("calendar", _("Calendar"), "deliberation:calendar"),
    ("filings", _("Filings waiting"), "deliberation:filings"),
    ("hall", _("Residents' hall"), "deliberation:hall"),
    ("moderation", _("Moderation"), "deliberation:moderation"),
]


def page(
    request: HttpRequest, template: str, section: str, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    user = request.user
    context = {
        "sections": SECTIONS,
        "section": section,
        "may": {action: permissions.may_anywhere(user, action) for action in permissions.ACTION_RULES},
        **context,
    }
    return render(request, template, context, status=status)
