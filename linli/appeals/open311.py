"""Open311 GeoReport v2 (https://wiki.open311.org/GeoReport_v2/), mounted at /open311/v2/.

- `services.json` lists the second-level categories as services (group = first-level category).
- `services/<code>.json` is each service's definition (Linli needs no extra attributes, so it has none).
- `requests.json` POST submits an appeal (channel "open311") through the same `appeal_submit` service as every
  other channel; an `Idempotency-Key` header makes a retry return the first request's id.
- `requests.json` GET and `requests/<id>.json` report appeals with Linli's states mapped to open/closed.

Keys and jurisdiction come from settings (environment):
- LINLI_OPEN311_API_KEYS: comma-separated keys; POST needs one of them (`api_key`), as the spec requires.
- LINLI_OPEN311_PUBLIC: when true, GET needs no key (as on FixMyStreet); default false: a key is needed too.
- LINLI_OPEN311_JURISDICTION: this deployment's jurisdiction_id; when set, another id is answered with 404.
Personal data never leaves: no name or phone, the address is masked, the position rounded to about 100 m.
Both .json and .xml are served, as the spec asks.
"""

from __future__ import annotations

import datetime as dt
import hmac
from typing import Any
from xml.etree import ElementTree as ET

from django.conf import settings
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from linli.core.env import env_bool, env_list, env_str
from linli.core.errors import DomainError
from linli.core.masking import mask_address

from . import services
from .choices import OPEN_STATE_VALUES, AppealKind, AppealState, Channel
from .models import Appeal, Category
from .public import public_item, public_only
from .views.common import clean_idempotency_key

MAX_RESULTS = 1000
DEFAULT_DAYS = 90
# Linli's states → Open311's two. Resolved counts as closed (the work is done; rating follows), like
# FixMyStreet's "fixed"; the status_notes say how it ended, so "closed" is never mistaken for "fixed".
CLOSED_STATES = frozenset({AppealState.RESOLVED, AppealState.RATED, AppealState.CLOSED})


def open311_status(state: str) -> str:
    return "closed" if state in CLOSED_STATES else "open"


def _api_keys() -> list[str]:
    configured = getattr(settings, "LINLI_OPEN311_API_KEYS", None)
    if configured is None:
        configured = env_list("LINLI_OPEN311_API_KEYS", [])
    return [k for k in configured if k]


def _public() -> bool:
    value = getattr(settings, "LINLI_OPEN311_PUBLIC", None)
    return bool(value) if value is not None else env_bool("LINLI_OPEN311_PUBLIC", False)


def _jurisdiction() -> str:
    value = getattr(settings, "LINLI_OPEN311_JURISDICTION", None)
    return str(value) if value is not None else env_str("LINLI_OPEN311_JURISDICTION", "")


def valid_api_key(key: str) -> bool:
    key = (key or "").strip()
    return bool(key) and any(hmac.compare_digest(key.encode(), k.encode()) for k in _api_keys())


class Open311Error(Exception):
    def __init__(self, status: int, description: str) -> None:
        super().__init__(description)
        self.status = status
        self.description = description


# --- rendering ----------------------------------------------------------------------------------------------


def _xml(root: str, item: str, rows: list[dict[str, Any]]) -> bytes:
    top = ET.Element(root)
    for row in rows:
        el = ET.SubElement(top, item)
        for key, value in row.items():
            child = ET.SubElement(el, key)
            if isinstance(value, bool):
                child.text = "true" if value else "false"
            elif isinstance(value, list):
                child.text = ",".join(str(v) for v in value)
            elif value is not None:
                child.text = str(value)
    return b'<?xml version="1.0" encoding="UTF-8"?>' + ET.tostring(top, encoding="utf-8")


def render(rows: list[dict[str, Any]], fmt: str, *, root: str, item: str, status: int = 200) -> HttpResponse:
    if fmt == "xml":
        return HttpResponse(_xml(root, item, rows), content_type="text/xml; charset=utf-8", status=status)
    return JsonResponse(rows, safe=False, status=status, json_dumps_params={"ensure_ascii": False})


