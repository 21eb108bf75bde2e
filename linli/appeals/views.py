"""What every appeals page shares: access decorators, the idempotency key, turning domain errors into messages,
the public grid map data and the inbox. The channel pages live in views_resident.py, views_staff.py and
views_qr.py."""

from __future__ import annotations

import functools
import uuid
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control

from linli.core.errors import Conflict, DomainError
from linli.core.scoping import is_staff_member
from linli.territory.selectors import grids_geojson

View = Callable[..., HttpResponse]


def staff_required(view: View) -> View:
    """Signed-in staff only: anonymous visitors go to the login page, residents get 403."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not is_staff_member(request.user):
            raise DjangoPermissionDenied(_("This page is for staff."))
        return view(request, *args, **kwargs)

    return wrapper


def resident_login_url() -> str:
    from django.urls import NoReverseMatch, reverse

    try:
        return reverse("accounts:resident_login")
    except NoReverseMatch:
        return reverse("web:login")


def new_idempotency_key() -> str:
    return uuid.uuid4().hex


def clean_idempotency_key(value: str | None) -> str:
    """A key from the hidden field or the Idempotency-Key header, or "" when it is missing or malformed."""
    value = (value or "").strip()
    if 8 <= len(value) <= 64 and all(ch.isalnum() or ch in "-_" for ch in value):
        return value
    return ""


def request_idempotency_key(request: HttpRequest) -> str:
    return clean_idempotency_key(request.headers.get("Idempotency-Key")) or clean_idempotency_key(
        request.POST.get("idempotency_key")
    )


def error_message(exc: DomainError) -> str:
    """The text a person sees for a domain error; field errors are appended when the service names them."""
    text = str(exc.message)
    if isinstance(exc, Conflict):
        return text
    fields = exc.extra.get("fields") or exc.extra.get("errors")
    if isinstance(fields, dict):
        details = [
            str(v if not isinstance(v, list | tuple) else "；".join(map(str, v))) for v in fields.values()
        ]
        details = [d for d in details if d and d != text]
        if details:
            return f"{text} {'；'.join(details)}"
    return text


def add_domain_error(request: HttpRequest, exc: DomainError) -> None:
    level = messages.WARNING if isinstance(exc, Conflict) else messages.ERROR
    messages.add_message(request, level, error_message(exc), extra_tags=exc.code)


def apply_domain_error(form: Any, exc: DomainError) -> None:
    """Put a domain error on the form: on the named field when the service names one, else on the form."""
    field = exc.extra.get("field")
    if isinstance(field, str) and field in getattr(form, "fields", {}):
        form.add_error(field, str(exc.message))
        return
    fields = exc.extra.get("fields") or exc.extra.get("errors")
    if isinstance(fields, dict):
        placed = False
        for name, msg in fields.items():
            if name in form.fields:
                form.add_error(name, msg if isinstance(msg, str) else "；".join(map(str, msg)))
                placed = True
        if placed:
            return
    form.add_error(None, error_message(exc))


def label_events(events: Any, *, resident_view: bool) -> list[Any]:
    """Give each trace event a readable label and target-state label; hide the worker's internal clock events
    from residents and show a reason only when it is meant for them."""
    from .choices import AppealState
    from .workflow import TRANSITIONS

    out = []
    for e in events:
        if resident_view and e.action in RESIDENT_HIDDEN_ACTIONS:
            continue
        transition = TRANSITIONS.get(e.action)
        e.label = transition.label if transition else e.action
        e.to_label = AppealState(e.to_state).label if e.to_state in AppealState.values else ""
        e.show_reason = (not resident_view) or e.action in RESIDENT_REASON_ACTIONS
        out.append(e)
    return out


RESIDENT_HIDDEN_ACTIONS = frozenset(
    {"warn", "breach", "classify", "urge", "extension_request", "extension_reject"}
)
RESIDENT_REASON_ACTIONS = frozenset(
    {"resolve", "answer", "pause", "rate", "withdraw", "merge", "rework", "part_complete"}
)


class _PublicMapViewer:
    """Grid boundaries and names are public (they hang at every grid station), so the resident map shows all
    of them; this stand-in lets the territory selector build the same GeoJSON the staff map uses."""

    is_authenticated = True
    is_superuser = True
    role = "admin"
    org_path = ""
    organisation_id = None


PUBLIC_GRID_PROPERTIES = ("id", "code", "name", "community_name", "colour")


@cache_control(public=True, max_age=300)
def grids_json(request: HttpRequest) -> JsonResponse:
    """Every grid's boundary, code, name and community: what the resident's map draws."""
    data = grids_geojson(_PublicMapViewer())
    for feature in data["features"]:
        feature["properties"] = {k: feature["properties"][k] for k in PUBLIC_GRID_PROPERTIES}
    return JsonResponse(data)


def index(request: HttpRequest) -> HttpResponse:
    """/appeals/: staff go to their workbench, residents and guests to their appeals or the report page."""
    from django.shortcuts import redirect

    if is_staff_member(request.user):
        return redirect("appeals:workbench")
    if request.user.is_authenticated:
        return redirect("appeals:mine")
    return redirect("appeals:new")


def inbox(request: HttpRequest) -> HttpResponse:
    """The signed-in person's notifications, newest first; opening one marks it read."""
    from django.core.paginator import Paginator
    from django.shortcuts import redirect, render

    from linli.core.models import Notification
    from linli.core.outbox import notifications_mark_read

    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path(), resident_login_url())
    if request.method == "POST":
        raw = request.POST.get("id", "")
        if raw.isdigit():
            notifications_mark_read(actor=request.user, ids=[int(raw)])
            target = (
                Notification.objects.filter(user=request.user, pk=int(raw))
                .values_list("url", flat=True)
                .first()
            )
            if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
                return redirect(target)
        else:
            count = notifications_mark_read(actor=request.user)
            messages.success(request, _("%(n)s notifications marked read.") % {"n": count})
        return redirect("appeals:inbox")
    qs = Notification.objects.filter(user=request.user).order_by("-created_at", "-id")
    page = Paginator(qs, 30).get_page(request.GET.get("page"))
    unread = Notification.objects.filter(user=request.user, read_at__isnull=True).count()
    return render(request, "appeals/inbox.html", {"page": page, "unread": unread})
