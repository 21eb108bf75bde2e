"""The staff's pages (desktop): activities with their roster (confirm hours, mark no-shows, the QR code to
print), volunteers, teams by colour, and the time bank's accounts and transfers."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from linli.accounts.auth import request_account
from linli.core import printing
from linli.core.errors import ValidationFailed
from linli.core.files import file_response
from linli.core.finder import finder_part
from linli.core.lookup import PHONE_END, typed_digits
from linli.core.pages import (
    form_errors,
    posted_form,
    redirect_on_error,
    staff_page,
)
from linli.core.scoping import Actor
from linli.territory.models import OrgNode
from linli.territory.selectors import org_nodes_visible_to

from .. import permissions, selectors, services
from ..choices import AccountKind, ActivityState, TeamColour
from ..forms import (
    ActivityForm,
    CallForm,
    ConfirmForm,
    DonateForm,
    HonoursForm,
    PhotoConsentForm,
    PhotoForm,
    ReverseForm,
    RulesForm,
    StoreItemForm,
    TeamForm,
    TransferForm,
)
from ..models import Activity
from .common import paged, staff_render, submit

PER_PAGE = 50
PAST_PER_PAGE = 30


def _to_activity(made: Activity) -> str:
    return reverse("volunteers:staff_activity", args=[made.pk])


@staff_page
@require_GET
def activity_list(request: HttpRequest) -> HttpResponse:
    visible = selectors.activities_visible_to(request.user)
    return staff_render(
        request,
        "volunteers/staff/activities.html",
        "activities",
        {
            "to_confirm": selectors.activities_to_confirm(request.user),
            # A worker of one community is not told its name on every row; a street's reader is.
            "many_communities": visible.values("community").distinct()[1:2].exists(),
            "upcoming": paged(request, selectors.upcoming_activities(visible), "upcoming", PAST_PER_PAGE),
            "past": Paginator(selectors.past_activities(visible), PAST_PER_PAGE).get_page(
                request.GET.get("past")
            ),
        },
    )


@staff_page
@require_http_methods(["GET", "POST"])
def activity_new(request: HttpRequest) -> HttpResponse:
    form = ActivityForm(request.POST or None, user=request.user)

    def create(*, actor: Actor, starts_at: dt.datetime, ends_at: dt.datetime, **data: Any) -> Activity:
        """The activity with its one shift; the roles are the form's rows, not the service's arguments."""
        own = {k: v for k, v in data.items() if k not in form.ROLE_FIELDS}
        shift = services.ShiftIn(starts_at, ends_at, form.roles())
        return services.activity_create(actor=actor, shifts=[shift], **own)

    said = _("The activity is saved as a draft; open it for sign-up when ready.")
    done = submit(request, form, create, said, _to_activity)
    return done or staff_render(request, "volunteers/staff/activity_form.html", "activities", {"form": form})


@staff_page
@require_http_methods(["GET", "POST"])
def call_new(request: HttpRequest) -> HttpResponse:
    """集结号: call members and volunteers for an urgent task; it opens at once and reaches each of them."""
    form = CallForm(request.POST or None, user=request.user)
    said = _("The call to action is sent to the community's volunteers.")
    done = submit(request, form, services.call_to_action_issue, said, _to_activity)
    return done or staff_render(request, "volunteers/staff/call_form.html", "activities", {"form": form})


@staff_page
@require_GET
def activity_detail(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.activity_get_for(request.user, pk)
    roster = list(selectors.activity_roster(item))
    for s in roster:
        s.suggested = services.hours_worked(s) if s.state in ("checked_in", "checked_out") else None  # type: ignore[attr-defined]
    now = timezone.now()
    return staff_render(
        request,
        "volunteers/staff/activity.html",
        "activities",
        {
            "activity": item,
            "roster": roster,
            "actions": permissions.actions_for(request.user, item.community.path),
            "check_in_url": request.build_absolute_uri(reverse("volunteers:check_in", args=[item.token])),
            "started": any(sh.starts_at <= now for sh in item.shifts.all()),
            "several_shifts": len(item.shifts.all()) > 1,
            "ended": all(sh.ends_at <= now for sh in item.shifts.all()),
            "confirm_form": ConfirmForm(),
            "photos": list(selectors.activity_photos(item)),
            "photo_form": PhotoForm(),
            "consent_form": PhotoConsentForm(),
        },
    )


@staff_page
@posted_form("volunteers:staff_activity")
@redirect_on_error("volunteers:staff_activity", "pk")
def photo_add(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.activity_get_for(request.user, pk)
    services.activity_photo_add(
        actor=request_account(request),
        activity=item,
        photo=request.FILES.get("photo"),
        caption=request.POST.get("caption", ""),
    )
    messages.success(
        request, _("The photo is added. It becomes public once you mark that everyone in it agreed.")
    )
    return redirect(reverse("volunteers:staff_activity", args=[pk]) + "#photos")


@staff_page
@require_POST
def photo_consent(request: HttpRequest, pk: int) -> HttpResponse:
    photo = selectors.activity_photo_get_for(request.user, pk)
    back = reverse("volunteers:staff_activity", args=[photo.activity_id]) + "#photos"
    consent = request.POST.get("consent") == "1"
    # A refusal goes back to the activity's page the request came from (the middleware reads the Referer).
    services.activity_photo_consent(
        actor=request_account(request), photo=photo, consent=consent, note=request.POST.get("note", "")
    )
    if consent:
        messages.success(request, _("The photo is public now."))
    else:
        messages.success(request, _("The photo is no longer public."))
    return redirect(back)


@staff_page
@require_POST
def photo_remove(request: HttpRequest, pk: int) -> HttpResponse:
    photo = selectors.activity_photo_get_for(request.user, pk)
    activity_id = photo.activity_id
    services.activity_photo_remove(actor=request_account(request), photo=photo)
    messages.success(request, _("The photo is removed."))
    return redirect(reverse("volunteers:staff_activity", args=[activity_id]) + "#photos")


@staff_page
@require_GET
def photo_file(request: HttpRequest, pk: int) -> HttpResponseBase:
    return file_response(selectors.activity_photo_get_for(request.user, pk).image)


@staff_page
@require_GET
def activity_qr(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.activity_get_for(request.user, pk)
    url = request.build_absolute_uri(reverse("volunteers:check_in", args=[item.token]))
    return HttpResponse(printing.qr_png(url), content_type="image/png")


@staff_page
@posted_form("volunteers:staff_activity")
@redirect_on_error("volunteers:staff_activity", "pk")
def activity_state(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.activity_get_for(request.user, pk)
    actor = request_account(request)
    if request.POST.get("to") == ActivityState.OPEN:
        services.activity_open(actor=actor, activity=item)
        messages.success(request, _("The activity is open for sign-up."))
    else:
        services.activity_cancel(actor=actor, activity=item, reason=request.POST.get("reason", ""))
        messages.success(request, _("The activity is cancelled; the volunteers have been told."))
    return redirect("volunteers:staff_activity", pk=pk)


@staff_page
@require_POST
@redirect_on_error("volunteers:staff_activities")
def signup_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    found = selectors.signup_get_for(request.user, pk)
    form = ConfirmForm(request.POST)
    if not form.is_valid():
        raise ValidationFailed(_("Enter the hours this volunteer served."))
    value = form.cleaned_data["hours"]
    services.signup_confirm_hours(actor=request_account(request), signup=found, amount=value)
    messages.success(request, _("Hours confirmed for %(name)s.") % {"name": found.volunteer.name})
    return redirect("volunteers:staff_activity", pk=found.role.shift.activity_id)


@staff_page
@require_POST
@redirect_on_error("volunteers:staff_activities")
def signup_no_show(request: HttpRequest, pk: int) -> HttpResponse:
    found = selectors.signup_get_for(request.user, pk)
    services.signup_mark_no_show(actor=request_account(request), signup=found)
    messages.success(request, _("%(name)s is recorded as not having come.") % {"name": found.volunteer.name})
    return redirect("volunteers:staff_activity", pk=found.role.shift.activity_id)


@staff_page
@require_http_methods(["GET", "POST"])
def team_list(request: HttpRequest) -> HttpResponse:
    form = TeamForm(request.POST or None, user=request.user)
    said = _("The team is set up: add its members and name its leader here.")
    if done := submit(
        request, form, services.team_create, said, lambda t: reverse("volunteers:staff_team", args=[t.pk])
    ):
        return done
    teams = list(selectors.teams_visible_to(request.user))
    hours = selectors.hours_by_team_colour(request.user)
    colour_rows = [
        {
            "value": value,
            "label": label,
            "hours": hours.get(value, Decimal(0)),
            "teams": sum(1 for t in teams if t.colour == value),
        }
        for value, label in TeamColour.choices
    ]
    return staff_render(
        request,
        "volunteers/staff/teams.html",
        "teams",
        {"teams": teams, "form": form, "colour_rows": colour_rows},
    )


@staff_page
@require_http_methods(["GET", "POST"])
def bank(request: HttpRequest) -> HttpResponse:
    """The accounts of the time bank, and a transfer: one-to-one, or many-to-one (each payer gives the hours),
    paid against the balances the payers' tick boxes showed, so the same form sent twice pays once."""
    form = TransferForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        payee = data["payee"]
        payers = [a for a in data["payers"] if a.pk != payee.pk]
        each = data["hours"]
        seen = form.balances_seen()
        if payers and any(a.pk not in seen for a in payers):
            form = _payers_to_check(request, payers)
        else:
            with form_errors(form, catch=(ValidationFailed, services.LimitExceeded, services.BalanceChanged)):
                if not payers:
                    raise ValidationFailed(_("Choose who gives the hours."), extra={"field": "payers"})
                services.hours_transfer(
                    actor=request_account(request),
                    legs=[*((a, -each) for a in payers), (payee, each * len(payers))],
                    category=data["category"],
                    note=data["note"],
                    balances=seen,
                )
                messages.success(
                    request,
                    _("%(h)s hours transferred from %(from)s to %(to)s.")
                    % {"h": each * len(payers), "from": "、".join(a.name for a in payers), "to": payee.name},
                )
                return redirect("volunteers:staff_bank")
    q = (request.GET.get("q") or "").strip()[:50]
    kind = request.GET.get("kind", "")
    accounts = selectors.accounts_found(selectors.accounts_visible_to(request.user), q, kind).order_by(
        "community__path", "kind", "-balance", "name"
    )
    page_obj = Paginator(accounts, PER_PAGE).get_page(request.GET.get("page"))
    digits = typed_digits(q)
    # A worker of one community is not told its name on every row; a street's reader is.
    many_communities = (
        selectors.accounts_visible_to(request.user).values("community").distinct()[1:2].exists()
    )
    context = {
        "page": page_obj,
        "form": form,
        "ledger_total": selectors.ledger_total(),
        "q": q,
        "kind": kind if kind in AccountKind.values else "",
        "kinds": AccountKind.choices,
        "few_digits": bool(digits) and len(digits) < PHONE_END,
        "many_communities": many_communities,
    }
    return staff_render(request, "volunteers/staff/bank.html", "bank", context)


