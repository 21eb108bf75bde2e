"""Public disclosure (三公开): per community, the volumes, the three rates and handling time, and the resolved
appeals of public categories with every piece of personal data left out — no names, phones, addresses or free
text; a place is named only by its grid and community. Also an Open311 (GeoReport v2 style) feed of the same."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control

from linli.appeals.choices import SOLVED_OUTCOMES
from linli.appeals.figures import empty_sums, figures_from
from linli.appeals.models import Appeal
from linli.appeals.public import communities as _communities
from linli.appeals.public import public_item, public_only
from linli.core.errors import DomainError
from linli.territory.models import OrgNode

from .periods import Period, period_for
from .selectors import Scope, figures
from .sources import Query, collect

FEED_LIMIT = 200
PUBLIC_PER_PAGE = 50  # a community's resolved appeals on its public page, newest resolution first


def _period(request: HttpRequest) -> tuple[Period, str]:
    try:
        return period_for(request.GET.get("period", "year"), request.GET.get("date", "")), ""
    except DomainError as exc:  # the public page shows this year with a note, never an error page
        return period_for("year"), str(exc.message)


def public_appeals(community: OrgNode | None, period: Period) -> QuerySet[Appeal]:
    """Solved public appeals (appeals.public decides which) received in the period, newest resolution first."""
    lo = dt.datetime.combine(period.start, dt.time.min, tzinfo=timezone.get_current_timezone())
    hi = dt.datetime.combine(
        period.end + dt.timedelta(days=1), dt.time.min, tzinfo=timezone.get_current_timezone()
    )
    qs = public_only(
        Appeal.objects.filter(
            created_at__gte=lo, created_at__lt=hi, outcome__in=[str(o) for o in SOLVED_OUTCOMES]
        )
    )
    if community is not None:
        qs = qs.filter(org_path__startswith=community.path)
    return qs.select_related("category__parent", "grid").order_by("-resolved_at", "-id")


@cache_control(public=True, max_age=300)
def index(request: HttpRequest) -> HttpResponse:
    """Every community's figures, grouped by street (three queries whatever the size of the city)."""
    period, error = _period(request)
    sums = collect(Query("community", None, period.start, period.end), ["node"])
    streets: dict[int, dict[str, Any]] = {}
    for c in OrgNode.objects.filter(kind="community").select_related("parent").order_by("path"):
        street = streets.setdefault(
            c.parent_id or 0, {"name": c.parent.name if c.parent else "", "communities": []}
        )
        street["communities"].append(
            {"id": c.pk, "name": c.name, **figures_from(sums.get((c.pk,), empty_sums()))}
        )
    return render(
        request,
        "dashboard/public/index.html",
        {
            "period": period,
            "streets": list(streets.values()),
            "error": error,
            "this_year": timezone.localdate().year,  # no link on to a year still to come, all of it zero
        },
    )


@cache_control(public=True, max_age=300)
def community(request: HttpRequest, pk: int) -> HttpResponse:
    node = OrgNode.objects.filter(pk=pk, kind="community").first()
    if node is None:
        raise Http404
    period, error = _period(request)
    scope = Scope(level="community", name=node.name, path=node.path, node=node)
    names = _communities()
    page = Paginator(public_appeals(node, period), PUBLIC_PER_PAGE).get_page(request.GET.get("page"))
    items = [public_item(a, names) for a in page.object_list]
    context = {"node": node, "period": period, "f": figures(scope, period), "items": items, "page": page}
    return render(request, "dashboard/public/community.html", {**context, "error": error})


def requests_json(request: HttpRequest) -> HttpResponse:
    """Open311 GeoReport v2 style list of resolved public appeals: ?community=<id>&start_date&end_date."""
    community_node = None
    if request.GET.get("community"):
        if not request.GET["community"].isdigit():
            return JsonResponse(
                [{"code": 400, "description": _("community must be a number.")}], status=400, safe=False
            )
        community_node = OrgNode.objects.filter(pk=int(request.GET["community"]), kind="community").first()
        if community_node is None:
            return JsonResponse(
                [{"code": 404, "description": _("No such community.")}], status=404, safe=False
            )
    try:
        start = (
            dt.date.fromisoformat(request.GET["start_date"][:10]) if request.GET.get("start_date") else None
        )
        end = dt.date.fromisoformat(request.GET["end_date"][:10]) if request.GET.get("end_date") else None
    except ValueError:
        return JsonResponse(
            [{"code": 400, "description": _("Dates must be YYYY-MM-DD.")}], status=400, safe=False
        )
    end = end or timezone.localdate()
    start = start or end - dt.timedelta(days=90)
    if end < start:
        return JsonResponse(
            [{"code": 400, "description": _("The end date is before the start date.")}],
            status=400,
            safe=False,
        )
    names = _communities()
    out = []
    for a in public_appeals(community_node, Period("custom", start, end))[:FEED_LIMIT]:
        item = public_item(a, names)
        out.append(
            {
                "service_request_id": item["id"],
                "status": "closed",
                "status_notes": item["outcome"],
                "service_name": item["subject"],
                "service_code": item["service_code"],
                "description": item["category"],
                "requested_datetime": item["received"].isoformat(),
                "updated_datetime": item["resolved"].isoformat() if item["resolved"] else None,
                "address": " ".join(x for x in (item["community"], item["grid"]) if x),
                "lat": item["lat"],
                "long": item["lng"],
            }
        )
    response = JsonResponse(out, safe=False, json_dumps_params={"ensure_ascii": False})
    response["Access-Control-Allow-Origin"] = "*"
    return response
