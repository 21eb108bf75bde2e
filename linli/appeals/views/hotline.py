"""The hotline operator's page: a caller's appeal typed in; a consultation may be answered on the call."""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from linli.accounts.auth import request_account
from linli.territory.selectors import grids_visible_to

from .. import forms as f
from .. import services
from ..choices import AppealState, Channel
from ..models import Appeal
from .common import request_idempotency_key, staff_intake_page, submit_from_form, tree_page


@tree_page
def hotline(request: HttpRequest) -> HttpResponse:
    """A hotline operator types a caller's appeal; a consultation may be answered and closed on the call."""
    user = request_account(request)
    grids = list(grids_visible_to(user).order_by("code")[:1000])

    def make_form(*args: Any, **kwargs: Any) -> forms.Form:
        return f.HotlineForm(*args, grids=grids, **kwargs)

    def take(form: forms.Form) -> tuple[Appeal, str]:
        data = form.cleaned_data
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
        return appeal, note % {"number": appeal.tracking_number}

    return staff_intake_page(request, "appeals/hotline.html", make_form, take)
