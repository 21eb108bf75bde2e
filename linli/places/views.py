"""Pages of service places: the staff map and list with walking circles, a place's page, a new place, coverage;
and the residents' phone page of places near them (open now, what they offer)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from linli.core.pages import form_submit, staff_page
from linli.territory.choices import NodeKind
from linli.territory.selectors import org_nodes_visible_to

from . import coverage, permissions, selectors, services
from .choices import PlaceKind
from .forms import ActivityForm, PlaceEditForm, PlaceForm
from .models import Activity, Place

NEAR_LIMIT = 30


@dataclass(frozen=True)
class NearRow:
    place: Place
    open: bool
    metres: float | None


def _place_feature(place: Place, *, circles: bool) -> dict[str, Any]:
    props: dict[str, Any] = {
        "id": place.pk,
        "name": place.name,
        "kind": place.kind,
        "kind_label": str(place.get_kind_display()),
        "colour": PlaceKind.colour_of(place.kind),
        "address": place.address,
        "open": selectors.is_open(place),
        "url": reverse("places:detail", args=[place.pk]),
    }
    if circles:
        props["circles"] = place.circles
    return {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [place.lng, place.lat]},
        "properties": props,
    }


@staff_page
@require_GET
def place_list(request: HttpRequest) -> HttpResponse:
    places = list(selectors.places_visible_to(request.user))
    rows = [(p, selectors.is_open(p)) for p in places]
    context = {
        "rows": rows,
        "kinds": [(k.value, k.label, k.colour) for k in PlaceKind],
        "may_manage": permissions.may_anywhere(request.user, "place_manage"),
        "section": "places",
    }
    return render(request, "places/list.html", context)


@staff_page
@require_GET
def map_data(request: HttpRequest) -> JsonResponse:
    """The places the user sees with their walking circles, for the map."""
    features = [_place_feature(p, circles=True) for p in selectors.places_visible_to(request.user)]
    return JsonResponse({"type": "FeatureCollection", "features": features})


@staff_page
@require_GET
def place_detail(request: HttpRequest, pk: int) -> HttpResponse:
    place = selectors.place_get_for(request.user, pk)
    return _detail(request, place, ActivityForm())


def _detail(request: HttpRequest, place: Place, form: ActivityForm) -> HttpResponse:
    context = {
        "place": place,
        "open": selectors.is_open(place),
        "hours": selectors.hours_lines(place),
        "feature": _place_feature(place, circles=True),
        "activities": list(selectors.activities_coming(place, days=28)),
        "may_manage": permissions.may(request.user, "place_manage", place.org_node.path),
        "activity_form": form,
        "subscribers": place.subscriptions.count(),
        "section": "places",
    }
    return render(request, "places/detail.html", context)


@staff_page
@require_http_methods(["POST"])
def activity_new(request: HttpRequest, pk: int) -> HttpResponse:
    place = selectors.place_get_for(request.user, pk)
    form = ActivityForm(request.POST)
    done = form_submit(
        request,
        form,
        lambda **data: services.activity_create(actor=request.user, place=place, **data),
        lambda _a: redirect(reverse("places:detail", args=[place.pk]) + "#calendar"),
    )
    if done is not None:
        messages.success(request, _("Added to the calendar."))
        return done
    return _detail(request, place, form)


@staff_page
@require_http_methods(["POST"])
def activity_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    activity = get_object_or_404(
        Activity.objects.select_related("place__org_node").filter(
            place__in=selectors.places_visible_to(request.user)
        ),
        pk=pk,
    )
    services.activity_cancel(actor=request.user, activity=activity)
    messages.success(request, _("Taken off the calendar."))
    return redirect(reverse("places:detail", args=[activity.place_id]) + "#calendar")


@staff_page
@require_http_methods(["GET", "POST"])
def place_edit(request: HttpRequest, pk: int) -> HttpResponse:
    place = selectors.place_get_for(request.user, pk)
    initial = {
        **{name: getattr(place, name) for name in services.PLACE_FIELDS},
        "active": place.active,
        "opening_hours": "\n".join(spans for _day, spans in selectors.hours_lines(place)).replace("–", "-"),
    }
    form = PlaceEditForm(request.POST or None, request.FILES or None, initial=initial)

    def update(**data: Any) -> Place:
        data["opening_hours"] = services.hours_parse(data.pop("opening_hours"))
        photo = data.pop("photo", None)
        return services.place_update(actor=request.user, place=place, photo=photo or None, **data)

    done = form_submit(request, form, update, lambda p: redirect("places:detail", p.pk))
    if done is not None:
        messages.success(request, _("The place is saved."))
        return done
    return render(request, "places/form.html", {"form": form, "place": place, "section": "places"})


@staff_page
@require_http_methods(["GET", "POST"])
def place_new(request: HttpRequest) -> HttpResponse:
    communities = [
        (n.pk, n.name)
        for n in org_nodes_visible_to(request.user).filter(kind=NodeKind.COMMUNITY).order_by("path")
    ]
    form = PlaceForm(request.POST or None, communities=communities)

    def create(**data: Any) -> Place:
        hours = services.hours_parse(data.pop("opening_hours"))
        return services.place_create(
            actor=request.user, org_node_id=data.pop("org_node"), opening_hours=hours, **data
        )

    done = form_submit(request, form, create, lambda place: redirect("places:detail", place.pk))
    if done is not None:
        return done
    return render(request, "places/form.html", {"form": form, "section": "places"})


@staff_page
@require_GET
def coverage_page(request: HttpRequest) -> HttpResponse:
    kind = request.GET.get("kind") or PlaceKind.STATION
    if kind not in PlaceKind.values:
        kind = PlaceKind.STATION
    found = coverage.coverage_for(request.user)
    uncovered = found.uncovered(kind)
    suggestion = coverage.suggestion_for(found, kind)
    points = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [b.building.lng, b.building.lat]},
                "properties": {"name": b.building.name, "households": b.households},
            }
            for b in uncovered
        ],
    }
    kind_rows = [(value, label, found.total.covered.get(value, [0, 0, 0])) for value, label in found.kinds]
    area_rows = [
        (name, community, t.households, t.covered.get(kind, [0, 0, 0])[0], _percent(t.share(kind)))
        for community, areas in ((True, found.by_community), (False, found.by_grid))
        for name, t in areas
    ]
    context = {
        "coverage": found,
        "kind_rows": kind_rows,
        "area_rows": area_rows,
        "kind": kind,
        "kind_label": PlaceKind(kind).label,
        "kinds": [(k.value, k.label) for k in PlaceKind],
        "uncovered": uncovered,
        "uncovered_households": sum(b.households for b in uncovered),
        "suggestion": suggestion,
        "points": points,
        "suggestion_point": [suggestion.lng, suggestion.lat] if suggestion else None,
        "section": "coverage",
    }
    return render(request, "places/coverage.html", context)


def _percent(share: float | None) -> int | None:
    return None if share is None else round(share * 100)


def _float(value: str | None) -> float | None:
    try:
        number = float(value or "")
    except ValueError:
        return None
    return number if math.isfinite(number) else None


@require_GET
def near(request: HttpRequest) -> HttpResponse:
    """Places near me (public, for a phone): nearest first when the phone gave its position, open now marked."""
    lng, lat = _float(request.GET.get("lng")), _float(request.GET.get("lat"))
    kind = request.GET.get("kind", "")
    places = selectors.places_public()
    if kind in PlaceKind.values:
        places = places.filter(kind=kind)
    rows: list[NearRow] = []
    for p in places:
        metres = None
        if lng is not None and lat is not None:
            k = math.cos(math.radians(lat))
            metres = math.hypot((p.lng - lng) * k, p.lat - lat) * 111_195
        rows.append(NearRow(p, selectors.is_open(p), metres))
    if lng is not None:
        rows.sort(key=lambda r: r.metres or 0.0)
    if request.GET.get("open") == "1":
        rows = [r for r in rows if r.open]
    rows = rows[:NEAR_LIMIT]
    context = {
        "rows": rows,
        "coming": selectors.coming_counts([r.place.pk for r in rows]),
        "kind": kind,
        "kinds": [(k.value, k.label) for k in PlaceKind],
        "located": lng is not None,
        "only_open": request.GET.get("open") == "1",
    }
    return render(request, "places/near.html", context)


@require_GET
def public_detail(request: HttpRequest, pk: int) -> HttpResponse:
    place = selectors.place_public_get(pk)
    follows_place, follows_community = selectors.following(request.user, place)
    context = {
        "place": place,
        "open": selectors.is_open(place),
        "hours": selectors.hours_lines(place),
        "activities": list(selectors.activities_coming(place)),
        "follows_place": follows_place,
        "follows_community": follows_community,
    }
    return render(request, "places/public_detail.html", context)


@login_required
@require_http_methods(["POST"])
def follow(request: HttpRequest, pk: int) -> HttpResponse:
    """Follow (or stop following) the place, or with what=community every place of its community."""
    place = selectors.place_public_get(pk)
    if request.POST.get("what") == "community":
        on = services.subscription_toggle(actor=request.user, org_node_id=place.org_node_id)
    else:
        on = services.subscription_toggle(actor=request.user, place=place)
    messages.success(
        request,
        _("Following: the coming week's activities reach you every Monday.")
        if on
        else _("No longer following."),
    )
    return redirect("places:public_detail", place.pk)