def render_error(exc: Open311Error, fmt: str) -> HttpResponse:
    return render(
        [{"code": exc.status, "description": exc.description}],
        fmt,
        root="errors",
        item="error",
        status=exc.status,
    )


def _iso(value: dt.datetime | None) -> str | None:
    return timezone.localtime(value).isoformat(timespec="seconds") if value else None


def service_row(category: Category) -> dict[str, Any]:
    parent = category.parent
    return {
        "service_code": category.code,
        "service_name": category.name,
        "description": f"{parent.name} / {category.name}" if parent else category.name,
        "metadata": False,
        "type": "realtime",
        "keywords": category.name_en,
        "group": parent.name if parent else category.name,
    }


def request_row(appeal: Appeal, *, public: bool = False) -> dict[str, Any]:
    """One request as GeoReport v2 has it. `public` (read with no api_key, LINLI_OPEN311_PUBLIC): what the public
    disclosure page shows and no more (appeals.public, one rule for both): the category stands for the description,
    the outcome for the resolution note, the grid's rounded centre for the position, and no address."""
    status = open311_status(appeal.state)
    notes = str(AppealState(appeal.state).label)
    if appeal.outcome:
        notes = f"{notes}（{appeal.get_outcome_display()}）"
        if appeal.resolution_note and not public:
            notes = f"{notes}：{appeal.resolution_note}"
    category = appeal.category
    if public:
        shown = public_item(appeal, {})
        description, address, lat, lng = shown["subject"], "", shown["lat"], shown["lng"]
    else:
        description = appeal.description
        address = mask_address(appeal.address) if appeal.address else ""
        lat = round(appeal.lat, 3) if appeal.lat is not None else None
        lng = round(appeal.lng, 3) if appeal.lng is not None else None
    return {
        "service_request_id": appeal.tracking_number,
        "status": status,
        "status_notes": str(notes),
        "service_name": category.name if category else "",
        "service_code": category.code if category else "",
        "description": description,
        "agency_responsible": appeal.unit_name,
        "service_notice": "",
        "requested_datetime": _iso(appeal.created_at),
        "updated_datetime": _iso(appeal.updated_at),
        "expected_datetime": _iso(appeal.resolve_due_at) if status == "open" else None,
        "address": address,
        "address_id": "",
        "zipcode": "",
        "lat": lat,
        "long": lng,
        "media_url": "",
    }


# --- parameters ---------------------------------------------------------------------------------------------


def _params(request: HttpRequest) -> Any:
    return request.POST if request.method == "POST" else request.GET


def check_jurisdiction(request: HttpRequest) -> None:
    wanted = _jurisdiction()
    given = (_params(request).get("jurisdiction_id") or "").strip()
    if wanted and given and given != wanted:
        raise Open311Error(404, _("Unknown jurisdiction_id: %(id)s") % {"id": given})


def check_read_access(request: HttpRequest) -> bool:
    """Whether the reader is the public (no valid api_key, the feed open to all); 403 when a key is needed."""
    if valid_api_key(request.GET.get("api_key", "")):
        return False
    if not _public():
        raise Open311Error(403, _("A valid api_key is required."))
    return True


def _when(value: str, name: str) -> dt.datetime:
    parsed = parse_datetime(value)
    if parsed is None:
        day = parse_date(value)
        if day is not None:
            parsed = dt.datetime.combine(day, dt.time.min)
    if parsed is None:
        raise Open311Error(400, _("%(name)s is not a W3C date-time.") % {"name": name})
    return timezone.make_aware(parsed) if timezone.is_naive(parsed) else parsed


