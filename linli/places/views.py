"""Pages of service places: the staff map and list with walking circles, a place's page, a new place, coverage;
and the residents' phone page of places near them (open now, what they offer)."""

from __future__ import annotations

from collections.abc import Mapping
from functools import partial
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse, QueryDict
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from linli.accounts.selectors import verified_household
from linli.core.files import file_response
from linli.core.orgpath import path_ids
from linli.core.pages import (
    form_submit,
    posted_form,
    refused_status,
    signed_in_page,
    staff_page,
    staff_page_residents_to,
    success_redirect,
)
from linli.core.scoping import WholeTree, get_or_404, tree_scope_path
from linli.territory.choices import NodeKind
from linli.territory.roads import roads_geojson
from linli.territory.selectors import grids_visible_to, org_nodes_visible_to

from . import coverage, nearby, permissions, selectors, services
from .choices import PlaceKind
from .forms import ActivityForm, PlaceEditForm, PlaceForm
from .models import Place
from .nearby import Origin

NEAR_LIMIT = 30
WEEK_PER_PAGE = 30  # what is on this week at the places shown, page by page (`?week=`)


def _place_feature(place: Place, *, circles: bool, public: bool = False) -> dict[str, Any]:
    props: dict[str, Any] = {
        "id": place.pk,
        "name": place.name,
        "kind": place.kind,
        "kind_label": str(place.get_kind_display()),
        "colour": PlaceKind.colour_of(place.kind),
        "address": place.address,
        "open": selectors.is_open(place),
        "url": reverse("places:public_detail" if public else "places:detail", args=[place.pk]),
    }
    if circles:
        props["circles"] = place.circles
    return {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [place.lng, place.lat]},
        "properties": props,
    }


@staff_page_residents_to("places:near")
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


def _detail(request: HttpRequest, place: Place, form: ActivityForm, status: int = 200) -> HttpResponse:
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
    return render(request, "places/detail.html", context, status=status)


@staff_page
@posted_form("places:detail")
def activity_new(request: HttpRequest, pk: int) -> HttpResponse:
    place = selectors.place_get_for(request.user, pk)
    form = ActivityForm(request.POST)
    calendar = reverse("places:detail", args=[place.pk]) + "#calendar"
    then = success_redirect(request, _("Added to the calendar."), calendar)
    write = partial(services.activity_create, actor=request.user, place=place)
    return form_submit(request, form, write, then) or _detail(request, place, form, status=422)


@staff_page
@require_http_methods(["POST"])
def activity_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    activity = selectors.activity_get_for(request.user, pk)
    services.activity_cancel(actor=request.user, activity=activity)
    messages.success(request, _("Taken off the calendar."))
    return redirect(reverse("places:detail", args=[activity.place_id]) + "#calendar")


@staff_page
@require_http_methods(["GET", "POST"])
def place_edit(request: HttpRequest, pk: int) -> HttpResponse:
    place = selectors.place_get_for(request.user, pk)
    # Seen is not managed: a grid worker sees their community's centre, only its staff edit it.
    permissions.require(request.user, "place_manage", place.org_node.path)
    initial = {
        **{name: getattr(place, name) for name in services.PLACE_FIELDS},
        "active": place.active,
        "opening_hours": "\n".join(spans for _day, spans in selectors.hours_lines(place)).replace("–", "-"),
    }
    form = PlaceEditForm(
        request.POST or None, request.FILES or None, initial=initial, has_photo=bool(place.photo)
    )

    def update(**data: Any) -> Place:
        data["opening_hours"] = services.hours_parse(data.pop("opening_hours"))
        photo = data.pop("photo", None)
        return services.place_update(
            actor=request.user,
            place=place,
            photo=photo or None,
            photo_remove=data.pop("photo_remove", False),
            **data,
        )

    then = success_redirect(request, _("The place is saved."), "places:detail", pk=place.pk)
    if done := form_submit(request, form, update, then):
        return done
    context = {"form": form, "place": place, "section": "places"}
    return render(
        request,
        "places/form.html",
        context | _map_grids(request.user, place.org_node_id),
        status=refused_status(request),
    )


def _map_grids(user: Any, community_id: Any) -> dict[str, str]:
    """The grids of the place's community, drawn bold on the form's map and framing it, as a venue's grid is on
    its form (the codes for web/map.js's data-grid-code)."""
    node = org_nodes_visible_to(user).filter(pk=community_id).first() if str(community_id).isdigit() else None
    if node is None:
        return {"map_grids": ""}
    grids = grids_visible_to(user).filter(org_node__path__startswith=node.path).order_by("code")
    return {"map_grids": ",".join(grids.values_list("code", flat=True))}


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
    chosen = form["org_node"].value() or (communities[0][0] if communities else None)
    return render(
        request,
        "places/form.html",
        {"form": form, "section": "places"} | _map_grids(request.user, chosen),
        status=refused_status(request),
    )


