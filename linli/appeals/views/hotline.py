"""The hotline operator's page: a caller's appeal typed in; a consultation may be answered on the call."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from linli.core.errors import DomainError
from linli.core.pages import form_errors, staff_page
from linli.territory.selectors import grids_visible_to

from .. import forms as f
from .. import services
from ..choices import AppealState, Channel
from .common import new_idempotency_key, request_idempotency_key, staff_user, submit_from_form


@staff_page
def hotline(request: HttpRequest) -> HttpResponse:
    """A hotline operator types a caller's appeal; a consultation may be answered and closed on the call."""
    user = staff_user(request)
    grids = list(grids_visible_to(user).order_by("code")[:1000])
    if request.method != "POST":
        form = f.HotlineForm(initial={"idempotency_key": new_idempotency_key()}, grids=grids)
        return render(request, "appeals/hotline.html", {"form": form})
    form = f.HotlineForm(request.POST, grids=grids)
    if form.is_valid():
        data = form.cleaned_data
        # Every refusal goes on the form, not only a ValidationFailed: the operator is on the phone with the
        # caller and must not lose what they typed.
        with form_errors(form, catch=(DomainError,)):
            appeal = submit_from_form(
                request,
                form,
                channel=Channel.HOTLINE,
                contact_name=data["caller_name"],
                contact_phone=data["caller_phone"],
                grid_code=data.get("grid") or "",
                priority=data["priority"],
                idempotency_key=request_idempotency_key(request),
            )
            if data.get("answer_now") and appeal.state != AppealState.CLOSED:
                services.appeal_answer_on_first_contact(actor=user, appeal=appeal, answer=data["answer"])
            if data.get("answer_now"):
                note = _("Consultation %(number)s answered and closed at first contact.")
            else:
                note = _("Appeal %(number)s created; read the tracking number to the caller.")
            messages.success(request, note % {"number": appeal.tracking_number})
            return redirect("appeals:detail", pk=appeal.pk)
    return render(request, "appeals/hotline.html", {"form": form}, status=400)