def _payers_to_check(request: HttpRequest, payers: list[Any]) -> TransferForm:
    """The form again with the payers typed by name ticked, each showing the hours it has now: nothing is paid
    until the worker has seen them (the ticks carry them on the next send)."""
    data = request.POST.copy()
    data.setlist("payers_pick", [str(a.pk) for a in payers])
    data["payers"] = ""
    form = TransferForm(data, user=request.user)
    form.is_valid()
    form.add_error(
        "payers",
        _(
            "Nothing is transferred yet: check the hours %(names)s have now, ticked with them, and press "
            "Transfer again if it is right."
        )
        % {"names": "、".join(a.name for a in payers)},
    )
    return form


@staff_page
@require_GET
def bank_find(request: HttpRequest) -> HttpResponse:
    """The transfer form's suggestions as a name or number is typed (htmx), inside the worker's area."""
    return finder_part(request, TransferForm(user=request.user))


@staff_page
@require_GET
def account(request: HttpRequest, pk: int) -> HttpResponse:
    """An account's movements as a statement: one short row each with the balance after it, a page at a time,
    of one month when one is chosen (with what came in and went out in it)."""
    found = selectors.account_get_for(request.user, pk)
    months = selectors.account_months(found)
    month = next((m for m, _n in months if f"{m:%Y-%m}" == request.GET.get("month")), None)
    movements = paged(request, selectors.account_movements(found, month=month), "page", PAST_PER_PAGE)
    selectors.with_balances(found, list(movements))
    return staff_render(
        request,
        "volunteers/staff/account.html",
        "bank",
        {
            "account": found,
            "movements": movements,
            "months": months,
            "month": month,
            "totals": selectors.month_totals(found, month) if month else None,
            "reverse_form": ReverseForm(),
            "may_reverse": permissions.may(request.user, "bank_manage", found.community.path),
        },
    )