def requests_query(params: Any) -> QuerySet[Appeal]:
    """GET requests.json filters: service_request_id, service_code, status (lists), start_date, end_date."""
    qs = Appeal.objects.select_related("category__parent", "grid", "unit_node", "unit_org").order_by(
        "-created_at", "-id"
    )
    ids = [x.strip() for x in (params.get("service_request_id") or "").split(",") if x.strip()]
    if ids:
        return qs.filter(tracking_number__in=ids[:MAX_RESULTS])
    codes = [x.strip() for x in (params.get("service_code") or "").split(",") if x.strip()]
    if codes:
        qs = qs.filter(Q(category__code__in=codes) | Q(category__parent__code__in=codes))
    statuses = {x.strip().lower() for x in (params.get("status") or "").split(",") if x.strip()}
    if statuses - {"open", "closed"}:
        raise Open311Error(400, _("status must be open, closed or both."))
    if statuses == {"open"}:
        qs = qs.filter(state__in=OPEN_STATE_VALUES)
    elif statuses == {"closed"}:
        qs = qs.filter(state__in=[str(s) for s in CLOSED_STATES])
    end = _when(params["end_date"], "end_date") if params.get("end_date") else timezone.now()
    if params.get("start_date"):
        start = _when(params["start_date"], "start_date")
    else:
        start = end - dt.timedelta(days=DEFAULT_DAYS)
    if start > end:
        raise Open311Error(400, _("start_date is after end_date."))
    return qs.filter(created_at__gte=start, created_at__lte=end)


# --- views ----------------------------------------------------------------------------------------------------


@require_GET
def discovery(request: HttpRequest, fmt: str) -> HttpResponse:
    """Service discovery: where this GeoReport v2 endpoint lives and which formats it speaks."""
    base = (
        request.build_absolute_uri(reverse("open311:services", kwargs={"fmt": "json"})).rsplit("/", 1)[0]
        + "/"
    )
    changeset = "2026-11-23T00:00:00+08:00"
    endpoint_info: dict[str, Any] = {
        "specification": "http://wiki.open311.org/GeoReport_v2",
        "url": base,
        "changeset": changeset,
        "type": "production",
        "formats": ["text/xml", "application/json"],
    }
    body: dict[str, Any] = {
        "changeset": changeset,
        "contact": str(getattr(settings, "LINLI_OPEN311_CONTACT", "") or ""),
        "key_service": _("Ask the district's appeals office for an api_key."),
        "endpoints": [endpoint_info],
    }
    if fmt == "xml":
        top = ET.Element("discovery")
        for key in ("changeset", "contact", "key_service"):
            ET.SubElement(top, key).text = body[key]
        endpoints = ET.SubElement(top, "endpoints")
        endpoint = ET.SubElement(endpoints, "endpoint")
        for key in ("specification", "url", "changeset", "type"):
            ET.SubElement(endpoint, key).text = endpoint_info[key]
        formats = ET.SubElement(endpoint, "formats")
        for item in endpoint_info["formats"]:
            ET.SubElement(formats, "format").text = item
        payload = b'<?xml version="1.0" encoding="UTF-8"?>' + ET.tostring(top, encoding="utf-8")
        return HttpResponse(payload, content_type="text/xml; charset=utf-8")
    return JsonResponse(body, json_dumps_params={"ensure_ascii": False})


@require_GET
def services_list(request: HttpRequest, fmt: str) -> HttpResponse:
    try:
        check_jurisdiction(request)
    except Open311Error as exc:
        return render_error(exc, fmt)
    categories = Category.objects.filter(
        active=True, parent__isnull=False, parent__active=True
    ).select_related("parent")
    rows = [
        service_row(c) for c in categories.order_by("parent__position", "parent__code", "position", "code")
    ]
    return render(rows, fmt, root="services", item="service")


