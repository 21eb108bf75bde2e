"""Take a need onto the list from where it was found: a visit of the grid log or a resident's suggestion (an appeal
of the suggestion kind). Territory's visit page and the appeal's page link here through their registries
(`territory.visit_actions`, `appeals.appeal_actions`), which `cobuild/contributions.py` fills."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from linli.appeals.appeal_actions import AppealAction
from linli.appeals.choices import AppealKind
from linli.appeals.selectors import appeal_get_for
from linli.core.pages import form_submit, success_redirect
from linli.core.scoping import Viewer
from linli.territory.selectors import visit_get_for
from linli.territory.visit_actions import VisitAction

from .. import permissions, services
from ..forms import NeedFromForm
from ..models import Need
from .common import community_page

LABEL = gettext_lazy("Put on the needs list")


def _need_from(
    request: HttpRequest,
    *,
    existing: Need | None,
    already: str,
    form: NeedFromForm,
    write: Callable[..., Need],
    source: dict[str, Any],
) -> HttpResponse:
    """A need taken from its `source`: the one taken already (saying `already`), else the form, whose valid post
    `write`s the need onto the list and goes to it."""
    if existing is not None:
        messages.info(request, already)
        return redirect("cobuild:staff_need", pk=existing.pk)

    def said(need: Need) -> str:
        # Who may match it is told to; a grid worker, who may not, is told who will.
        if permissions.may(request.user, "lists_manage", need.community.path):
            return _("The need is on the list: match it to a resource.")
        return _("The need is on the list: the community's workers will match it to a resource.")

    then = success_redirect(request, said, lambda need: reverse("cobuild:staff_need", args=[need.pk]))

    if done := form_submit(request, form, write, then):
        return done
    context = {"form": form, "source": source}
    return render(request, "cobuild/staff/need_from.html", context, status=422 if form.errors else 200)


@community_page
@require_http_methods(["GET", "POST"])
def need_from_visit(request: HttpRequest, visit_id: int) -> HttpResponse:
    visit = visit_get_for(request.user, visit_id)
    return _need_from(
        request,
        existing=Need.objects.filter(visit=visit).first(),
        already=_("This visit is on the needs list already."),
        form=NeedFromForm(request.POST or None, initial={"title": (visit.follow_up or visit.found)[:80]}),
        write=partial(services.need_from_visit, actor=request.user, visit=visit),
        source={
            "kind": _("Grid visit"),
            "text": visit.found,
            "when": visit.visited_at,
            "back": (reverse("territory:visit", args=[visit.pk]), _("Back to the visit")),
        },
    )


@community_page
@require_http_methods(["GET", "POST"])
def need_from_appeal(request: HttpRequest, appeal_id: int) -> HttpResponse:
    appeal = appeal_get_for(request.user, appeal_id)
    form = NeedFromForm(request.POST or None, initial={"title": appeal.title[:80]})
    form.fields["title"].disabled = True
    return _need_from(
        request,
        existing=Need.objects.filter(appeal_number=appeal.tracking_number).first(),
        already=_("This suggestion is on the needs list already."),
        form=form,
        write=lambda title, **data: services.need_from_appeal(
            actor=request.user, appeal_pk=appeal.pk, **data
        ),
        source={
            "kind": appeal.tracking_number,
            "text": appeal.description,
            "when": appeal.created_at,
            "back": (reverse("appeals:detail", args=[appeal.pk]), _("Back to the suggestion")),
        },
    )


def _may_list(user: Viewer, path: str) -> bool:
    return permissions.may(user, "lists_manage", path)


def visit_action() -> VisitAction:
    """Offered on a visit to those who keep the needs list of its place, until a need is taken from it."""
    return VisitAction(
        name="need",
        label=LABEL,
        url=lambda visit: reverse("cobuild:need_from_visit", args=[visit.pk]),
        offered=lambda user, visit: (
            _may_list(user, visit.grid.org_node.path) and not Need.objects.filter(visit=visit).exists()
        ),
    )


def appeal_action() -> AppealAction:
    """Offered on a suggestion with a place, to those who keep the needs list there, until it is on the list."""
    return AppealAction(
        name="need",
        label=LABEL,
        url=lambda appeal: reverse("cobuild:need_from_appeal", args=[appeal.pk]),
        offered=lambda user, appeal: (
            appeal.kind == AppealKind.SUGGESTION
            and appeal.grid is not None
            and _may_list(user, appeal.grid.org_node.path)
            and not Need.objects.filter(appeal_number=appeal.tracking_number).exists()
        ),
    )
