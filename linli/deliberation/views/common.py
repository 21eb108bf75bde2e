"""What the co-governance pages share: the staff sub-navigation and rendering with it, and the refusal of a form
page whose action the person's role never takes."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _

from linli.core.errors import PermissionDenied
from linli.core.pages import Section, section_page
from linli.territory.selectors import Viewer

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


def role_takes(user: Viewer, action: str) -> None:
    """The page of a form for `action` opens only for a role that takes it somewhere: anyone else gets the 403 page
    with the table's reason at once, instead of filling the form in to be refused."""
    if not permissions.TABLE.may_manage_anywhere(user, action):
        raise PermissionDenied(permissions.DENIED[action])
