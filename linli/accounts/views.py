"""Resident pages (sign in by one-time code, my account, claim a household) and the claim verification page."""

from __future__ import annotations

from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from linli.core.clientip import client_ip
from linli.core.errors import DomainError
from linli.core.masking import mask_phone
from linli.core.pages import form_errors, form_refused, go_to, posted_form, redirect_on_error, staff_page
from linli.core.roles import Role

from . import selectors, services
from .auth import request_account
from .choices import ClaimStatus
from .forms import ClaimForm, CodeForm, PhoneForm, RejectForm
from .models import HouseholdClaim, User

RESIDENT_HOME = "accounts:resident_me"
# Where a resident lands after signing in: their home at / (report, their appeals, their household).
SIGNED_IN_HOME = "web:home"


def _is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def _next_page(request: HttpRequest) -> str:
    """The page of this site that sent the resident to sign in (`next`, kept through both steps), to return to
    afterwards; "" for none or one elsewhere."""
    url = request.POST.get("next") or request.GET.get("next") or ""
    safe = url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return url if safe else ""


def _login_step(request: HttpRequest, context: dict[str, Any], status: int = 200) -> HttpResponse:
    """The sign-in step alone for htmx, or the whole page without JavaScript."""
    template = "accounts/partials/login_step.html" if _is_htmx(request) else "accounts/resident_login.html"
    return render(request, template, {**context, "next": _next_page(request)}, status=status)