@require_GET
def service_definition(request: HttpRequest, code: str, fmt: str) -> HttpResponse:
    try:
        check_jurisdiction(request)
        category = Category.objects.filter(code=code, active=True, parent__isnull=False).first()
        if category is None:
            raise Open311Error(404, _("Unknown service_code: %(code)s") % {"code": code})
    except Open311Error as exc:
        return render_error(exc, fmt)
    body = {"service_code": category.code, "attributes": []}
    if fmt == "xml":
        return HttpResponse(
            _xml("service_definition", "service", [{"service_code": category.code}]),
            content_type="text/xml; charset=utf-8",
        )
    return JsonResponse(body, json_dumps_params={"ensure_ascii": False})


@csrf_exempt
@require_http_methods(["GET", "POST"])
def requests_view(request: HttpRequest, fmt: str) -> HttpResponse:
    try:
        check_jurisdiction(request)
        if request.method == "POST":
            return _create(request, fmt)
        public = check_read_access(request)
        qs = requests_query(request.GET)
        if public:  # the same appeals the public pages show: public categories only
            qs = public_only(qs)
        rows = [request_row(a, public=public) for a in qs[:MAX_RESULTS]]
    except Open311Error as exc:
        return render_error(exc, fmt)
    return render(rows, fmt, root="service_requests", item="request")


@require_GET
def request_detail(request: HttpRequest, request_id: str, fmt: str) -> HttpResponse:
    try:
        check_jurisdiction(request)
        public = check_read_access(request)
        found = Appeal.objects.select_related("category__parent", "grid", "unit_node", "unit_org").filter(
            tracking_number=request_id
        )
        appeal = (public_only(found) if public else found).first()
        if appeal is None:
            raise Open311Error(404, _("Unknown service_request_id: %(id)s") % {"id": request_id})
    except Open311Error as exc:
        return render_error(exc, fmt)
    return render([request_row(appeal, public=public)], fmt, root="service_requests", item="request")


def _float(params: Any, name: str) -> float | None:
    raw = (params.get(name) or "").strip()
    if not raw:
        return None
    try:
        return float(raw)
    except ValueError:
        raise Open311Error(400, _("%(name)s must be a number.") % {"name": name}) from None


def _create(request: HttpRequest, fmt: str) -> HttpResponse:
    params = request.POST
    if not valid_api_key(params.get("api_key", "")):
        raise Open311Error(403, _("A valid api_key is required."))
    code = (params.get("service_code") or "").strip()
    if not code:
        raise Open311Error(400, _("service_code is required."))
    if not Category.objects.filter(code=code, active=True).exists():
        raise Open311Error(404, _("Unknown service_code: %(code)s") % {"code": code})
    lat, lng = _float(params, "lat"), _float(params, "long")
    address = (params.get("address_string") or "").strip()
    if (lat is None or lng is None) and not address:
        raise Open311Error(400, _("Give lat and long, or address_string."))
    kind = (params.get("attribute[kind]") or AppealKind.HELP).strip()
    name = f"{params.get('last_name', '').strip()}{params.get('first_name', '').strip()}"
    try:
        appeal = services.appeal_submit(
            actor=None,
            kind=kind,
            title=(params.get("attribute[title]") or "").strip(),
            description=params.get("description") or "",
            channel=Channel.OPEN311,
            category_code=code,
            contact_name=name,
            contact_phone=(params.get("phone") or "").strip(),
            lng=lng,
            lat=lat,
            address=address,  # a longer one is refused with its limit named, never cut
            idempotency_key=clean_idempotency_key(request.headers.get("Idempotency-Key")),
        )
    except DomainError as exc:
        field = exc.extra.get("field")
        prefix = f"{field}: " if isinstance(field, str) else ""
        raise Open311Error(exc.status if exc.status != 422 else 400, f"{prefix}{exc.message}") from None
    row = {
        "service_request_id": appeal.tracking_number,
        "service_notice": _("Tracking number %(number)s; progress is sent to the phone number given.")
        % {"number": appeal.tracking_number},
        "account_id": None,
    }
    return render([row], fmt, root="service_requests", item="request", status=201)