@staff_page
@require_GET
def coverage_page(request: HttpRequest) -> HttpResponse:
    kind = request.GET.get("kind") or PlaceKind.STATION
    if kind not in PlaceKind.values:
        kind = PlaceKind.STATION
    unit, path, grid_id = _unit(request)
    found = coverage.coverage_for(request.user, path, grid_id)
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
    t = found.total
    totals = (t.households, t.elderly_alone, t.under_three)
    # Each kind: how many households (all, with an elderly resident living alone, with a child under 3) it reaches,
    # of how many, as a percentage.
    kind_rows = [
        (
            value,
            label,
            [
                (n, of, _percent(n / of if of else None))
                for n, of in zip(found.total.covered.get(value, [0, 0, 0]), totals, strict=True)
            ],
        )
        for value, label in found.kinds
    ]
    context = {
        "coverage": found,
        "unit": unit,
        "kind_rows": kind_rows,
        "communities": _communities(found, kind),
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


def _communities(found: coverage.Coverage, kind: str) -> list[dict[str, Any]]:
    """Each community's households and how many a place of the kind reaches, with the same of each of its grids
    (in reading order) and how many of them it does not reach whole."""
    grids: dict[int | None, list[dict[str, Any]]] = {}
    for name, t in found.by_grid:
        grids.setdefault(t.community_id, []).append(_area(name, t, kind))
    out = []
    for name, t in found.by_community:
        rows = grids.get(t.community_id, [])
        short = sum(1 for r in rows if r["share"] is not None and r["share"] < 100)
        out.append({**_area(name, t, kind), "grids": rows, "short": short})
    return out


def _area(name: str, tally: coverage.Tally, kind: str) -> dict[str, Any]:
    covered = tally.covered.get(kind, [0, 0, 0])[0]
    return {
        "name": name,
        "households": tally.households,
        "covered": covered,
        "share": _percent(tally.share(kind)),
    }


def _unit(request: HttpRequest) -> tuple[tuple[str, str] | None, str, int | None]:
    """The area the coverage page is narrowed to (?unit=n<org node> or g<grid>, as on the dashboard), within
    what the user sees: ((key, name) or None, org path, grid id). A unit out of reach is not found."""
    unit = request.GET.get("unit", "")
    if unit[:1] == "n" and unit[1:].isdigit():
        node = get_or_404(org_nodes_visible_to(request.user), pk=int(unit[1:]))
        return (unit, node.name), node.path, None
    if unit[:1] == "g" and unit[1:].isdigit():
        grid = get_or_404(grids_visible_to(request.user), pk=int(unit[1:]))
        return (unit, grid.name), "", grid.pk
    return None, "", None


def _percent(share: float | None) -> int | None:
    return None if share is None else round(share * 100)


def _float(value: str | None) -> float | None:
    try:
        return float(value or "")
    except ValueError:
        return None


def _origin(request: HttpRequest) -> Origin | None:
    here = nearby.position(_float(request.GET.get("lng")), _float(request.GET.get("lat")))
    if here is not None:
        return Origin(*here, "here", _("where you are"))
    home = verified_household(request.user)
    if home is not None:
        building = home.building
        return Origin(building.lng, building.lat, "home", building.name)
    if request.user.is_authenticated:
        # A grid worker on patrol looks from their grid: their compound holds no centre, and the district's first
        # centre, another community's, ordered their own community's places after the far ones.
        grid = grids_visible_to(request.user).filter(workers=request.user).order_by("code").first()
        if grid is not None:
            return Origin(grid.centroid_lng, grid.centroid_lat, "grid", grid.name)
    centres = selectors.places_public().filter(kind=PlaceKind.PARTY_CENTRE).order_by("org_node__path", "id")
    # A worker looks from a centre of their own area first, else from the nearest above it.
    area = tree_scope_path(request.user)
    centre = None
    if area:
        centre = (
            centres.filter(org_node__path__startswith=area).first()
            or centres.filter(org_node__in=path_ids(area)).order_by("-org_node__path").first()
        )
    centre = centre or centres.first()
    if centre is None:
        return None
    return Origin(centre.lng, centre.lat, "centre", centre.name)


NEAR_CHOICES = (
    "kind",
    "open",
    "within",
    "lng",
    "lat",
)  # what narrows "near me", kept from the list to a place and back


def _near_choices(params: Mapping[str, str]) -> str:
    """The choices of "near me" given (a kind, open now, within a walk, the phone's position) as a query string."""
    return urlencode([(name, params[name]) for name in NEAR_CHOICES if params.get(name)])


def _from_near(choices: str) -> str:
    """The query a place's page is opened with from the list narrowed by `choices`, so its back link returns there."""
    return "?" + urlencode({"from": choices}) if choices else ""


@require_GET
def near(request: HttpRequest) -> HttpResponse:
    """Places near me (public, for a phone): a map with the list below, nearest first by the walk along the roads
    from the phone's position (when the resident lets the browser give it), their home or a community centre;
    open now marked or filtered; what is on this week at the places shown."""
    origin = _origin(request)
    kind = request.GET.get("kind", "")
    only_open = request.GET.get("open") == "1"
    within = request.GET.get("within") == str(coverage.LIMIT_MIN)
    rows = nearby.near_rows(origin, kind=kind, only_open=only_open, within=within)[:NEAR_LIMIT]
    to_place = _from_near(_near_choices(request.GET))
    shown = [r.place.pk for r in rows]
    week = Paginator(
        selectors.activities_this_week(Place.objects.filter(pk__in=shown)), WEEK_PER_PAGE
    ).get_page(request.GET.get("week"))
    coming = selectors.coming_counts(shown)
    features = [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [r.place.lng, r.place.lat]},
            "properties": {
                "name": r.place.name,
                "kind_label": str(r.place.get_kind_display()),
                "colour": PlaceKind.colour_of(r.place.kind),
                "address": r.place.address,
                "open": r.open,
                "minutes": r.minutes,
                "week": coming.get(r.place.pk, 0),
                "url": reverse("places:public_detail", args=[r.place.pk]) + to_place,
            },
        }
        for r in rows
    ]
    context = {
        "rows": rows,
        "coming": coming,
        "week": week,
        "kind": kind,
        "kinds": [(k.value, k.label) for k in PlaceKind],
        "origin": origin,
        "only_open": only_open,
        "within": within and origin is not None,
        "limit_min": coverage.LIMIT_MIN,
        "to_place": to_place,
        "map_data": {
            "type": "FeatureCollection",
            "features": features,
            "origin": [origin.lng, origin.lat] if origin else None,
        },
    }
    return render(request, "places/near.html", context)


