"""Pages of the overview (一网统览): the dashboard, the wall screen, the appeals behind a figure, exports and
reports. Every page reads through selectors scoped to the signed-in user."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.paginator import Paginator
from django.db.models import TextField
from django.db.models.functions import Cast
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from linli.appeals.exports import appeals_csv, appeals_xlsx
from linli.appeals.figures import HEADLINE_FIGURES, TIERS
from linli.appeals.models import Appeal, Category
from linli.appeals.selectors import appeals_visible_to
from linli.care.selectors import overview as care_overview
from linli.cobuild.selectors import overview as cobuild_overview
from linli.core.errors import DomainError, ValidationFailed
from linli.core.pages import staff_page
from linli.deliberation.selectors import overview as deliberation_overview
from linli.places.selectors import overview as places_overview
from linli.sensors.selectors import overview as sensors_overview
from linli.volunteers.selectors import overview as volunteers_overview

from . import reports, selectors
from .models import MonthlyReport
from .periods import DEFAULT_KIND, LAST_DAYS, LAST_DAYS_KIND, Period, period_for
from .selectors import Scope

# The sets of appeals behind the figures, by measure name (a 0/1 column of AppealFact).
REPORTS_PER_PAGE = 50  # the filed monthly reports, newest month first, page by page

BEHIND = [
    "received",
    "counted",
    "open",
    "overdue",
    "breached",
    "concluded",
    "fixed",
    "on_time",
    "reached",
    "responded",
    "rated",
    "satisfied",
    "basically",
    "unsatisfied",
    "dispatched",
    "returned",
    "ever_resolved",
    "reworked",
    *[f"tier_{t}" for t in TIERS],
    "tier_none",
    *selectors.MEASURE_GROUPS,
]


def _request_params(request: HttpRequest) -> tuple[Scope, Period, Any, str]:
    """Scope, period, category and trend step from the query string; DomainError on bad input."""
    g = request.GET
    scope = selectors.scope_for(request.user, g.get("unit", ""))
    period = period_for(
        g.get("period", DEFAULT_KIND), g.get("date", ""), g.get("start", ""), g.get("end", "")
    )
    category = selectors.category_for(g.get("category", ""))
    step = g.get("step", "")
    if step not in ("", "day", "week", "month"):
        step = ""
    return scope, period, category, step


def query_string(base: dict[str, Any], **changes: Any) -> str:
    params = {**base, **changes}
    return urlencode({k: v for k, v in params.items() if v not in ("", None)})


def _base_params(scope: Scope, period: Period, category: Category | None) -> dict[str, Any]:
    if period.kind == "custom":
        return {
            "unit": scope.key,
            "period": "custom",
            "start": period.start.isoformat(),
            "end": period.end.isoformat(),
            "category": category.code if category else "",
        }
    return {
        "unit": scope.key,
        "period": period.kind,
        "date": _anchor(period).isoformat(),
        "category": category.code if category else "",
    }


def _anchor(period: Period) -> dt.date:
    """The date that names the period in a link: its last day for the last 30 days, else its first."""
    return period.end if period.kind == LAST_DAYS_KIND else period.start


def report_month(period: Period) -> dt.date:
    """The calendar month the monthly report covers: the month shown, or, for the last 30 days, the last whole
    month ended by the period's last day (a report is filed for a month that is over); for a day, week or year,
    the month it starts in."""
    if period.kind == LAST_DAYS_KIND:
        after = period.end + dt.timedelta(days=1)
        return (after.replace(day=1) - dt.timedelta(days=1)).replace(day=1)
    return period.start.replace(day=1)


def _guard(request: HttpRequest) -> tuple[Scope, Period, Category | None, str]:
    """The request's parameters; a unit or category out of reach is the 404/403 page (the middleware), while a
    bad period or date is said in a message over the default view, so the page still shows figures."""
    try:
        return _request_params(request)
    except ValidationFailed as exc:
        messages.error(request, str(exc.message))
        return selectors.scope_for(request.user, ""), period_for(DEFAULT_KIND), None, ""


def _shift(period: Period, direction: int) -> str:
    """The anchor date of the previous (-1) or next (+1) period of the same kind."""
    if period.kind == "year":
        return dt.date(period.start.year + direction, 1, 1).isoformat()
    if period.kind == "month":
        day = period.start - dt.timedelta(days=1) if direction < 0 else period.end + dt.timedelta(days=1)
        return day.replace(day=1).isoformat()
    days = period.days * direction
    return (_anchor(period) + dt.timedelta(days=days)).isoformat()


def _context(
    request: HttpRequest, scope: Scope, period: Period, category: Category | None, step: str
) -> dict[str, Any]:
    data = selectors.overview(
        scope, period, request.user, category=category.pk if category else None, step=step
    )
    base = _base_params(scope, period, category)
    behind = reverse("dashboard:appeals")
    for row in data["ranking"]:  # the row of a community's appeals in no compound or grid opens nothing
        row["url"] = "?" + query_string(base, unit=row["key"]) if row["key"] else ""
    # A community's rows are compounds and grids outside them: each says which it is.
    data["ranking_kinds"] = len({row["level"] for row in data["ranking"] if row["level"]}) > 1
    data["ranking_via"] = [
        {"key": key, "name": name, "url": "?" + query_string(base, unit=key)}
        for key, name in data["ranking_via"]
    ]
    for row in data["categories"]:
        row["url"] = "?" + query_string(base, category=row["code"])
    links = {m: f"{behind}?{query_string(base, measure=m)}" for m in BEHIND}
    # The workbench on the appeals the figures count: received in the period, of the category (and grid).
    workbench = {
        "tab": "all",
        "received_from": period.start.isoformat(),
        "received_to": period.end.isoformat(),
        "category": category.code if category else "",
    }
    if scope.grid is not None:
        workbench["grid"] = scope.grid.code
    chart = {
        "trend": [
            {**p, "url": "?" + query_string(base, period=data["step"], date=p["start"], start="", end="")}
            for p in data["trend"]
        ],
        "step": data["step"],
        "categories": [
            {"name": c["name"], "received": c["received"], "url": c["url"]} for c in data["categories"][:15]
        ],
        "ranking": [
            {
                "name": r["name"],
                "received": r["received"],
                "resolution_rate": r["resolution_rate"],
                "satisfaction_rate": r["satisfaction_rate"],
                "url": r["url"],
            }
            for r in data["ranking"][:30]
        ],
        "figures": data["figures"],
        "labels": {
            "received": _("Appeals received"),
            "resolution_rate": _("Resolution rate"),
            "satisfaction_rate": _("Satisfaction rate"),
        },
        "legend": {
            "metrics": dict(_metric_labels()),
            "none": _("No appeals received"),
            "colour_by": _("Colour: %(metric)s"),
            "rate_note": _("A grid with no appeal to count shows no rate (grey)."),
        },
    }
    map_params = query_string(base)
    return {
        "scope": scope,
        "period": period,
        "category": category,
        "data": data,
        "f": data["figures"],
        "m": data["measures"],
        "grassroots": data["measures"]["tier_grid"] + data["measures"]["tier_compound"],
        "chart": chart,
        "links": links,
        "base": base,
        "qs": query_string(base),
        "prev_qs": query_string(base, date=_shift(period, -1)) if period.kind != "custom" else "",
        "next_qs": query_string(base, date=_shift(period, 1)) if period.kind != "custom" else "",
        "up_qs": query_string(base, unit=scope.crumbs[-2][0] if len(scope.crumbs) > 1 else ""),
        "nocat_qs": query_string(base, category=""),
        "periods": [
            (LAST_DAYS_KIND, _("Last %(n)s days") % {"n": LAST_DAYS}),
            ("year", _("Year")),
            ("month", _("Month")),
            ("week", _("Week")),
            ("day", _("Day")),
        ],
        "anchor": _anchor(period),
        "report_month": report_month(period),
        "metrics": _metric_labels(),
        "map_url": f"{reverse('dashboard:map_data')}?{map_params}",
        # The workbench narrows by grid but not by community or street: offered for the reader's own area or a grid,
        # where its list is the figures' appeals, not for a unit drilled down to (it listed the whole area's).
        "workbench_url": f"{reverse('appeals:workbench')}?{urlencode({k: v for k, v in workbench.items() if v})}"
        if scope.grid is not None or scope.path == (selectors.tree_scope_path(request.user) or "")
        else "",
        "tiers": [
            (
                t,
                _tier_label(t),
                data["figures"]["closed_at_tier"].get(t, 0.0),
                links[f"tier_{t}"],
                data["figures"]["closed_at_tier_counts"][t],
            )
            for t in [*TIERS, "none"]
            if t != "none" or data["figures"]["closed_at_tier_counts"]["none"]
        ],
        "departments": selectors.department_ranking(
            scope, period, category=category.pk if category else None
        ),
        "dl": deliberation_overview(scope.path, period.start, period.end),
        "vo": volunteers_overview(scope.path, period.start, period.end),
        "se": sensors_overview(scope.path, period.start, period.end),
        "cb": cobuild_overview(scope.path, period.start, period.end),
        "ca": care_overview(scope.path, period.start, period.end),
        "pl": places_overview(scope.path, period.start, period.end, scope.grid.pk if scope.grid else None),
        "overdue": _marked_openable(
            request,
            selectors.overdue_appeals(scope, period, category=category.pk if category else None, limit=20),
        ),
    }


def _marked_openable(request: HttpRequest, appeals: list[Appeal]) -> list[Appeal]:
    """The appeals, each marked `may_open` when the reader may open its page: a grid worker reading their
    compound's figures counts every grid's appeals but opens only their own (a link to the others was a 404)."""
    mine = set(
        appeals_visible_to(request.user).filter(pk__in=[a.pk for a in appeals]).values_list("pk", flat=True)
    )
    for appeal in appeals:
        appeal.may_open = appeal.pk in mine  # type: ignore[attr-defined]
    return appeals


def _tier_label(tier: str) -> str:
    from linli.appeals.choices import Tier

    return str(Tier(tier).label) if tier != "none" else _("Before dispatch")


def _metric_labels() -> list[tuple[str, str]]:
    return [(m, _metric_label(m)) for m in HEADLINE_FIGURES]


def _metric_label(metric: str) -> str:
    return {
        "received": _("Appeals received"),
        "open": _("Open"),
        "overdue_open": _("Overdue, still open"),
        "response_rate": _("Response rate"),
        "resolution_rate": _("Resolution rate"),
        "satisfaction_rate": _("Satisfaction rate"),
        "on_time_rate": _("On-time rate"),
    }[metric]


@staff_page
def index(request: HttpRequest) -> HttpResponse:
    return _overview_page(request, "dashboard/index.html")


@staff_page
def wall(request: HttpRequest) -> HttpResponse:
    return _overview_page(request, "dashboard/wall.html", refresh=True)


def _overview_page(request: HttpRequest, template: str, *, refresh: bool = False) -> HttpResponse:
    """The overview (index) or the wall screen, which refreshes its figures from `data`."""
    context = _context(request, *_guard(request))
    if refresh:
        context["api_url"] = f"{reverse('dashboard:data')}?{context['qs']}"
    return render(request, template, context)


@staff_page
def data(request: HttpRequest) -> HttpResponse:
    """The figures as JSON for the wall screen's refresh (same as /api/dashboard/overview)."""
    try:
        scope, period, category, step = _request_params(request)
    except DomainError as exc:  # a JSON endpoint answers in the API's JSON form, not with a page
        return JsonResponse(exc.as_dict(), status=exc.status)
    context = _context(request, scope, period, category, step)
    chart = context["chart"]
    chart["as_of"] = context["data"]["as_of"].isoformat() if context["data"]["as_of"] else None
    chart["overdue"] = [
        {
            "tracking_number": a.tracking_number,
            "title": a.title,
            "unit": a.unit_name,
            "category": str(a.category or ""),
        }
        for a in context["overdue"][:10]
    ]
    return JsonResponse(chart)


