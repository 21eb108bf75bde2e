"""Pages of a grid's things and events (物和情): its venues and facilities, and its visit log (民情日志), on the
phone as on the desk. Objects come through the scoping selectors (outside the scope: 404); every write is a
service call; a form the service refuses is shown again with its error and everything typed kept (status 422).
What higher apps offer on a visit (raising an appeal) comes from `visit_actions`."""

from __future__ import annotations

import re
from functools import partial
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from linli.core.kept_files import KeptFiles
from linli.core.pages import form_submit, posted_form, staff_page

from . import selectors, services, visit_actions
from .choices import SMALL_VENUES, VenueCategory
from .field_forms import VenueForm, VisitForm
from .models import Grid, Venue, Visit
from .services.common import may_maintain, may_visit, require_maintainer, require_visitor
from .services.visits import MAX_PHOTOS

VISITS_PER_PAGE = 30


def _saved(request: HttpRequest, message: str, obj: Visit | Venue) -> HttpResponse:
    """After a write: its message, and the page of the visit or venue written."""
    messages.success(request, message)
    name = "territory:visit" if isinstance(obj, Visit) else "territory:venue"
    return HttpResponseRedirect(reverse(name, args=[obj.pk]))


def _numbered(text: str) -> list[Any]:
    """`text` for sorting with its numbers as numbers: 2号楼 before 10号楼, 2单元 before 10单元, 201 before 1001."""
    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", text)]


def _visit_form(request: HttpRequest, grid: Grid, data: Any = None, files: Any = None) -> VisitForm:
    households = sorted(
        selectors.households_visible_to(request.user).filter(building__grid=grid),
        key=lambda h: (_numbered(h.building.name), h.building_id, _numbered(h.address)),
    )
    venues = list(selectors.venues_visible_to(request.user).filter(grid=grid).order_by("name"))
    initial = {}
    for key in ("household", "venue"):
        if request.GET.get(key, "").isdigit():
            initial["place"] = f"{key[0]}{request.GET[key]}"
    return VisitForm(data, files, households=households, venues=venues, initial=initial)


def _grid_visits_page(
    request: HttpRequest, grid: Grid, form: VisitForm, status: int = 200, kept: KeptFiles | None = None
) -> HttpResponse:
    visits = selectors.visits_visible_to(request.user).filter(grid=grid).order_by("-visited_at", "-id")
    page = Paginator(visits, VISITS_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "grid": grid,
        "heading": _("Visit log"),
        "page": page,
        "form": form,
        "kept": kept,
        "may_visit": may_visit(request.user),
        "counts": selectors.grid_things_and_events(grid),
    }
    return render(request, "territory/grid_visits.html", context, status=status)


@staff_page
@require_http_methods(["GET", "POST"])
def grid_visits(request: HttpRequest, pk: int) -> HttpResponse:
    """The grid's visit log, newest first, and the form to log a visit (household, venue, what was found)."""
    grid = selectors.grid_get_for(request.user, pk)
    if request.method == "GET":
        return _grid_visits_page(request, grid, _visit_form(request, grid))
    require_visitor(request.user)
    form = _visit_form(request, grid, request.POST, request.FILES)

    def log(**data: Any) -> Visit:
        what = {key: data[key] for key in ("found", "follow_up", "visited_at", "photos")}
        return services.visit_log(actor=request.user, grid=grid, **what, **form.place_objects())

    # A worker on patrol who left a field empty keeps the photos taken: they come back as thumbnails to keep.
    kept = KeptFiles(request, "photos", most=MAX_PHOTOS)
    done = form_submit(
        request, form, log, lambda visit: _saved(request, _("Visit logged."), visit), kept=kept
    )
    return done or _grid_visits_page(request, grid, form, status=422, kept=kept)


@staff_page
@require_GET
def visit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    visit = selectors.visit_get_for(request.user, pk)
    context = {
        "visit": visit,
        "photos": list(visit.photos.all()),
        "actions": visit_actions.offered(request.user, visit),
        "may_close": may_visit(request.user) and bool(visit.follow_up) and visit.follow_up_done_at is None,
    }
    return render(request, "territory/visit_detail.html", context)


