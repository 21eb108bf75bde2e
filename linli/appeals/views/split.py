"""Several issues in one message: the categories the classifier suggests (on the appeal's page and at the triage
desk), and the form that splits the appeal into one appeal per issue (htmx: errors come back in the form, with
everything typed kept; success goes to the appeal's page). The write is services.appeal_split."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from linli.accounts.auth import request_account
from linli.accounts.models import User
from linli.core.form_kit import TextForm, name_length_limits
from linli.core.pages import form_errors, go_to, redirect_on_error, staff_page

from .. import routing, selectors, services
from ..choices import AppealState
from ..forms import category_choices
from ..models import Appeal, Category
from ..permissions import may
from ..services.split import MAX_SPLIT_PARTS
from ..validation import DESCRIPTION_MAX, TITLE_MAX
from ..workflow import TRANSITIONS
from .common import action_url

log = logging.getLogger(__name__)
FORM_ROWS = 3  # rows offered at first (more when more categories are suggested, up to MAX_SPLIT_PARTS)


@dataclass(frozen=True)
class SuggestedCategory:
    category: Category
    confidence: float
    part: str  # the sentence that names this issue, "" when read from the whole message


def suggested_categories(appeal: Appeal) -> list[SuggestedCategory]:
    """Up to three categories the classifier reads in the appeal's text, most likely first ([] without a model)."""
    try:
        from linli.triage.services import suggest_categories
    except ImportError:
        return []
    try:
        guesses = suggest_categories(title=appeal.title, text=appeal.description)
    except Exception:  # a broken model must not break the page: the handler chooses the categories alone
        log.exception("category suggestions failed for appeal %s", appeal.pk)
        return []
    found = []
    for guess in guesses:
        category = routing.category_by_code(guess.category_code)
        if category is not None:
            found.append(SuggestedCategory(category, guess.confidence, guess.part))
    return found


def with_category_suggestions(appeals: list[Appeal]) -> list[Appeal]:
    """The triage desk's list: each appeal whose message seems to raise several issues gets its categories —
    when a sentence read alone is about another category than the whole message (an unsure model's runners-up
    alone do not make a message multi-issue)."""
    for appeal in appeals:
        found = suggested_categories(appeal)
        several = len(found) > 1 and any(s.part for s in found)
        appeal.suggested_categories = found if several else []  # type: ignore[attr-defined]
    return appeals


def may_split(user: User, appeal: Appeal) -> bool:
    return appeal.state in TRANSITIONS["split"].sources and may(user, "split", appeal)


def _field(n: int, name: str) -> str:
    return f"parts.{n}.{name}"


class SplitForm(TextForm):
    """One row per part: its category, its text and an optional title; rows left without text are ignored."""

    reason = forms.CharField(
        label=gettext_lazy("Why split (shown in the trace)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, rows: int = FORM_ROWS, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.rows = max(2, min(rows, MAX_SPLIT_PARTS))
        choices = [("", _("Choose a category")), *category_choices()[1:]]
        for n in range(1, self.rows + 1):
            self.fields[_field(n, "category_code")] = forms.ChoiceField(
                label=_("Category"), required=False, choices=choices
            )
            self.fields[_field(n, "title")] = forms.CharField(
                label=_("Title (optional)"), required=False, max_length=TITLE_MAX
            )
            self.fields[_field(n, "description")] = forms.CharField(
                label=_("What this part is about"),
                required=False,
                max_length=DESCRIPTION_MAX,
                widget=forms.Textarea(attrs={"rows": 3}),
            )
        name_length_limits(self)

    def part_rows(self) -> list[tuple[int, list[forms.BoundField]]]:
        """The rows as (number, [category, title, description] bound fields), for the template."""
        return [
            (n, [self[_field(n, name)] for name in ("category_code", "title", "description")])
            for n in range(1, self.rows + 1)
        ]

    def parts(self) -> list[services.SplitPart]:
        data = self.cleaned_data
        found = []
        for n in range(1, self.rows + 1):
            description = (data.get(_field(n, "description")) or "").strip()
            if description:
                found.append(
                    services.SplitPart(
                        category_code=data.get(_field(n, "category_code")) or "",
                        description=description,
                        title=data.get(_field(n, "title")) or "",
                    )
                )
        return found


def _initial(appeal: Appeal, suggested: list[SuggestedCategory]) -> dict[str, str]:
    """The form filled from the suggestions: each issue found in one sentence gets that sentence, the first (the
    whole message's category) the sentences left over; a further whole-message category only its category."""
    try:
        from linli.triage.services import message_parts
    except ImportError:
        return {}
    claimed = {s.part for s in suggested[1:] if s.part}
    rest = "".join(p for p in message_parts(appeal.description) if p not in claimed)
    initial: dict[str, str] = {}
    for n, s in enumerate(suggested, start=1):
        initial[_field(n, "category_code")] = s.category.code
        initial[_field(n, "description")] = s.part if n > 1 else (rest or appeal.description)
    if appeal.category is not None and appeal.category.code not in {s.category.code for s in suggested[1:]}:
        # The first part, the rest of the message, keeps the category the appeal has (set by a person or a
        # sensor, or read at intake), not the model's guess of it, unless another part is of that category.
        initial[_field(1, "category_code")] = appeal.category.code
    return initial


def split_context(user: User, appeal: Appeal, form: SplitForm | None = None) -> dict[str, Any]:
    """What the appeal's page needs for the split section ({} when the user may not split it now)."""
    if not may_split(user, appeal):
        return {}
    suggested = suggested_categories(appeal)
    if form is None:
        form = SplitForm(initial=_initial(appeal, suggested), rows=max(FORM_ROWS, len(suggested)))
    # One issue read, of another category than the appeal's (a fire alarm read as vehicles): naming it beside the
    # appeal's own category would read as a contradiction; the card then only says it read one issue.
    other = len(suggested) == 1 and appeal.category_id not in (None, suggested[0].category.pk)
    return {"split_form": form, "split_suggested": suggested, "split_reads_other": other}


@staff_page
@action_url
@redirect_on_error("appeals:detail", "pk")
def appeal_split(request: HttpRequest, pk: int) -> HttpResponse:
    """Split the appeal into the parts of the form; the form comes back with its errors when one is wrong."""
    user = request_account(request)
    appeal = selectors.appeal_get_for(user, pk, write=True)
    try:
        rows = int(request.POST.get("rows", FORM_ROWS))
    except ValueError:
        rows = FORM_ROWS
    form = SplitForm(request.POST, rows=rows)
    if form.is_valid():
        seen = request.POST.get("seen_state", "")
        if seen in AppealState.values:
            appeal.state = seen
        with form_errors(form):
            parts = services.appeal_split(
                actor=user, appeal=appeal, parts=form.parts(), reason=form.cleaned_data["reason"]
            )
            messages.success(
                request,
                _("Split into %(parts)s; each is routed on its own.")
                % {"parts": "、".join(p.tracking_number for p in parts)},
            )
            return go_to(request, reverse("appeals:detail", kwargs={"pk": pk}))
    if not request.headers.get("HX-Request"):  # without JavaScript: the whole page, the form with its errors
        from .detail import _detail_context

        context = {
            **_detail_context(request, selectors.appeal_detail(user, pk)),
            **split_context(user, appeal, form),
        }
        return render(request, "appeals/staff_detail.html", context, status=422)
    context = {"appeal": appeal, **split_context(user, appeal, form)}
    return render(request, "appeals/partials/split.html", context, status=422)
