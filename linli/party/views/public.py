"""The member's own pages, open to anyone: 双报到 online (choose the community, or arrive by its QR code) and the
page, reached through the link given after registering, that shows the decision, the post and its duties."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from linli.core.pages import form_errors, refused_status

from .. import selectors, services
from ..choices import RegistrationSource
from ..forms import ApplyForm
from ..models import MemberRegistration

# A signed-in member's own registrations listed where they register (their pages' links, once lost, were nowhere).
MINE_SHOWN = 5


def _mine(request: HttpRequest) -> list[MemberRegistration]:
    return list(selectors.member_registrations_of(request.user)[:MINE_SHOWN])


@require_GET
def join_choose(request: HttpRequest) -> HttpResponse:
    context = {"communities": selectors.communities_open_to_all(), "mine": _mine(request)}
    return render(request, "party/join_choose.html", context)


@require_http_methods(["GET", "POST"])
def join(request: HttpRequest, code: str) -> HttpResponse:
    community = selectors.community_by_code(code)
    source = (
        RegistrationSource.QR if request.GET.get("src") == RegistrationSource.QR else RegistrationSource.PAGE
    )
    # A resident signed in by their phone is not asked for their name and number again.
    user = request.user
    known = {"name": getattr(user, "display_name", ""), "phone": getattr(user, "phone", "")}
    form = ApplyForm(request.POST or None, initial=known)
    if request.method == "POST" and form.is_valid():
        with form_errors(form):
            reg = services.member_registration_apply(
                actor=request.user,
                community=community,
                source=request.POST.get("source", source),
                **form.cleaned_data,
            )
            return redirect(reverse("party:my_registration", args=[reg.token]) + "?sent=1")
    context = {"community": community, "form": form, "source": source, "mine": _mine(request)}
    return render(request, "party/join.html", context, status=refused_status(request))


@require_GET
def my_registration(request: HttpRequest, token: str) -> HttpResponse:
    reg = selectors.member_registration_by_token(token)
    return render(
        request,
        "party/my_registration.html",
        {
            "reg": reg,
            "just_sent": request.GET.get("sent") == "1",
        },
    )