@staff_page
@posted_form("territory:visit")
def visit_follow_up_done(request: HttpRequest, pk: int) -> HttpResponse:
    visit = selectors.visit_get_for(request.user, pk)
    services.visit_follow_up_done(actor=request.user, visit=visit)
    messages.success(request, _("The follow-up is marked done."))
    return HttpResponseRedirect(reverse("territory:visit", args=[visit.pk]))


@staff_page
@require_GET
def visit_photo(request: HttpRequest, pk: int, photo_pk: int) -> FileResponse:
    """A visit's photo, for those who see the visit (photos of homes are not public)."""
    visit = selectors.visit_get_for(request.user, pk)
    photo = next((p for p in visit.photos.all() if p.pk == photo_pk), None)
    if photo is None:
        raise Http404
    return FileResponse(photo.image.open("rb"))


# ---------------------------------------------------------------------------------------------- venues


def _decorate(venue: Venue) -> Venue:
    venue.is_small_venue = venue.category in SMALL_VENUES  # type: ignore[attr-defined]
    return venue


def _grid_venues_page(request: HttpRequest, grid: Grid, form: VenueForm, status: int = 200) -> HttpResponse:
    category = request.GET.get("category", "")
    venues = selectors.venues_visible_to(request.user).filter(grid=grid).order_by("category", "name")
    present = set(venues.values_list("category", flat=True).distinct())
    if category in VenueCategory.values:
        venues = venues.filter(category=category)
    context = {
        "grid": grid,
        "heading": _("Venues and facilities"),
        "venues": [_decorate(v) for v in venues],
        "category": category,
        "categories": [(k, label) for k, label in VenueCategory.choices if k in present],
        "form": form,
        "may_maintain": may_maintain(request.user),
        "open": status != 200,
        "counts": selectors.grid_things_and_events(grid),
    }
    return render(request, "territory/grid_venues.html", context, status=status)


@staff_page
@require_http_methods(["GET", "POST"])
def grid_venues(request: HttpRequest, pk: int) -> HttpResponse:
    """The grid's venues and facilities with their state, and (for those who keep the register) the form to add one."""
    grid = selectors.grid_get_for(request.user, pk)
    if request.method == "GET":
        # No position to start from: the grid's centre would be saved for a venue nobody placed.
        return _grid_venues_page(request, grid, VenueForm())
    require_maintainer(request.user)
    form = VenueForm(request.POST)
    create = partial(services.venue_create, actor=request.user, grid=grid)
    done = form_submit(
        request, form, create, lambda v: _saved(request, _("%(name)s recorded.") % {"name": v.name}, v)
    )
    return done or _grid_venues_page(request, grid, form, status=422)


def _venue_page(
    request: HttpRequest, venue: Venue, form: VenueForm | None = None, status: int = 200
) -> HttpResponse:
    fields = (
        "category",
        "name",
        "address",
        "lng",
        "lat",
        "owner_name",
        "floor_area",
        "state",
        "inspected_on",
        "notes",
    )
    context = {
        "venue": _decorate(venue),
        "visits": Paginator(
            selectors.visits_visible_to(request.user).filter(venue=venue).order_by("-visited_at", "-id"),
            VISITS_PER_PAGE,
        ).get_page(request.GET.get("page")),
        "form": form
        or VenueForm(initial={f: getattr(venue, f) for f in fields}, phone_masked=venue.contact_phone_masked),
        "may_maintain": may_maintain(request.user),
        "may_visit": may_visit(request.user),
        "open": status != 200,
    }
    return render(request, "territory/venue_detail.html", context, status=status)


@staff_page
@require_GET
def venue_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _venue_page(request, selectors.venue_get_for(request.user, pk))


@staff_page
@posted_form("territory:venue")
def venue_edit(request: HttpRequest, pk: int) -> HttpResponse:
    venue = selectors.venue_get_for(request.user, pk)
    require_maintainer(request.user)
    form = VenueForm(request.POST, phone_masked=venue.contact_phone_masked)

    def update(*, contact_phone: str, **data: Any) -> Venue:
        # An empty phone field keeps the number (the form never shows it in clear).
        return services.venue_update(
            actor=request.user, venue=venue, contact_phone=contact_phone or None, **data
        )

    done = form_submit(request, form, update, lambda v: _saved(request, _("Saved."), v))
    return done or _venue_page(request, venue, form, status=422)
