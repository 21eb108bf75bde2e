"""What co-building's pages share: the signed-in check, the staff sub-navigation."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from .. import permissions

View = Any


def signed_in(view: View) -> View:
    return login_required(view, login_url="accounts:resident_login")


STAFF_SECTIONS = [
    ("needs", _("Needs list"), "cobuild:staff_needs"),
    ("resources", _("Resources list"), "cobuild:staff_resources"),
    ("projects", _("Projects list"), "cobuild:staff_projects"),
    ("orders", _("Service orders"), "cobuild:staff_orders"),
    ("wishes", _("Small wishes"), "cobuild:staff_wishes"),
    ("partners", _("Partner units"), "cobuild:staff_partners"),
    ("stars", _("Service stars"), "cobuild:staff_stars"),
    ("fund", _("Community fund"), "cobuild:staff_fund"),
]


def staff_render(request: HttpRequest, template: str, section: str, context: dict[str, Any]) -> HttpResponse:
    context = {
        "sections": STAFF_SECTIONS,
        "section": section,
        "may": {a: permissions.may_manage_anywhere(request.user, a) for a in permissions.ACTION_RULES},
        **context,
    }
    return render(request, template, context)