_JSON = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))


@staff_page
def map_data(request: HttpRequest) -> HttpResponse:
    """Grid polygons of the scope (GeoJSON) with, beside them, each grid's figures for the period under
    "figures" (by grid id) and the drill-down link under "link" ("{id}" stands for the grid id)."""
    try:
        scope, period, category, _step = _request_params(request)
    except DomainError as exc:  # a JSON endpoint answers in the API's JSON form, not with a page
        return JsonResponse(exc.as_dict(), status=exc.status)
    values = selectors.grid_map(scope, period, request.user, category=category.pk if category else None)
    base = _base_params(scope, period, category)
    # The polygons are passed through as the JSON text the database holds, and the figures are encoded in one
    # go, keyed by grid id (a district has 5,000 grids: encoding them one by one costs more than the query).
    grids = (
        selectors.grids_in(scope, request.user)
        .order_by("code")
        .annotate(shape=Cast("boundary", TextField()))
        .values_list("id", "name", "shape")
    )
    features = ",".join(
        f'{{"type":"Feature","id":{int(pk)},"geometry":{shape},"properties":{{"id":{int(pk)},"name":{_JSON.encode(name)}}}}}'
        for pk, name, shape in grids
    )
    link = "?unit=g{id}&" + query_string(base, unit="")
    body = (
        f'{{"type":"FeatureCollection","figures":{_JSON.encode(values)},"link":{_JSON.encode(link)},'
        f'"features":[{features}]}}'
    )
    return HttpResponse(body, content_type="application/json")


