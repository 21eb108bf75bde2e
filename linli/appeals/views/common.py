"""What several appeals pages share: who is asking, the idempotency key, one intake call for every form that
takes an appeal in, the staff intake page, the trace's labels, the queue's due markers and the public grid map."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from functools import wraps
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import (
    HttpRequest,
    HttpResponse,
    JsonResponse,
)
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import cache_control

from linli.accounts.models import User
from linli.core.clientip import client_ip
from linli.core.errors import DomainError
from linli.core.pages import form_errors, posted_form, staff_page
from linli.core.roles import Role
from linli.core.scoping import WholeTree
from linli.territory.selectors import grids_geojson

from .. import services
from ..choices import OPEN_STATE_VALUES, AppealState, CallbackMiss
from ..models import Appeal, AppealPart
from ..permissions import is_tree_staff
from ..workflow import TRANSITIONS

Visitor = User | AnonymousUser


def visitor(request: HttpRequest) -> Visitor:
    """The person asking: a signed-in account or an anonymous guest."""
    user = request.user
    assert isinstance(user, User | AnonymousUser)
    return user


def is_resident(user: Visitor) -> bool:
    return user.is_authenticated and getattr(user, "role", None) == Role.RESIDENT


def resident_login_url() -> str:
    try:
        return reverse("accounts:resident_login")
    except NoReverseMatch:
        return reverse("web:login")


def client_address(request: HttpRequest) -> str:
    """The network address a request came from: REMOTE_ADDR, or behind the deployment's trusted proxies the client
    they name (core.clientip, LINLI_TRUSTED_PROXIES), never a header the client may forge."""
    return client_ip(request)


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


def submit_from_form(request: HttpRequest, form: Any, *, channel: str, **given: Any) -> Appeal:
    """appeal_submit with what every intake form has (kind, title, description, category, position, address);
    `given` adds what the channel knows (the caller, the photos, the grid, the priority, the key)."""
    data = form.cleaned_data
    return services.appeal_submit(
        actor=request.user,
        kind=data["kind"],
        title=form.title_or_excerpt(),
        description=data["description"],
        channel=channel,
        category_code=data.get("category") or "",
        lng=data.get("lng"),
        lat=data.get("lat"),
        address=data.get("address") or "",
        **given,
    )


def staff_intake_page(
    request: HttpRequest,
    template: str,
    make_form: Callable[..., forms.Form],
    take: Callable[[forms.Form], tuple[Appeal, str]],
    extra: dict[str, Any] | None = None,
) -> HttpResponse:
    """A staff member takes an appeal in from a form (hotline, patrol): a fresh form with a new idempotency key;
    on a valid post `take(form)` submits and returns the appeal with the message, and the page goes on to it.
    Every refusal goes on the form, not only a ValidationFailed: the operator on the phone or the worker in the
    street must not lose what they typed."""
    if request.method != "POST":
        fresh = make_form(initial={"idempotency_key": new_idempotency_key()})
        return render(request, template, {"form": fresh, **(extra or {})})
    form = make_form(request.POST, request.FILES)
    if form.is_valid():
        with form_errors(form, catch=(DomainError,)):
            appeal, note = take(form)
            messages.success(request, note)
            return redirect("appeals:detail", pk=appeal.pk)
    return render(request, template, {"form": form, **(extra or {})}, status=422)


# An action on an appeal's page (an action, a part's step, a whistle request's, a split): posted to; opened (a
# reload of the page a refusal showed at the action's address, a link) it goes to the appeal's page rather than a
# "method not allowed" dead end.
action_url = posted_form("appeals:detail", kwargs=("pk",))


def tree_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """`staff_page` for a tool of the tree's staff: a unit's handler gets the 403 page (see `is_tree_staff`)."""

    @staff_page
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not is_tree_staff(request.user):
            raise DjangoPermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


# Internal steps a resident's page leaves out: the clocks' marks, urging, extensions, and the units' exchange over
# whose duty a summoned part is (不属于本单位职责 and the summoner's insisting; the outcome, a withdrawal or the unit
# reporting in, is shown).
RESIDENT_HIDDEN_ACTIONS = frozenset(
    {
        "warn",
        "breach",
        "classify",
        "urge",
        "extension_request",
        "extension_reject",
        "part_decline",
        "part_insist",
    }
)
RESIDENT_REASON_ACTIONS = frozenset(
    {
        "resolve",
        "answer",
        "pause",
        "rate",
        "withdraw",
        "merge",
        "rework",
        "part_complete",
        "add_info",
        "reopen",
    }
)


# The resident's own steps: on the resident's page they are not put under the handling unit's name (as if the unit
# had rated or withdrawn), as the submission is not.
RESIDENT_OWN_ACTIONS = frozenset({"rate", "add_info", "reopen", "withdraw"})
# A summoned unit's own steps on its part (or the worker's clock on it): the part's unit acted, not the appeal's.
PART_OWN_ACTIONS = frozenset({"part_report_in", "part_decline", "part_complete", "part_warn", "part_breach"})
# The organising unit's steps on a part: it acted, on the part of the unit the label names.
PART_ORGANISER_ACTIONS = frozenset({"part_send_back", "part_withdraw", "part_urge", "part_insist"})


# A missed deadline's mark names its deadline as the page's facts do (标记超期：签收时限): three marks of one appeal
# read as three misses of one deadline.
BREACH_CLOCKS = {
    "ack": gettext_lazy("Acknowledge by"),
    "contact": gettext_lazy("Contact by"),
    "resolve": gettext_lazy("Resolve by (this tier)"),
    "total": gettext_lazy("Total deadline (from receipt)"),
}


def label_events(events: Any, *, resident_view: bool, resident_id: int | None = None) -> list[Any]:
    """Give each trace event a readable label and target-state label; hide the worker's internal clock events
    from residents and show a reason only when it is meant for them. A step on a summoned unit's part names
    that unit (its `data["unit"]`): as the unit that acted, or in the label when the organising unit acted.
    On the resident's page a comment the resident wrote (`resident_id`: photos added through the API are one)
    names no unit either, as their own steps do not; a step that follows theirs (重办 after a poor rating) does."""
    out = []
    for e in events:
        if resident_view and e.action in RESIDENT_HIDDEN_ACTIONS:
            continue
        transition = TRANSITIONS.get(e.action)
        e.label = transition.label if transition else e.action
        part_unit = (e.data or {}).get("unit") if isinstance(e.data, dict) else None
        own = e.action in RESIDENT_OWN_ACTIONS or (
            e.action == "comment" and resident_id is not None and e.actor_id == resident_id
        )
        if resident_view and own:
            e.unit_name = ""
        elif part_unit and e.action in PART_OWN_ACTIONS:
            e.unit_name = part_unit
        elif part_unit and e.action in PART_ORGANISER_ACTIONS:
            e.label = f"{e.label}：{part_unit}"
        clock = e.data.get("clock") if isinstance(e.data, dict) else None
        if e.action == "breach" and clock in BREACH_CLOCKS:
            e.label = f"{e.label}：{BREACH_CLOCKS[clock]}"
        if e.action == "extension_request" and isinstance(e.data, dict) and e.data.get("days"):
            # 申请延期 5 个工作日: how much time was asked for, which the tier above weighs.
            e.label = _("Extension requested: +%(days)s working days") % {"days": e.data["days"]}
        if e.action == "callback_attempt" and isinstance(e.data, dict):
            e.label = _("%(label)s (call %(n)s): %(why)s") % {
                "label": e.label,
                "n": e.data.get("attempt", "?"),
                "why": CallbackMiss(e.data["result"]).label
                if e.data.get("result") in CallbackMiss.values
                else "",
            }
        e.to_label = AppealState(e.to_state).label if e.to_state in AppealState.values else ""
        e.show_reason = (not resident_view) or e.action in RESIDENT_REASON_ACTIONS
        out.append(e)
    return out


def due_status(appeal: Appeal, now: dt.datetime) -> str:
    """ "overdue", "near" or "" for the queue's markers."""
    if appeal.state not in OPEN_STATE_VALUES or appeal.resolve_due_at is None:
        return ""
    if appeal.resolve_due_at < now:
        return "overdue"
    if appeal.warn_at is not None and appeal.warn_at <= now:
        return "near"
    return ""


PUBLIC_GRID_PROPERTIES = ("id", "code", "name", "community_name", "colour")


@cache_control(public=True, max_age=300)
def grids_json(request: HttpRequest) -> JsonResponse:
    """Every grid's boundary, code, name and community: what the resident's map draws."""
    data = grids_geojson(WholeTree())  # grid boundaries and names are public
    for feature in data["features"]:
        feature["properties"] = {k: feature["properties"][k] for k in PUBLIC_GRID_PROPERTIES}
    return JsonResponse(data)


def posted_part(request: HttpRequest, appeal: Appeal) -> AppealPart | None:
    """The summoned unit's part of `appeal` a form posted (`part_id`), or None with an error message to show."""
    part_id = request.POST.get("part_id", "")
    part = appeal.parts.filter(pk=int(part_id)).first() if part_id.isdigit() else None
    if part is None:
        messages.error(request, _("The part is missing."))
    return part