@require_GET
def roads_public(request: HttpRequest) -> JsonResponse:
    """The streets the residents' map draws when there is no tile server (street lines are public)."""
    data = roads_geojson(WholeTree())
    for feature in data["features"]:
        feature["properties"] = {"kind": feature["properties"]["kind"]}
    return JsonResponse(data)


@require_GET
def photo(request: HttpRequest, pk: int) -> HttpResponseBase:
    """A place's photo, for whoever may see the place: anyone while it is in service (its public page shows it),
    else staff of its area; 404 without one."""
    place = selectors.places_public().filter(pk=pk).first() or selectors.place_get_for(request.user, pk)
    if not place.photo:
        raise Http404
    return file_response(place.photo, public=place.active)


@require_GET
def public_detail(request: HttpRequest, pk: int) -> HttpResponse:
    place = selectors.place_public_get(pk)
    follows_place, follows_community = selectors.following(request.user, place)
    choices = _near_choices(QueryDict(request.GET.get("from", "")))  # the list it was opened from
    context = {
        "near_url": reverse("places:near") + ("?" + choices if choices else ""),
        "from_near": _from_near(choices),
        "place": place,
        "open": selectors.is_open(place),
        "hours": selectors.hours_lines(place),
        "activities": list(selectors.activities_coming(place)),
        "feature": _place_feature(place, circles=True, public=True),
        "follows_place": follows_place,
        "follows_community": follows_community,
        "community": selectors.place_community(place),
    }
    return render(request, "places/public_detail.html", context)


@signed_in_page
@posted_form("places:public_detail")
def follow(request: HttpRequest, pk: int) -> HttpResponse:
    """Follow (or stop following) the place, or with what=community every place of its community."""
    place = selectors.place_public_get(pk)
    if request.POST.get("what") == "community":
        community = selectors.place_community(place)
        on = services.subscription_toggle(actor=request.user, community_id=community.pk)
    else:
        on = services.subscription_toggle(actor=request.user, place=place)
    messages.success(
        request,
        _("Following: the coming week's activities reach you every Monday.")
        if on
        else _("No longer following."),
    )
    back = _from_near(_near_choices(QueryDict(request.GET.get("from", ""))))
    return redirect(reverse("places:public_detail", args=[place.pk]) + back)