@staff_page
def appeals_behind(request: HttpRequest) -> HttpResponse:
    """The appeals behind one figure (a measure) of the unit and period, masked, with CSV and XLSX export."""
    scope, period, category, _step = _guard(request)
    measure = request.GET.get("measure", "received")
    if measure not in BEHIND:
        raise Http404
    behind = selectors.appeals_behind(
        scope, period, measure=measure, category=category.pk if category else None
    )
    qs = behind.filter(pk__in=appeals_visible_to(request.user).values("pk"))
    fmt = request.GET.get("format", "")
    title = f"{scope.name} {period.label()}"
    if fmt == "csv":
        return appeals_csv(qs, filename=f"appeals-{period.start:%Y%m%d}-{measure}.csv")
    if fmt == "xlsx":
        return appeals_xlsx(qs, filename=f"appeals-{period.start:%Y%m%d}-{measure}.xlsx", title=title)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    base = _base_params(scope, period, category)
    return render(
        request,
        "dashboard/appeals.html",
        {
            "scope": scope,
            "period": period,
            "category": category,
            "measure": measure,
            "measure_label": measure_label(measure),
            "page": page,
            # Counted in the figure but not the reader's to open (another grid's, for a grid worker): said, not hidden.
            "out_of_reach": behind.count() - page.paginator.count,
            "qs": query_string(base, measure=measure),
            "back_qs": query_string(base),
        },
    )