@staff_page
@require_POST
@redirect_on_error("volunteers:staff_bank")
def transfer_reverse(request: HttpRequest, pk: int) -> HttpResponse:
    movement = selectors.movement_get_for(request.user, pk)
    services.transfer_reverse(
        actor=request_account(request), transfer=movement.transfer, reason=request.POST.get("reason", "")
    )
    messages.success(request, _("The transfer is reversed."))
    return redirect("volunteers:staff_account", pk=movement.account_id)


@staff_page
@require_http_methods(["GET", "POST"])
def store(request: HttpRequest) -> HttpResponse:
    """The points store: the donated items (and a new donation), the redemptions to hand over."""
    form = StoreItemForm(request.POST or None, user=request.user)
    said = _("The item is in the store.")
    if done := submit(request, form, services.store_item_create, said, "volunteers:staff_store"):
        return done
    items = selectors.store_items_visible_to(request.user).order_by("-active", "community__path", "points")
    waiting = selectors.redemptions_visible_to(request.user).filter(state="redeemed")
    settled = selectors.redemptions_visible_to(request.user).exclude(state="redeemed")
    return staff_render(
        request,
        "volunteers/staff/store.html",
        "store",
        {
            "items": paged(request, items, "items", PER_PAGE),
            "waiting": paged(request, waiting, "waiting", PER_PAGE),
            "recent": paged(request, settled, "done", PAST_PER_PAGE),
            "form": form,
            "donate_form": DonateForm(),
        },
    )


