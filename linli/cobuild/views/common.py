"""What co-building's pages share: the signed-in check, the staff sub-navigation, the fund statement's period."""

from __future__ import annotations

import datetime as dt
import json
from functools import partial, wraps
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from linli.core.errors import ValidationFailed
from linli.core.pages import Section, form_submit, go_to, section_page, staff_page, success_redirect
from linli.core.roles import UNIT_ROLES
from linli.core.scoping import is_admin
from linli.territory.selectors import grids_visible_to

from .. import permissions, selectors, services

View = Any


STAFF_SECTIONS: list[Section] = [
    ("needs", _("Needs list"), "cobuild:staff_needs"),
    ("resources", _("Resources list"), "cobuild:staff_resources"),
    ("projects", _("Projects list"), "cobuild:staff_projects"),
    ("orders", _("Service orders"), "cobuild:staff_orders"),
    ("wishes", _("Small wishes"), "cobuild:staff_wishes"),
    ("partners", _("Partner units"), "cobuild:staff_partners"),
    ("stars", _("Service stars"), "cobuild:staff_stars"),
    ("fund", _("Community fund"), "cobuild:staff_fund"),
]

# A unit's account (a partner unit's contact, a property company's staff) keeps no list of a community's: only its
# unit's commitment lists, as party's pages give it only its pairings.
UNIT_SECTIONS = [s for s in STAFF_SECTIONS if s[0] == "partners"]
UNITS_KEEP = _(
    "Co-building's lists, projects, orders and fund are kept by the community's staff; a department's, a partner "
    "unit's or a property company's account keeps its unit's commitment lists, here under Partner units."
)


def unit_account(user: Any) -> bool:
    """A unit's account (a department's, a partner unit's, a property company's), which keeps only its unit's
    commitment lists here; an administrator is not one, whatever their role."""
    return getattr(user, "role", None) in UNIT_ROLES and not is_admin(user)


def community_page(view: View) -> View:
    """`staff_page` for a page of the community's co-building (its lists, projects, orders, wishes, stars and fund).
    A unit's account (a department's, a partner unit's or a property company's), which keeps only its unit's
    commitment lists (UNIT_SECTIONS), is taken there with a word why when it opens such a page (a link or a typed
    address), and refused (403) a post."""

    @staff_page
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        if unit_account(request.user):
            if request.method in ("GET", "HEAD"):
                messages.info(request, UNITS_KEEP)
                return go_to(request, reverse("cobuild:staff_partners"))
            raise PermissionDenied(UNITS_KEEP)
        return view(request, *args, **kwargs)

    return wrapped


def staff_render(
    request: HttpRequest,
    template: str,
    section: str,
    context: dict[str, Any],
    *,
    map_pick: bool = False,
) -> HttpResponse:
    """A staff page with the sub-navigation and what the person is offered (`may`): each action they may take in a
    community of their area, by the rule the services check (`areas` to `section_page`). One whose role keeps the
    lists but who has no community to keep them in (a grid worker, whose part is a compound below it) is told where
    their part of co-building is (`below_community`): a need found on a visit goes on the list from the visit.
    A page with a picking map (`map_pick`) gets the grids it opens on (`map_grids`) and where each community of
    its form lies (`map_areas`), so the map opens on the community chosen and moves to the next. A post one of
    whose forms was refused answers 422 (with what was typed), as every refused form does."""
    user = request.user
    communities = list(selectors.communities_for(user).only("pk", "path"))
    paths = [c.path for c in communities]
    below = not paths and not is_admin(user) and permissions.may_manage_anywhere(user, "lists_manage")
    bold, areas = selectors.map_areas(communities) if map_pick else ("", {})
    context = {
        "below_community": below,
        # The way to their visits, where a need goes on the list.
        "own_grids": list(grids_visible_to(user).filter(parent_grid__isnull=True).order_by("code")[:6])
        if below
        else [],
        **({"map_grids": bold, "map_areas": json.dumps(areas)} if map_pick else {}),
        **context,
    }
    return section_page(
        request,
        template,
        context,
        sections=UNIT_SECTIONS if getattr(user, "role", None) in UNIT_ROLES else STAFF_SECTIONS,
        section=section,
        table=permissions.TABLE,
        areas=paths,
        status=422 if request.method == "POST" and any(_refused(v) for v in context.values()) else 200,
    )


def _refused(value: Any) -> bool:
    return isinstance(value, BaseForm) and value.is_bound and bool(value.errors)


# A staff list's rows to a page: on a phone each reads as a compact card (`cb-compact`), fifteen of them about two
# screens, the pages' links (`cobuild/partials/pager.html`) keeping the list's filters.
PER_PAGE = 15


def list_page(
    request: HttpRequest,
    *,
    section: str,
    template: str,
    form: BaseForm,
    service: Any,
    message: str,
    to: Any = None,
    rows: QuerySet[Any] | None = None,
    extra: Any = None,
    form_name: str = "form",
    map_pick: bool = False,
) -> HttpResponse:
    """A staff list page with its "add" form: a valid post calls `service(actor=…, **cleaned data)`, says `message`
    and goes to `to(result)` (this page when None); otherwise the page shows `rows` PER_PAGE to a page as `page`,
    the form (with its errors) as `form_name`, and what `extra(page)` adds."""
    then = success_redirect(request, message, to if to is not None else request.path)
    if response := form_submit(request, form, partial(service, actor=request.user), then):
        return response
    page: Page[Any] | None = None
    if rows is not None:
        page = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    context = {form_name: form, "page": page, **(extra(page) if extra is not None else {})}
    return staff_render(request, template, section, context, map_pick=map_pick)


def statement_period_of(request: HttpRequest) -> dict[str, Any]:
    """The statement's period asked for in the query (`year` with an optional `quarter`, a `month`, or `from` and
    `to`), parsed by the one definition the API uses too; this year, with the error, when it does not parse."""
    q = request.GET
    error = ""
    try:
        start, end = services.statement_period(
            year=q.get("year"),
            quarter=q.get("quarter"),
            month=q.get("month"),
            date_from=q.get("from"),
            date_to=q.get("to"),
        )
    except ValidationFailed as e:
        error = e.message
        start, end = services.statement_period()
    return {
        "period_start": start,
        "period_end": end - dt.timedelta(days=1),
        "period_error": error,
        "period_years": range(timezone.localdate().year, 1999, -1)[:10],
        "period_query": {k: q.get(k, "") for k in ("year", "quarter", "month", "from", "to")},
    }