def measure_label(measure: str) -> str:
    labels = {
        "received": _("Appeals received"),
        "counted": _("Counted appeals"),
        "open": _("Open"),
        "overdue": _("Overdue and still open"),
        "breached": _("Missed the deadline (open or concluded late)"),
        "concluded": _("Concluded"),
        "fixed": _("Solved"),
        "on_time": _("Concluded on time"),
        "reached": _("Reached a handler"),
        "responded": _("Responded in time"),
        "rated": _("Rated"),
        "satisfied": _("Satisfied"),
        "basically": _("Basically satisfied"),
        "unsatisfied": _("Unsatisfied"),
        "dispatched": _("Dispatched"),
        "returned": _("Returned"),
        "ever_resolved": _("Resolved at least once"),
        "reworked": _("Reworked"),
        "tier_none": _("Concluded before dispatch to any tier"),
        "grassroots": _("Closed at grid or compound"),
    }
    if measure.startswith("tier_") and measure not in labels:
        from linli.appeals.choices import Tier

        return _("Closed at tier: %(tier)s") % {"tier": Tier(measure[5:]).label}
    return labels[measure]


@staff_page
def report(request: HttpRequest, fmt: str) -> HttpResponse:
    """The monthly report of the unit for the month of the chosen date, as XLSX or PDF, on demand."""
    params = _guard(request)
    if isinstance(params, HttpResponse):
        return params
    scope, period, _category, _step = params
    month = report_month(period)
    content = reports.monthly_report(scope, month, request.user)
    name = f"linli-report-{scope.key or 'all'}-{month:%Y-%m}"
    if fmt == "xlsx":
        body = reports.report_xlsx(content)
        ctype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    elif fmt == "pdf":
        body = reports.report_pdf(content)
        ctype = "application/pdf"
    else:
        raise Http404
    response = HttpResponse(body, content_type=ctype)
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


@staff_page
def report_list(request: HttpRequest) -> HttpResponse:
    """The reports written by the monthly job for the units the user may see."""
    prefix = selectors.tree_scope_path(request.user)
    if prefix is None:
        raise DjangoPermissionDenied(_("The overview shows the figures of an area of the org tree."))
    rows = MonthlyReport.objects.filter(node_path__startswith=prefix).order_by("-month", "node_path", "pk")
    page = Paginator(rows, REPORTS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "dashboard/reports.html", {"reports": page.object_list, "page": page})


@staff_page
def report_file(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    prefix = selectors.tree_scope_path(request.user)
    row = MonthlyReport.objects.filter(pk=pk, node_path__startswith=prefix or "\x00").first()
    if row is None or fmt not in ("xlsx", "pdf"):
        raise Http404
    path = reports.report_path(getattr(row, fmt))
    if not path.exists():
        raise Http404
    response = HttpResponse(path.read_bytes(), content_type="application/octet-stream")
    response["Content-Disposition"] = f'attachment; filename="{path.name}"'
    return response
