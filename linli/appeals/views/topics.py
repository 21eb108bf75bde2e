"""每月一题 pages: this week's recurring-problem candidates, the monthly topics, and the steps of a topic."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from linli.accounts.auth import request_account
from linli.core.pages import form_refused, form_submit, posted_form, redirect_on_error, staff_page

from .. import forms as f
from .. import services
from .. import topics as topics_mod
from ..models import Appeal
from ..selectors import appeals_visible_to
from .common import tree_page
from .listing import address_notes, paged

PAGE_SIZE = 30


@tree_page
def topics(request: HttpRequest) -> HttpResponse:
    """每月一题: this week's recurring-problem candidates and the monthly topics in the user's scope."""
    user = request_account(request)
    candidates = list(
        topics_mod.candidates_visible_to(user).prefetch_related(
            # Only the appeals the reader opens: a grid worker's candidate groups other grids' appeals too.
            Prefetch(
                "appeals",
                queryset=Appeal.objects.only("id", "tracking_number", "title").filter(
                    pk__in=appeals_visible_to(user).values("pk")
                ),
            ),
            Prefetch("topics", queryset=topics_mod.topics_visible_to(user).order_by("id")),
        )
    )
    for c in candidates:
        c.topic = next(iter(c.topics.all()), None)  # type: ignore[attr-defined]
        c.may_adopt = topics_mod.may_adopt(user, c.org_path)  # type: ignore[attr-defined]
        c.may_propose = topics_mod.may_propose(user, c.org_path)  # type: ignore[attr-defined]
    topic_page = paged(
        request, topics_mod.topics_visible_to(user).order_by("-month", "-id"), PAGE_SIZE, "topics"
    )
    return render(
        request,
        "appeals/topics.html",
        {
            "candidates": candidates,
            "topics": topic_page,
            "adopt_form": f.TopicAdoptForm(),
            "address_notes": address_notes(request, ["topics"], topic_page),
        },
    )


@staff_page
@require_POST
@redirect_on_error("appeals:topics")
def candidate_act(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    if step not in ("propose", "adopt"):
        raise Http404
    user = request_account(request)
    candidate = topics_mod.candidate_get_for(user, pk)
    form = f.TopicAdoptForm(request.POST)
    if step == "propose":
        form.fields["plan"].required = False
    if not form.is_valid():
        form_refused(request, form)
        return redirect("appeals:topics")
    data = form.cleaned_data
    if step == "adopt":
        topic = services.candidate_adopt(
            actor=user, candidate=candidate, plan=data["plan"], title=data["title"], month=data["month"]
        )
        messages.success(request, _("Adopted as a monthly topic."))
    else:
        topic = services.topic_propose(
            actor=user, candidate=candidate, title=data["title"], month=data["month"]
        )
        messages.success(request, _("Proposed as a monthly topic; the street decides."))
    return redirect("appeals:topic_detail", pk=topic.pk)


@tree_page
def topic_detail(request: HttpRequest, pk: int) -> HttpResponse:
    topic = topics_mod.topic_get_for(request_account(request), pk)
    return render(request, "appeals/topic_detail.html", _topic_context(request, topic))


def _topic_context(request: HttpRequest, topic: Any, **forms_: forms.Form) -> dict[str, Any]:
    appeals = paged(request, topics_mod.topic_appeals_for(request_account(request), topic), PAGE_SIZE)
    return {
        "topic": topic,
        "appeals": appeals,
        "address_notes": address_notes(request, ["page"], appeals),
        "may_act": topics_mod.may_adopt(request_account(request), topic.org_path),
        "adopt_form": forms_.get("adopt") or f.TopicAdoptForm(initial={"plan": topic.plan}),
        "complete_form": forms_.get("complete") or f.TopicCompleteForm(),
    }


# The steps of a topic taken with a form: step → (the form, the service, the one field of the form it takes).
TOPIC_FORMS: dict[str, tuple[type[forms.Form], Callable[..., object], str]] = {
    "adopt": (f.TopicAdoptForm, services.topic_adopt, "plan"),
    "complete": (f.TopicCompleteForm, services.topic_complete, "note"),
}


@staff_page
@posted_form("appeals:topic_detail", kwargs=("pk",))
@redirect_on_error("appeals:topic_detail", "pk")
def topic_act(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    if step not in ("adopt", "start", "complete"):
        raise Http404
    user = request_account(request)
    topic = topics_mod.topic_get_for(user, pk)

    def updated(_topic: object = None) -> HttpResponse:
        messages.success(request, _("Monthly topic updated."))
        return redirect("appeals:topic_detail", pk=pk)

    if step == "start":
        services.topic_start(actor=user, topic=topic)
        return updated()
    form_class, service, field = TOPIC_FORMS[step]
    form = form_class(request.POST)
    return form_submit(
        request, form, lambda **data: service(actor=user, topic=topic, **{field: data[field]}), updated
    ) or render(
        request, "appeals/topic_detail.html", _topic_context(request, topic, **{step: form}), status=422
    )
