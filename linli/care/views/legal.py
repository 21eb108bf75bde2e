"""Pages of legal aid (applications from the eligibility check to an outcome; talks on the law, counted) and the
rota of 三官两师 on call to the communities."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from linli.accounts.auth import request_account
from linli.core.orgpath import path_ids
from linli.core.pages import posted_form, redirect_on_error, refused_status, staff_page
from linli.territory.selectors import grids_visible_to

from .. import permissions, rules, selectors, services
from ..choices import WEEKDAYS, LegalAidState
from ..forms import AssignLawyerForm, ConcludeForm, LegalAidForm, RefuseForm, RotaForm, TalkForm
from .common import action_ids, form_write, object_action

PER_PAGE = 50
TALKS_PER_PAGE = 20


@staff_page
@require_http_methods(["GET", "POST"])
def legal_list(request: HttpRequest) -> HttpResponse:
    communities = selectors.communities_for(request.user).order_by("name")
    talk_form = TalkForm(request.POST or None, communities=communities)
    done = form_write(
        request, talk_form, services.legal_talk_record, _("Talk recorded."), lambda _t: redirect("care:legal")
    )
    if done:
        return done
    apps = selectors.legal_aid_visible_to(request.user).order_by("-created_at", "-id")
    state = request.GET.get("state", "")
    if state in LegalAidState.values:
        apps = apps.filter(state=state)
    context = {
        "page": Paginator(apps, PER_PAGE).get_page(request.GET.get("page")),
        "state": state,
        "states": LegalAidState.choices,
        "summary": selectors.legal_summary(request.user),
        "talks": Paginator(selectors.talks_visible_to(request.user), TALKS_PER_PAGE).get_page(
            request.GET.get("talks")
        ),
        "talk_form": talk_form,
        "may_apply": permissions.may_anywhere(request.user, "legal_aid_apply"),
        "may_decide": permissions.may_anywhere(request.user, "legal_aid_decide"),
    }
    return render(request, "care/legal.html", context, status=refused_status(request))


@staff_page
@require_http_methods(["GET", "POST"])
def legal_new(request: HttpRequest) -> HttpResponse:
    form = LegalAidForm(request.POST or None, grids=grids_visible_to(request.user).order_by("code", "pk"))
    done = form_write(
        request,
        form,
        services.legal_aid_apply,
        lambda row: _("Application %(n)s taken.") % {"n": row.number},
        lambda row: redirect("care:legal_detail", pk=row.pk),
    )
    return done or render(request, "care/legal_form.html", {"form": form}, status=refused_status(request))


# Each action of an application's page: its form and the service its form feeds.
LEGAL_ACTIONS: dict[str, tuple[Any, Any]] = {
    "assign": (AssignLawyerForm, services.legal_aid_assign),
    "refuse": (RefuseForm, services.legal_aid_refuse),
    "conclude": (ConcludeForm, services.legal_aid_conclude),
}


def _lawyers(request: HttpRequest, grid_path: str) -> Any:
    return selectors.lawyers_for(request.user).filter(community_id__in=path_ids(grid_path))


def _legal_page(request: HttpRequest, row: Any, forms: dict[str, Any], status: int = 200) -> HttpResponse:
    lawyers = _lawyers(request, row.grid.org_node.path)
    forms.setdefault("assign", AssignLawyerForm(lawyers=lawyers, auto_id=action_ids("assign")))
    forms.setdefault("refuse", RefuseForm(auto_id=action_ids("refuse")))
    forms.setdefault("conclude", ConcludeForm(auto_id=action_ids("conclude")))
    decide = permissions.may(request.user, "legal_aid_decide", row.grid.org_node.path)
    offered = {
        "assign": decide and row.state == LegalAidState.APPLIED,
        "refuse": decide and row.state == LegalAidState.APPLIED,
        "conclude": decide and row.state == LegalAidState.ASSIGNED,
    }
    context = {
        "app": row,
        "forms": forms,
        "offered": offered,
        "check": rules.legal_aid_eligibility(row.matter, low_income=row.low_income),
    }
    return render(request, "care/legal_detail.html", context, status=status)


@staff_page
@require_GET
def legal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _legal_page(request, selectors.legal_aid_read_for(request.user, pk), {})


@staff_page
@posted_form("care:legal_detail", kwargs=("pk",))
def legal_act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    row = selectors.legal_aid_read_for(request.user, pk)
    return object_action(
        request,
        row,
        action,
        LEGAL_ACTIONS,
        keyword="application",
        detail="care:legal_detail",
        page=_legal_page,
        extra={"assign": {"lawyers": _lawyers(request, row.grid.org_node.path)}},
    )


@staff_page
@require_http_methods(["GET", "POST"])
def rota(request: HttpRequest) -> HttpResponse:
    """三官两师 on call: who is on duty today, the whole rota, and (for supervisors) adding to it."""
    communities = selectors.communities_for(request.user).order_by("name")
    form = RotaForm(request.POST or None, communities=communities)
    done = form_write(
        request,
        form,
        lambda actor, **_data: services.rota_add(actor=actor, **form.service_args()),
        _("Added to the rota."),
        lambda _r: redirect("care:rota"),
    )
    if done:
        return done
    today = timezone.localdate()
    rows = list(selectors.rota_visible_to(request.user).filter(active=True).order_by("kind", "name"))
    context = {
        "rows": rows,
        "on_duty": selectors.on_duty(request.user, today),
        "today": today,
        "weekdays": dict(WEEKDAYS),
        "form": form,
        "may_manage": permissions.may_anywhere(request.user, "rota_manage"),
    }
    return render(request, "care/rota.html", context, status=refused_status(request))


@staff_page
@require_POST
@redirect_on_error("care:rota")
def rota_remove(request: HttpRequest, pk: int) -> HttpResponse:
    row = selectors.rota_get_for(request.user, pk)
    services.rota_remove(actor=request_account(request), professional=row)
    messages.success(request, _("%(name)s is off the rota.") % {"name": row.name})
    return redirect("care:rota")
