"""Pages of children's places: the places of the reader's communities with their places taken and the waiting
list, a place's page (the children, sign up, leave: the first in line then gets the place)."""

from __future__ import annotations

from functools import partial

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from linli.accounts.auth import request_account
from linli.core.pages import redirect_on_error, refused_status, staff_page

from .. import permissions, selectors, services
from ..choices import EnrolmentState
from ..forms import ChildPlaceForm, EnrolmentForm
from .common import form_write


@staff_page
@require_http_methods(["GET", "POST"])
def place_list(request: HttpRequest) -> HttpResponse:
    communities = selectors.communities_for(request.user).order_by("name")
    form = ChildPlaceForm(request.POST or None, communities=communities)
    done = form_write(
        request,
        form,
        services.child_place_create,
        _("Place opened."),
        lambda place: redirect("care:child_place", pk=place.pk),
    )
    if done:
        return done
    places = selectors.child_places_visible_to(request.user).order_by("kind", "name")
    context = {
        "places": places,
        "form": form,
        "may_manage": permissions.may_anywhere(request.user, "children_manage"),
    }
    return render(request, "care/children.html", context, status=refused_status(request))


@staff_page
@require_http_methods(["GET", "POST"])
def place_detail(request: HttpRequest, pk: int) -> HttpResponse:
    place = selectors.child_place_read_for(request.user, pk)
    form = EnrolmentForm(request.POST or None)
    done = form_write(
        request,
        form,
        partial(services.enrolment_create, place=place),
        lambda made: (
            (
                _("%(child)s has a place.")
                if made.state == EnrolmentState.ENROLLED
                else _("The place is full: %(child)s is on the waiting list.")
            )
            % {"child": made.child_name}
        ),
        lambda _made: redirect("care:child_place", pk=place.pk),
    )
    if done:
        return done
    rows = list(place.enrolments.order_by("created_at", "id"))
    context = {
        "place": place,
        "form": form,
        "enrolled": [r for r in rows if r.state == EnrolmentState.ENROLLED],
        "waiting": [r for r in rows if r.state == EnrolmentState.WAITING],
        "left": [r for r in rows if r.state == EnrolmentState.LEFT][-20:],
        "may_enrol": permissions.may(
            request.user, "children_enrol", permissions.community_path(request.user, place.community.path)
        ),
    }
    return render(request, "care/child_place.html", context, status=refused_status(request))


@staff_page
@require_POST
@redirect_on_error("care:children")
def enrolment_leave(request: HttpRequest, pk: int) -> HttpResponse:
    enrolment = selectors.enrolment_get_for(request.user, pk)
    promoted = services.enrolment_leave(actor=request_account(request), enrolment=enrolment)
    if promoted is not None:
        messages.success(
            request,
            _("%(child)s left; %(next)s, first in line, has the place and the guardian is told.")
            % {"child": enrolment.child_name, "next": promoted.child_name},
        )
    else:
        messages.success(request, _("%(child)s left.") % {"child": enrolment.child_name})
    return redirect("care:child_place", pk=enrolment.place_id)
