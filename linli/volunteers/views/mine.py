"""The volunteer's own pages, made for a phone: register, open activities and signing up (with the reason a
sign-up is refused), my activities, checking in and out by the activity's QR code, my hours and points, spending
hours from the time bank."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from functools import partial
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from linli.accounts.auth import request_account
from linli.core.errors import NotFound, ValidationFailed
from linli.core.finder import finder_part
from linli.core.pages import form_errors, redirect_on_error, refused_status, safe_url, signed_in_page
from linli.party.selectors import member_points_ledger, member_points_total

from .. import selectors, services
from ..choices import Refusal
from ..forms import ProfileForm, RegisterForm, SpendForm
from ..models import Volunteer
from .common import paged, submit

ACTIVITIES_PER_PAGE = 20  # open activities, the soonest first


def _volunteer(request: HttpRequest) -> Volunteer:
    volunteer = selectors.own_volunteer(request.user)
    if volunteer is None:
        raise NotFound(_("Register as a volunteer first."))
    return volunteer


@signed_in_page
@require_http_methods(["GET", "POST"])
def home(request: HttpRequest) -> HttpResponse:
    """My volunteering: register (first time), else my next shifts, my hours and points."""
    volunteer = selectors.own_volunteer(request.user)
    if volunteer is None:
        return _register(request)
    now = timezone.now()
    signups = list(
        selectors.signups_of(volunteer)
        .filter(role__shift__ends_at__gte=now)
        .order_by("role__shift__starts_at")[:5]
    )
    context = {
        "volunteer": volunteer,
        "signups": signups,
        "calls": list(
            selectors.upcoming_activities(
                selectors.activities_open_to(request.user).filter(state="open", is_call=True)
            )[:3]
        ),
        "teams": list(selectors.teams_to_join(request.user)),
        "my_teams": set(volunteer.teams.values_list("pk", flat=True)),  # marked in the community's teams
        "balance": volunteer.bank_account.balance,
        "points": selectors.points_total(volunteer),
        "member_points": member_points_total(volunteer.party_member) if volunteer.party_member else None,
    }
    return render(request, "volunteers/home.html", context)


def _register(request: HttpRequest) -> HttpResponse:
    """Register as a volunteer. A record the community enrolled for the resident without an account (known by their
    verified household and name, or their number) is linked instead of a second one made: the page says so before
    (its community chosen) and after (on to their hours, points and teams)."""
    user = request_account(request)
    awaiting = list(selectors.records_awaiting(user))
    initial: dict[str, Any] = {"name": user.display_name, "phone": user.phone}
    if awaiting:
        initial["community"] = awaiting[0].community_id
    form = RegisterForm(request.POST or None, initial=initial)

    def register(*, actor: Any, **data: Any) -> tuple[Volunteer, bool]:
        before = set(selectors.records_awaiting(actor).values_list("pk", flat=True))
        made = services.volunteer_register_self(actor=actor, **data)
        return made, made.pk in before

    def said(done: tuple[Volunteer, bool]) -> str:
        if done[1]:
            return _(
                "We found the volunteer record %(community)s keeps for you and linked it to your account: your "
                "earlier hours, points and teams are here."
            ) % {"community": done[0].community.name}
        return _("Welcome! You are now a volunteer.")

    def to(done: tuple[Volunteer, bool]) -> str:
        return reverse("volunteers:home" if done[1] else "volunteers:activities")

    return submit(request, form, register, said, to) or render(
        request,
        "volunteers/register.html",
        {
            "form": form,
            "awaiting": awaiting,
            "awaiting_communities": "、".join(dict.fromkeys(r.community.name for r in awaiting)),
        },
        status=refused_status(request),
    )


@signed_in_page
@require_http_methods(["GET", "POST"])
def profile(request: HttpRequest) -> HttpResponse:
    volunteer = _volunteer(request)
    form = ProfileForm(
        request.POST or None,
        initial={
            "skills": volunteer.skills,
            "certificates": volunteer.certificates,
            "availability": volunteer.availability,
        },
    )
    write = partial(services.volunteer_update, volunteer=volunteer)
    done = submit(request, form, write, _("Saved."), "volunteers:home")
    return done or render(
        request,
        "volunteers/profile.html",
        {"form": form, "volunteer": volunteer},
        status=refused_status(request),
    )


@signed_in_page
@require_GET
def activities(request: HttpRequest) -> HttpResponse:
    qs = selectors.upcoming_activities(selectors.activities_open_to(request.user).filter(state="open"))
    return render(
        request,
        "volunteers/activities.html",
        {
            "activities": paged(request, qs, "page", ACTIVITIES_PER_PAGE),
            "volunteer": selectors.own_volunteer(request.user),
        },
    )


@signed_in_page
@require_GET
def activity(request: HttpRequest, pk: int) -> HttpResponse:
    """An activity's shifts and roles; for each role, the button to sign up or the reason it is refused."""
    item = selectors.activity_open_get_for(request.user, pk)
    volunteer = selectors.own_volunteer(request.user)
    shifts: list[dict[str, Any]] = []
    now = timezone.now()
    for shift in item.shifts.all():
        roles = []
        for role in shift.roles.all():
            refusal = services.signup_refusal(volunteer, role, now=now) if volunteer else None
            roles.append({"role": role, "refusal": refusal, "may_wait": refusal == Refusal.FULL})
        shifts.append({"shift": shift, "roles": roles})
    mine = list(selectors.signups_of(volunteer).filter(role__shift__activity=item)) if volunteer else []
    for s in mine:  # what the service lets one cancel: a place before its shift starts, a wait until it ends
        shift = s.role.shift
        s.may_cancel = (s.state == "confirmed" and now < shift.starts_at) or (  # type: ignore[attr-defined]
            s.state == "waiting" and now < shift.ends_at
        )
    return render(
        request,
        "volunteers/activity.html",
        {"activity": item, "shifts": shifts, "volunteer": volunteer, "mine": mine},
    )


