from __future__ import annotations

from django.contrib.auth import logout
from django.contrib.auth.views import LoginView
from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.views.decorators.http import require_GET, require_http_methods

from linli.accounts.auth import request_account
from linli.accounts.choices import ClaimStatus
from linli.accounts.models import User
from linli.accounts.selectors import claims_of_account
from linli.appeals.choices import OPEN_STATE_VALUES, AppealState
from linli.appeals.selectors import appeals_visible_to
from linli.core import todo
from linli.core.outbox import notifications_unread_count
from linli.core.pages import signed_in_page
from linli.core.roles import UNIT_ROLES, Role
from linli.core.scoping import is_admin, is_staff_member
from linli.core.workdays import holidays_missing_message, holidays_missing_year
from linli.territory import selectors as territory
from linli.territory.choices import OrganisationKind

from .home_tiles import area_counts, tiles_for


class LinliLoginView(LoginView):
    template_name = "web/login.html"
    redirect_authenticated_user = True


@require_http_methods(["GET", "POST"])
def logout_view(request: HttpRequest) -> HttpResponse:
    """Sign out by the top bar's button (a POST). The address opened by itself (typed, bookmarked) asks first, with
    the button, rather than the page that says the address takes a form sent from elsewhere; a visitor signed in
    no more goes to the sign-in page."""
    if request.method == "POST":
        logout(request)
        return redirect("web:login")
    if not request.user.is_authenticated:
        return redirect("web:login")
    return render(request, "web/logout.html")


# How many of a resident's appeals their home lists (the rest are one link away, on "my appeals").
RESIDENT_HOME_APPEALS = 5


def home(request: HttpRequest) -> HttpResponse:
    """Each person's own home at /: the public front page for a guest, the resident's home for a resident, the
    workbench for staff. The logo links here, so it leads everyone to their own home."""
    if not request.user.is_authenticated:
        return render(request, "web/front.html")
    user = request_account(request)
    if is_staff_member(user):
        return staff_home(request, user)
    return resident_home(request, user)


def resident_home(request: HttpRequest, user: User) -> HttpResponse:
    """What waits for them (`home_waiting`, when anything does), report, my appeals with their state, track by
    number, public figures, and my household's status (first of all while there is a household to claim)."""
    mine = appeals_visible_to(user)
    latest_claim = claims_of_account(user).first()
    verified = user.household if user.household_verified_at else None
    waiting = latest_claim is not None and latest_claim.status == ClaimStatus.PENDING
    context = {
        "appeals": list(mine.order_by("-created_at", "-id")[:RESIDENT_HOME_APPEALS]),
        "open_count": mine.filter(state__in=OPEN_STATE_VALUES).count(),
        "to_rate_count": mine.filter(state=AppealState.RESOLVED).count(),
        # What was said of their appeals and orders and not read yet (已派单, 请评价 …): the inbox was only a small
        # link on "my appeals".
        "unread": notifications_unread_count(user),
        "verified_household": verified,
        "latest_claim": latest_claim,
        # Neither tied to a household nor waiting for a check: the claim leads the home, the one thing to do first.
        "claim_to_do": verified is None and not waiting,
    }
    return render(request, "web/resident_home.html", context)


@signed_in_page
@require_GET
def home_waiting(request: HttpRequest) -> HttpResponse:
    """The kinds of work handed to a resident (core.todo: a branch secretary's self-assessments, a volunteer
    visitor's care visits), which only the pages of each named: the resident's home loads it after the page, so
    the home of the many residents with nothing of the kind reads none of those apps' tables (as the menu asks
    them only once in a while, core.session_memo); nothing when nothing waits."""
    return render(
        request, "web/partials/home_waiting.html", {"waiting": todo.waiting_for(request_account(request))}
    )


def staff_home(request: HttpRequest, user: User) -> HttpResponse:
    node = user.org_node
    is_partner_unit = (
        user.organisation is not None and user.organisation.kind == OrganisationKind.PARTNER_UNIT
    )
    context = {
        "chain": node.chain() if node is not None else [],
        "organisation": user.organisation,
        "counts": area_counts(user),
        "my_grids": list(territory.grids_visible_to(user).filter(workers=user).order_by("code")),
        "is_department": user.role in UNIT_ROLES,
        "is_partner_unit": is_partner_unit,
        "role_label": _role_label(user, is_partner_unit),
        "calendar_warning": _calendar_warning(user),
        "waiting": todo.waiting_for(user),
        "tiles": tiles_for(user),
    }
    return render(request, "web/staff_home.html", context)


def _role_label(user: User, is_partner_unit: bool) -> str:
    """What the person is, on their home: a partner unit's contact (共建单位) signs in with a unit handler's role,
    yet is no department's handler."""
    if is_admin(user):
        return str(Role.ADMIN.label)
    if is_partner_unit:
        return str(OrganisationKind.PARTNER_UNIT.label)
    return str(Role(user.role).label)


def _calendar_warning(user: User) -> str:
    """For administrators, from November: next year's holidays are not entered yet (also `linli check`)."""
    if not is_admin(user):
        return ""
    year = holidays_missing_year()
    return holidays_missing_message(year) if year is not None else ""


def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers ask for /favicon.ico on pages that name no icon (the administration site's, a PDF's): the site's
    icon (its static URL is read per request: the manifest of hashed names exists only once collected)."""
    return HttpResponsePermanentRedirect(static("web/favicon.svg"))