def resident_only(view: Any) -> Any:
    """Signed-in resident accounts only; staff members go to their workbench."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request_account(request).is_resident:
            return redirect("web:home")
        return view(request, *args, **kwargs)

    return login_required(wrapped, login_url="accounts:resident_login")


@require_GET
def account_index(request: HttpRequest) -> HttpResponse:
    """/accounts/ typed by hand: a resident's own account page, the claims to verify for whoever verifies them,
    the staff accounts for a street officer or district leader, the sign-in page for a guest, home for everyone
    else."""
    user = request.user
    if not user.is_authenticated:
        return redirect("accounts:resident_login")
    if user.role == Role.RESIDENT:
        return redirect(RESIDENT_HOME)
    if user.is_superuser or user.role in services.VERIFIER_ROLES:
        return redirect("accounts:verifications")
    if user.role in selectors.STAFF_READERS:
        return redirect("accounts:staff")
    return redirect(SIGNED_IN_HOME)


@require_GET
def resident_login(request: HttpRequest) -> HttpResponse:
    user = request.user
    if isinstance(user, User) and user.is_resident:
        return redirect(_next_page(request) or SIGNED_IN_HOME)
    return _login_step(request, {"step": "phone", "form": PhoneForm()})


@posted_form("accounts:resident_login")
def resident_login_send(request: HttpRequest) -> HttpResponse:
    form = PhoneForm(request.POST)
    if form.is_valid():
        # Every refusal (a wrong number, too many codes) goes on the form: this step is swapped in by htmx, and a
        # redirect would replace it with a whole page.
        with form_errors(form, catch=(DomainError,)):
            sent = services.otp_request(phone=form.cleaned_data["phone"])
            return _login_step(request, _code_step(CodeForm(initial={"phone": sent.phone}), sent.phone))
    return _login_step(request, {"step": "phone", "form": form}, status=422)


@posted_form("accounts:resident_login")
def resident_login_verify(request: HttpRequest) -> HttpResponse:
    form = CodeForm(request.POST)
    phone = request.POST.get("phone", "")
    if form.is_valid():
        # As above: a wrong or expired code is said on the htmx step, not by a redirect.
        with form_errors(form, catch=(DomainError,)):
            user = services.otp_verify(
                phone=phone, code=form.cleaned_data["code"].strip(), ip=client_ip(request) or None
            )
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            return go_to(request, _next_page(request) or reverse(SIGNED_IN_HOME))
    return _login_step(request, _code_step(form, phone), status=422)


def _code_step(form: CodeForm, phone: str) -> dict[str, Any]:
    """The step where the code sent to `phone` is typed, saying how long it lasts."""
    minutes = max(settings.LINLI_OTP_TTL_SECONDS // 60, 1)
    return {
        "step": "code",
        "form": form,
        "phone": phone,
        "phone_masked": mask_phone(phone),
        "minutes": minutes,
    }


@resident_only
def resident_me(request: HttpRequest) -> HttpResponse:
    return _me_page(request, None)


def _claimed_before(claim: HouseholdClaim | None) -> dict[str, Any]:
    """What the latest claim gave, when it was rejected: the form starts from it, so the resident corrects what the
    community said was wrong rather than typing it all again."""
    if claim is None or claim.status != ClaimStatus.REJECTED:
        return {}
    household = claim.household
    return {
        "address": claim.address_text,
        "unit": household.entrance.number if household.entrance else None,
        "room": household.room,
        "name": claim.claimant_name,
    }


def _me_page(request: HttpRequest, form: ClaimForm | None, status: int = 200) -> HttpResponse:
    user = request_account(request)
    claims = list(selectors.claims_of_account(user)[:5])
    pending = next((c for c in claims if c.status == "pending"), None)
    if form is None:
        form = ClaimForm(initial=_claimed_before(claims[0] if claims else None))
    context = {
        "phone_masked": mask_phone(user.phone),
        "verified_household": user.household if user.household_verified_at else None,
        "verified_at": user.household_verified_at,
        "pending": pending,
        "claims": claims,
        "form": form,
    }
    return render(request, "accounts/resident_me.html", context, status=status)


@posted_form("accounts:resident_me")
@resident_only
@redirect_on_error(RESIDENT_HOME)
def resident_claim(request: HttpRequest) -> HttpResponse:
    user = request_account(request)
    form = ClaimForm(request.POST)
    if not form.is_valid():
        return _me_page(request, form, status=422)
    data = form.cleaned_data
    with form_errors(form):
        household = selectors.household_for_claim(data["address"], data["room"], data.get("unit"))
        services.household_claim(
            actor=user, household=household, claimant_name=data["name"], address_text=data["address"]
        )
        messages.success(request, _("Your claim was sent. A community worker will verify it soon."))
        return redirect(RESIDENT_HOME)
    return _me_page(request, form, status=422)


def _verifier(request: HttpRequest) -> User:
    return services.claim_verifier(request_account(request))


def _claim(request: HttpRequest, pk: int) -> tuple[User, HouseholdClaim]:
    """The verifier and the claim a verification action names (within their scope)."""
    user = _verifier(request)
    return user, selectors.household_claim_get_for(user, pk)


# Staff accounts on one page, by place, role and user name.
STAFF_PER_PAGE = 50


@staff_page
@require_GET
def staff_list(request: HttpRequest) -> HttpResponse:
    """The staff accounts of the reader's area, read-only: who works where and in which grids, switched off or not,
    when last used; phones masked. Found by a name, a user name or a number's last digits, narrowed to a role or to
    the accounts on or off; a role or state in the address that is not one is said and left out."""
    text = request.GET.get("q", "").strip()[:50]
    role, state = request.GET.get("role", ""), request.GET.get("state", "")
    roles = dict(selectors.STAFF_ROLES)
    notes = []
    if role and role not in roles:
        notes.append(
            _("Role “%(value)s” is not a staff role: accounts of every role are shown.") % {"value": role}
        )
        role = ""
    if state and state not in selectors.STAFF_STATES:
        notes.append(
            _("State “%(value)s” was not understood: accounts on and off are shown.") % {"value": state}
        )
        state = ""
    rows = selectors.staff_found(
        selectors.staff_visible_to(request_account(request)), text=text, role=role, state=state
    )
    page = Paginator(rows, STAFF_PER_PAGE).get_page(request.GET.get("page"))
    for u in page:
        u.phone_masked = mask_phone(u.phone)  # type: ignore[attr-defined]
    context = {
        "page": page,
        "q": text,
        "role": role,
        "state": state,
        "roles": selectors.STAFF_ROLES,
        "filtered": bool(text or role or state),
        "notes": notes,
    }
    partial = _is_htmx(request) and not request.headers.get("HX-History-Restore-Request")
    response = render(
        request, "accounts/partials/staff_results.html" if partial else "accounts/staff.html", context
    )
    patch_vary_headers(response, ["HX-Request"])
    return response


# Claims on one page: those waiting the oldest first, those decided the latest first (`?decided=`), each list
# keeping the other's page.
CLAIMS_PER_PAGE = 30
DECIDED_PER_PAGE = 20


@staff_page
def verifications(request: HttpRequest) -> HttpResponse:
    user = _verifier(request)
    claims = Paginator(selectors.household_claims_pending_for(user), CLAIMS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    decided = (
        selectors.household_claims_visible_to(user).exclude(status="pending").order_by("-decided_at", "-id")
    )
    recent = Paginator(decided, DECIDED_PER_PAGE).get_page(request.GET.get("decided"))
    for c in claims:
        c.phone_masked = mask_phone(c.account.phone)  # type: ignore[attr-defined]
    return render(
        request,
        "accounts/verifications.html",
        {"claims": claims, "recent": recent},
    )


@require_POST
@staff_page
@redirect_on_error("accounts:verifications")
def verification_approve(request: HttpRequest, pk: int) -> HttpResponse:
    user, claim = _claim(request, pk)
    services.household_claim_verify(actor=user, claim=claim, ip=client_ip(request) or None)
    messages.success(
        request,
        _("%(name)s is now tied to %(address)s.")
        % {"name": claim.claimant_name, "address": claim.household.address},
    )
    return redirect("accounts:verifications")


@require_POST
@staff_page
@redirect_on_error("accounts:verifications")
def verification_reject(request: HttpRequest, pk: int) -> HttpResponse:
    user, claim = _claim(request, pk)
    form = RejectForm(request.POST)
    if not form.is_valid():
        form_refused(request, form)  # a reason missing or too long, said; what was typed filled in again
        return redirect("accounts:verifications")
    services.household_claim_reject(
        actor=user, claim=claim, reason=form.cleaned_data["reason"], ip=client_ip(request) or None
    )
    messages.success(request, _("The claim of %(name)s was rejected.") % {"name": claim.claimant_name})
    return redirect("accounts:verifications")
