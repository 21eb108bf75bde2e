"""网格吹哨 on the appeal's staff page: the open whistle request a grid worker raised, and the community's answer
to it — summon departments from it, or decline with a reason; and a summoned unit saying the matter is not its
duty (不属于本单位职责), which the summoner answers by insisting (or withdrawing the summons). The services check
who may."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from linli.accounts.auth import request_account
from linli.accounts.models import User
from linli.core.pages import redirect_on_error, staff_page

from .. import forms as f
from .. import selectors, services
from ..choices import WhistleRequestStatus
from ..models import Appeal, AppealPart, WhistleRequest
from ..permissions import may
from ..selectors import organisations_for
from ..services.whistle import report_in_limits
from .common import action_url, posted_part


def summon_form(user: User, appeal: Appeal, data: Any = None, *, prefix: str) -> f.WhistleForm:
    """The whistle form: the units within the user's reach that have no open part on the appeal (one summoned,
    even one that has finished its part, is named under the field, not offered again)."""
    summoned = appeal.parts.filter(withdrawn_at__isnull=True).values_list("organisation_id", flat=True)
    form = f.WhistleForm(
        data,
        prefix=prefix,
        organisations=organisations_for(user).exclude(pk__in=summoned),
        limits=report_in_limits(appeal),
    )
    names = list(
        appeal.parts.filter(withdrawn_at__isnull=True)
        .order_by("summoned_at", "pk")
        .values_list("organisation__name", flat=True)
    )
    if names:
        form.fields["organisations"].help_text = _("Already summoned (not offered again): %(units)s") % {
            "units": "、".join(names)
        }
    return form


def whistle_request_context(
    user: User, appeal: Appeal, bound: dict[str, forms.Form] | None = None
) -> dict[str, Any]:
    """The open request on this appeal, and for the community that decides it the two forms."""
    request = (
        WhistleRequest.objects.filter(appeal=appeal, status=WhistleRequestStatus.OPEN)
        .select_related("community", "raised_by")
        .first()
    )
    if request is None:
        return {"whistle_request": None}
    decides = (
        may(user, "whistle_request_decline", appeal)
        and selectors.whistle_requests_for(user).filter(pk=request.pk).exists()
    )
    bound = bound or {}
    return {
        "whistle_request": request,
        "whistle_request_decides": decides,
        "whistle_request_summon_form": bound.get("wr")
        or (summon_form(user, appeal, prefix="wr") if decides else None),
        "whistle_request_decline_form": bound.get("wr_decline") or f.NoteForm(prefix="wr_decline"),
    }


# 不属于本单位职责 and the summoner's answer: step → (its form, the service, what to say when done).
PART_ANSWERS: dict[str, tuple[type[forms.Form], Any, Any]] = {
    "decline": (
        f.PartDeclineForm,
        lambda *, actor, part, reason, **other: services.part_decline(actor=actor, part=part, reason=reason),
        gettext_lazy("Said: not your unit's duty. The summoner is told and decides."),
    ),
    "insist": (
        f.PartInsistForm,
        lambda *, actor, part, note, **other: services.part_insist(actor=actor, part=part, note=note),
        gettext_lazy("Insisted: the unit is told to report in and do its part."),
    ),
}


def part_answer_form(step: str, part: AppealPart, data: Any = None) -> forms.Form:
    """The form of `step` on `part` (its fields' ids name the step and the part: two parts, two forms)."""
    form_class = PART_ANSWERS[step][0]
    return form_class(data, initial={"part_id": part.pk}, auto_id=f"{step}-%s-{part.pk}")


def part_answer(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    """A summoned unit says the matter is not its duty, or the summoner insists it does its part: a refused form
    (a reason missing or too short) shows the page again with what was typed, answering 422."""
    user = request_account(request)
    appeal = selectors.appeal_get_for(user, pk)
    part = posted_part(request, appeal)
    if part is None:
        return redirect("appeals:detail", pk=pk)
    _form_class, service, done = PART_ANSWERS[step]

    def write(**data: Any) -> str:
        service(actor=user, part=part, **data)
        return str(done)

    from .detail import detail_form_post

    form = part_answer_form(step, part, request.POST)
    return detail_form_post(request, pk, form, write, bound_as=f"{step}-{part.pk}", open_action="")


@staff_page
@action_url
@redirect_on_error("appeals:detail", "pk")
def whistle_request_act(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    """The community summons departments from a grid worker's whistle request, or declines it."""
    if step not in ("summon", "decline"):
        raise Http404
    user = request_account(request)
    appeal = selectors.appeal_get_for(user, pk)
    wanted = selectors.whistle_requests_for(user).filter(appeal=appeal).first()
    if wanted is None:
        raise Http404
    if step == "decline":
        form: forms.Form = f.NoteForm(request.POST, prefix="wr_decline")
        if form.is_valid():
            services.whistle_request_decline(actor=user, request=wanted, note=form.cleaned_data["note"])
            messages.success(request, _("The whistle request was declined; the grid worker is told why."))
        else:
            messages.error(request, _("Give the reason for declining."))
        return redirect("appeals:detail", pk=pk)

    def summon(
        organisations: list[str],
        note: str,
        report_hours: float | None = None,
        finish_by: dt.datetime | None = None,
        **other: object,
    ) -> str:
        units = list(organisations_for(user).filter(pk__in=[int(x) for x in organisations]))
        services.whistle_request_summon(
            actor=user,
            request=wanted,
            units=units,
            reason=note,
            report_hours=report_hours,
            finish_by=finish_by,
        )
        return _("Departments summoned from the whistle request; each must report in.")

    from .detail import detail_form_post

    form = summon_form(user, appeal, request.POST, prefix="wr")
    return detail_form_post(request, pk, form, summon, bound_as="wr", open_action="wr")
