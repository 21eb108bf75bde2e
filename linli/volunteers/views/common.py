"""What the volunteering pages share: the signed-in check, a form's write, the staff sub-navigation."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _

from linli.accounts.auth import request_account
from linli.core.pages import BoundForm, Section, form_submit, refused_status, section_page, success_redirect

from .. import permissions

View = Any


def submit(
    request: HttpRequest,
    form: BoundForm,
    service: Callable[..., Any],
    message: str | Callable[[Any], str],
    to: str | Callable[[Any], Any],
) -> HttpResponse | None:
    """A form's whole write (`core.pages.form_submit`): posted and valid → `service(actor=the signed-in account,
    **cleaned data)` → `message` said as a success and on to `to`; None when the view shows the form (again)."""
    write = partial(service, actor=request_account(request))
    return form_submit(request, form, write, success_redirect(request, message, to))


def paged(request: HttpRequest, rows: QuerySet[Any], param: str, per_page: int = 30) -> Page[Any]:
    """One page of a list, its number in the query parameter `param` (shown with `{% pager page param=… %}`)."""
    return Paginator(rows, per_page).get_page(request.GET.get(param))


STAFF_SECTIONS: list[Section] = [
    ("activities", _("Activities"), "volunteers:staff_activities"),
    ("volunteers", _("Volunteers"), "volunteers:staff_volunteers"),
    ("teams", _("Teams"), "volunteers:staff_teams"),
    ("bank", _("Time bank"), "volunteers:staff_bank"),
    ("store", _("Points store"), "volunteers:staff_store"),
    ("honours", _("Honours"), "volunteers:staff_honours"),
    ("rules", _("Points rules"), "volunteers:staff_rules"),
]


def staff_render(request: HttpRequest, template: str, section: str, context: dict[str, Any]) -> HttpResponse:
    return section_page(
        request,
        template,
        context,
        sections=STAFF_SECTIONS,
        section=section,
        table=permissions.TABLE,
        status=refused_status(request),
    )