@signed_in_page
@require_POST
@redirect_on_error("volunteers:activities")
def signup(request: HttpRequest, pk: int) -> HttpResponse:
    """Sign up for a role (or join its waiting list): a refusal comes back as a message saying why."""
    role = selectors.role_get_for(request.user, pk)
    volunteer = _volunteer(request)
    made = services.signup_create(
        actor=request_account(request), volunteer=volunteer, role=role, wait=request.POST.get("wait") == "1"
    )
    if made.state == "waiting":
        messages.info(request, _("You are on the waiting list; we will tell you when a place is free."))
    else:
        messages.success(request, _("You are signed up: %(role)s.") % {"role": role.name})
    return redirect("volunteers:activity", pk=role.shift.activity_id)


@signed_in_page
@require_POST
def signup_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    found = selectors.signup_get_for(request.user, pk)
    services.signup_cancel(actor=request_account(request), signup=found)
    messages.success(request, _("Your sign-up is cancelled."))
    # Back where it was cancelled: 我的报名, or the activity's page (its form says so in `next`).
    return redirect(safe_url(request, request.POST.get("next")) or reverse("volunteers:my_activities"))


@signed_in_page
@require_GET
def my_activities(request: HttpRequest) -> HttpResponse:
    volunteer = _volunteer(request)
    now = timezone.now()
    mine = selectors.signups_of(volunteer)
    upcoming = list(mine.filter(role__shift__ends_at__gte=now).reverse())
    for s in upcoming:
        s.check_in_opens = services.check_in_opens_at(s.role.shift)  # type: ignore[attr-defined]
        s.check_in_now = s.check_in_opens <= now  # type: ignore[attr-defined]
    return render(
        request,
        "volunteers/my_activities.html",
        {"upcoming": upcoming, "past": paged(request, mine.filter(role__shift__ends_at__lt=now), "past")},
    )


def _float(value: str | None) -> float | None:
    try:
        return float(value) if value else None
    except ValueError:
        return None


@signed_in_page
@require_http_methods(["GET", "POST"])
@redirect_on_error("volunteers:check_in", "token")
def check_in(request: HttpRequest, token: str) -> HttpResponse:
    """Where the activity's QR code leads: the phone sends its location with the check-in or check-out."""
    item = selectors.activity_by_token(token)
    volunteer = selectors.own_volunteer(request.user)
    if request.method == "POST" and volunteer is not None:
        lng, lat = _float(request.POST.get("lng")), _float(request.POST.get("lat"))
        actor = request_account(request)
        if request.POST.get("step") == "out":
            services.signup_check_out(actor=actor, volunteer=volunteer, activity=item, lng=lng, lat=lat)
            messages.success(request, _("Checked out. Thank you! The organiser will confirm your hours."))
        else:
            services.signup_check_in(actor=actor, volunteer=volunteer, activity=item, lng=lng, lat=lat)
            messages.success(request, _("Checked in. Welcome!"))
        return redirect("volunteers:check_in", token=token)
    mine = list(selectors.signups_of(volunteer).filter(role__shift__activity=item)) if volunteer else []
    now = timezone.now()
    # A shift signed up for may be checked in from half an hour before it starts until it ends.
    coming = [s for s in mine if s.state == "confirmed" and s.role.shift.ends_at >= now]
    opens = [services.check_in_opens_at(s.role.shift) for s in coming]
    context = {
        "activity": item,
        "volunteer": volunteer,
        "mine": mine,
        "may_check_in": any(at <= now for at in opens),
        "may_check_out": any(s.state == "checked_in" for s in mine),
        "check_in_opens": min(opens, default=None),
    }
    return render(request, "volunteers/check_in.html", context)


