"""Beacon households (党员中心户): the list per grid, designate and revoke, and the plaque sheets (挂牌, PDF)."""

from __future__ import annotations

from functools import partial
from itertools import groupby

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from linli.core.errors import NotFound
from linli.core.finder import finder_part
from linli.core.pages import form_submit, redirect_on_error, staff_page
from linli.core.printing import pdf_response
from linli.territory.selectors import grids_visible_to

from .. import printing, selectors, services
from ..forms import BeaconForm, RevokeForm
from ..models import BeaconHousehold
from .common import int_or_none, page


def _beacons(request: HttpRequest) -> tuple[QuerySet[BeaconHousehold], int | None]:
    beacons = selectors.beacon_households_visible_to(request.user).select_related("member__party_org")
    grid_id = int_or_none(request.GET.get("grid"))
    if grid_id:
        beacons = beacons.filter(grid_id=grid_id)
    return beacons.order_by("grid__code", "member__name"), grid_id


@staff_page
@require_http_methods(["GET", "POST"])
def beacon_list(request: HttpRequest) -> HttpResponse:
    form = BeaconForm(request.POST or None, user=request.user)
    write = partial(services.beacon_household_designate, actor=request.user)
    if done := form_submit(request, form, write, lambda _beacon: redirect("party:beacons")):
        return done
    beacons, grid_id = _beacons(request)
    by_grid = [(grid, list(rows)) for grid, rows in groupby(beacons, key=lambda b: b.grid)]
    context = {
        "by_grid": by_grid,
        "total": sum(len(rows) for _, rows in by_grid),
        "grids": grids_visible_to(request.user).order_by("code"),
        "grid_id": grid_id,
        "form": form,
        "revoke_form": RevokeForm(),
    }
    return page(request, "party/beacons.html", "beacons", context)


@staff_page
@require_GET
def member_finder(request: HttpRequest) -> HttpResponse:
    """The beacon form's suggestions (htmx) for what is typed in its member box, within the reader's scope."""
    return finder_part(request, BeaconForm(user=request.user))


@staff_page
@require_GET
def plaques(request: HttpRequest) -> HttpResponse:
    """Plaque sheets of the beacon households shown (all, one grid's, or one by ?id=)."""
    beacons, _ = _beacons(request)
    if one := int_or_none(request.GET.get("id")):
        beacons = beacons.filter(pk=one)
    rows = list(beacons)
    if not rows:
        raise NotFound()
    return pdf_response(printing.plaques_pdf(rows), "beacon-plaques.pdf")


@staff_page
@require_POST
@redirect_on_error("party:beacons")
def beacon_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    beacon = selectors.beacon_household_get_for(request.user, pk)
    services.beacon_household_revoke(actor=request.user, beacon=beacon, reason=request.POST.get("reason", ""))
    return redirect("party:beacons")