@staff_page
@require_POST
@redirect_on_error("volunteers:staff_store")
def store_donate(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.store_item_get_for(request.user, pk)
    form = DonateForm(request.POST)
    if not form.is_valid():
        raise ValidationFailed(_("Enter how many pieces, from 1 to 10000."))
    services.store_item_donate(
        actor=request_account(request), item=item, quantity=form.cleaned_data["quantity"]
    )
    messages.success(request, _("Added to the stock of %(item)s.") % {"item": item.name})
    return redirect("volunteers:staff_store")


@staff_page
@require_POST
@redirect_on_error("volunteers:staff_store")
def store_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.store_item_get_for(request.user, pk)
    services.store_item_withdraw(actor=request_account(request), item=item)
    messages.success(request, _("%(item)s is withdrawn from the store.") % {"item": item.name})
    return redirect("volunteers:staff_store")


@staff_page
@require_POST
@redirect_on_error("volunteers:staff_store")
def redemption_step(request: HttpRequest, pk: int) -> HttpResponse:
    """Hand a redeemed item over, or cancel the redemption (the points go back)."""
    found = selectors.redemption_get_for(request.user, pk)
    if request.POST.get("step") == "cancel":
        services.redemption_cancel(actor=request_account(request), redemption=found)
        messages.success(request, _("Cancelled: the points are back."))
    else:
        services.redemption_hand_over(actor=request_account(request), redemption=found)
        messages.success(request, _("Handed over to %(name)s.") % {"name": found.volunteer.name})
    return redirect("volunteers:staff_store")


@staff_page
@require_http_methods(["GET", "POST"])
def honours(request: HttpRequest) -> HttpResponse:
    """Honours by rule: compute a community's for a year, then publish or refuse each."""
    form = HonoursForm(request.POST or None, user=request.user)

    def said(made: list[Any]) -> str:
        return _("%(n)d honours proposed for review.") % {"n": len(made)}

    if done := submit(request, form, services.honours_compute, said, "volunteers:staff_honours"):
        return done
    visible = selectors.honours_visible_to(request.user)
    return staff_render(
        request,
        "volunteers/staff/honours.html",
        "honours",
        {
            "form": form,
            "proposed": paged(request, visible.filter(state="proposed"), "proposed", PER_PAGE),
            "reviewed": paged(request, visible.exclude(state="proposed"), "reviewed", PER_PAGE),
        },
    )


@staff_page
@require_POST
@redirect_on_error("volunteers:staff_honours")
def honour_review(request: HttpRequest, pk: int) -> HttpResponse:
    found = selectors.honour_get_for(request.user, pk)
    publish = request.POST.get("publish") == "1"
    services.honour_review(
        actor=request_account(request), honour=found, publish=publish, note=request.POST.get("note", "")
    )
    messages.success(request, _("Published.") if publish else _("Not published."))
    return redirect("volunteers:staff_honours")


@staff_page
@require_http_methods(["GET", "POST"])
def rules(request: HttpRequest) -> HttpResponse:
    """A community's points rules: shown as they apply now (its own, or the defaults), changed by its workers."""
    communities = list(org_nodes_visible_to(request.user).filter(kind="community").order_by("path"))
    chosen = next(
        (
            c
            for c in communities
            if str(c.pk) == (request.POST.get("community") or request.GET.get("community"))
        ),
        communities[0] if communities else None,
    )
    current = services.rules_for(chosen.pk) if chosen else None
    initial = {f: getattr(current, f) for f in services.RULE_BOUNDS} if current else {}
    if chosen:
        initial["community"] = chosen.pk
    form = RulesForm(request.POST or None, user=request.user, initial=initial)

    def save(*, actor: Actor, community: OrgNode, **values: Any) -> OrgNode:
        services.points_rules_set(actor=actor, community=community, values=values)
        return community

    if done := submit(
        request,
        form,
        save,
        lambda community: _("The points rules of %(c)s are saved.") % {"c": community.name},
        lambda community: reverse("volunteers:staff_rules") + f"?community={community.pk}",
    ):
        return done
    return staff_render(
        request,
        "volunteers/staff/rules.html",
        "rules",
        {"form": form, "communities": communities, "chosen": chosen, "current": current},
    )