@signed_in_page
@require_GET
def ledger(request: HttpRequest) -> HttpResponse:
    """My hours (the time bank account's movements), my points, and a member's party points."""
    volunteer = _volunteer(request)
    account = volunteer.bank_account
    context = {
        "volunteer": volunteer,
        "account": account,
        "movements": paged(request, selectors.account_movements(account), "hours"),
        "points": paged(request, selectors.points_of(volunteer), "points"),
        "points_total": selectors.points_total(volunteer),
        "member_points": paged(request, member_points_ledger(volunteer.party_member), "member_points")
        if volunteer.party_member
        else None,
    }
    return render(request, "volunteers/ledger.html", context)


@signed_in_page
@require_http_methods(["GET", "POST"])
def spend(request: HttpRequest) -> HttpResponse:
    """Spend hours from my account on a service, for myself or someone I care for."""
    volunteer = _volunteer(request)
    form = SpendForm(request.POST or None, volunteer=volunteer)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        catch = (ValidationFailed, services.LimitExceeded, services.BalanceChanged)
        with form_errors(form, catch=catch):
            try:  # the balance the page showed: the same form sent twice pays once (compared under the lock)
                balance = Decimal(request.POST.get("balance", ""))
            except InvalidOperation:
                raise ValidationFailed(_("Nothing was paid: open Spend hours again and pay.")) from None
            services.hours_spend(
                actor=request_account(request),
                payer=volunteer.bank_account,
                payee=data["payee"],
                amount=data["hours"],
                category=data["category"],
                note=data["note"],
                balance=balance,
            )
            messages.success(
                request, _("%(h)s hours paid to %(name)s.") % {"h": data["hours"], "name": data["payee"].name}
            )
            return redirect("volunteers:my_ledger")
    return render(
        request,
        "volunteers/spend.html",
        {"form": form, "account": volunteer.bank_account},
        status=refused_status(request),
    )


@signed_in_page
@require_GET
def spend_find(request: HttpRequest) -> HttpResponse:
    """Whom to pay, suggested as a name or number is typed (htmx): the volunteer's own payees only."""
    return finder_part(request, SpendForm(volunteer=_volunteer(request)))


@signed_in_page
@require_GET
def store(request: HttpRequest) -> HttpResponse:
    """The points store of my community: each item with why I cannot redeem it yet, my redemptions, my honours."""
    volunteer = _volunteer(request)
    balance = services.points_balance(volunteer)
    items = [  # each item, why not yet (or None), how many points are missing, and how many are left after it
        (
            item,
            services.redeem_refusal(volunteer, item, balance),
            item.points - balance,
            balance - item.points,
        )
        for item in selectors.store_of(volunteer)
    ]
    context = {
        "volunteer": volunteer,
        "balance": balance,
        "items": items,
        "redemptions": paged(request, volunteer.redemptions.select_related("item"), "redemptions"),
        "honours": list(volunteer.honours.filter(state="published")),
    }
    return render(request, "volunteers/store.html", context)


@signed_in_page
@require_POST
@redirect_on_error("volunteers:store")
def redeem(request: HttpRequest, pk: int) -> HttpResponse:
    """Redeem after the form's question (its cost and what is left), against the points the question was about:
    the same form sent twice redeems once (the service compares them under its locks)."""
    item = selectors.store_item_get_for(request.user, pk)
    try:
        balance = int(request.POST.get("balance", ""))
    except ValueError:
        raise ValidationFailed(_("Nothing was redeemed: open the store and tap Redeem again.")) from None
    services.redemption_create(
        actor=request_account(request), volunteer=_volunteer(request), item=item, balance=balance
    )
    messages.success(
        request, _("Redeemed: %(item)s. Collect it at the community's store.") % {"item": item.name}
    )
    return redirect("volunteers:store")


@signed_in_page
@require_POST
@redirect_on_error("volunteers:store")
def redemption_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    found = selectors.redemption_get_for(request.user, pk)
    services.redemption_cancel(actor=request_account(request), redemption=found)
    messages.success(request, _("Cancelled: the points are back."))
    return redirect("volunteers:store")
