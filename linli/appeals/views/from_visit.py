"""Raise an appeal from a visit of the grid worker's log, in one step: the form starts from what the visit found;
the appeal goes in by the patrol channel with the visit's place and photos, and the visit keeps its number.
Territory's visit page links here through its `visit_actions` registry (see AppealsConfig.ready())."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from linli.accounts.auth import request_account
from linli.core.errors import DomainError, PermissionDenied
from linli.core.pages import form_errors, staff_page
from linli.territory.models import Visit
from linli.territory.selectors import visit_get_for
from linli.territory.services.common import may_visit
from linli.territory.visit_actions import VisitAction

from .. import services
from ..forms import _AppealTextMixin

LABEL = gettext_lazy("Raise an appeal from this visit")


class FromVisitForm(_AppealTextMixin):
    """Kind, title, description and (optional) category of the appeal; the place and photos are the visit's."""


def _initial(visit: Visit) -> dict[str, Any]:
    text = visit.found
    if visit.follow_up:
        text += "\n" + _("Follow-up needed: %(what)s") % {"what": visit.follow_up}
    return {"description": text, "title": visit.follow_up[:30] if visit.follow_up else ""}


@staff_page
@require_http_methods(["GET", "POST"])
def appeal_from_visit(request: HttpRequest, visit_id: int) -> HttpResponse:
    user = request_account(request)
    if not may_visit(user):
        raise PermissionDenied(_("Your role may not log visits."))
    visit = visit_get_for(user, visit_id)
    if visit.appeal_number:
        messages.info(
            request, _("An appeal was raised from this visit already: %(n)s.") % {"n": visit.appeal_number}
        )
        return redirect("territory:visit", pk=visit.pk)
    if request.method == "POST":
        form = FromVisitForm(request.POST)
        if form.is_valid():
            with form_errors(form, catch=(DomainError,)):
                data = form.cleaned_data
                appeal = services.appeal_from_visit(
                    actor=user,
                    visit=visit,
                    kind=data["kind"],
                    title=form.title_or_excerpt(),
                    description=data["description"],
                    category_code=data.get("category") or "",
                )
                messages.success(
                    request, _("Appeal %(n)s raised from the visit.") % {"n": appeal.tracking_number}
                )
                return redirect("appeals:detail", pk=appeal.pk)
        status = 422
    else:
        form = FromVisitForm(initial=_initial(visit))
        status = 200
    return render(request, "appeals/from_visit.html", {"form": form, "visit": visit}, status=status)


def visit_action() -> VisitAction:
    """What territory's visit page offers: this page, to those who may log visits, while the visit has no appeal."""
    return VisitAction(
        name="appeal",
        label=LABEL,
        url=lambda visit: reverse("appeals:from_visit", args=[visit.pk]),
        offered=lambda user, visit: may_visit(user) and not visit.appeal_number,
    )
