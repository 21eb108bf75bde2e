"""One filter set for lists of appeals: the workbench page, its export and the API's list read the same query
parameters the same way (as NetBox's filtersets serve its list views and its API).

    filters = AppealFilters(request.GET, user=request.user, open_default=True)
    qs = filters.apply(selectors.appeals_visible_to(user))      # filters.errors says what was not understood

Parameters: state (one state, several joined by commas, or "all"; empty: open appeals when `open_default`),
open (true/false), kind, category (a category or a whole first-level group), grid (a grid code the user may
see), outcome, tier (the tier it was closed at), received_from / received_to (dates, both days included),
overdue (open and past the resolve deadline), q (tracking number, title or address contains it).

A value that is not understood (a grid the user may not see, a category that does not exist, a state misspelt) is
said by `notes` in the reader's language, each after its field's label: a page shows its list with the other
filters applied and the note (the workbench), the API refuses the request (422 naming the parameter).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any

from django import forms
from django.contrib.auth.models import AnonymousUser
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from linli.accounts.models import User
from linli.core.widgets import DateInput
from linli.territory.selectors import grids_visible_to

from . import selectors
from .choices import OPEN_STATE_VALUES, AppealKind, AppealState, Outcome, Tier
from .figures import day_bounds
from .forms import category_choices, set_choices
from .models import Appeal, Category

# The grid dropdown lists this many grids; a grid beyond them is still accepted when typed in the address.
GRID_CHOICES_MAX = 500
TRUE = {"1", "true", "on", "yes"}
FALSE = {"0", "false", "off", "no"}


class CodeChoiceField(forms.ChoiceField):
    """A dropdown of the usual choices that also accepts a value `accepts` recognises (a grid beyond the first
    500, a first-level category, several states joined by commas)."""

    accepts: Callable[[str], bool] | None = None

    def valid_value(self, value: Any) -> bool:
        if super().valid_value(value):
            return True
        return bool(value) and self.accepts is not None and self.accepts(str(value))


def _states(value: str) -> bool:
    if value == "all":  # any state: a list that shows every state already (the all tab) takes it too
        return True
    parts = [p.strip() for p in value.split(",")]
    return all(p in AppealState.values for p in parts)


class AppealFilterForm(forms.Form):
    state = CodeChoiceField(label=_("State"), required=False)
    kind = forms.ChoiceField(label=_("Kind"), required=False)
    category = CodeChoiceField(label=_("Category"), required=False)
    grid = CodeChoiceField(label=_("Grid"), required=False)
    outcome = forms.ChoiceField(label=_("Outcome"), required=False)
    tier = forms.ChoiceField(label=_("Closed at tier"), required=False)
    received_from = forms.DateField(label=_("Received from"), required=False, widget=DateInput())
    received_to = forms.DateField(label=_("Received until"), required=False, widget=DateInput())
    q = forms.CharField(label=_("Search"), required=False, max_length=50)
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)
    open = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(
        self,
        *args: Any,
        user: User | AnonymousUser,
        open_default: bool = True,
        dropdowns: bool = True,
        **kwargs: Any,
    ) -> None:
        """`dropdowns`: list the categories and grids to choose from (a page); without them (the API) a given
        category or grid is still checked, with one query."""
        super().__init__(*args, **kwargs)
        first = [("", _("Open (all)")), ("all", _("Any state"))] if open_default else [("", _("Any state"))]
        set_choices(self, "state", [*first, *AppealState.choices])
        set_choices(self, "kind", [("", _("Any kind")), *AppealKind.choices])
        categories = category_choices()[1:] if dropdowns else []
        set_choices(self, "category", [("", _("Any category")), *categories])
        grids = grids_visible_to(user).order_by("code")
        listed = [(g.code, g.name) for g in grids[:GRID_CHOICES_MAX]] if dropdowns else []
        set_choices(self, "grid", [("", _("Any grid")), *listed])
        set_choices(self, "outcome", [("", _("Any outcome")), *[(v, t) for v, t in Outcome.choices if v]])
        set_choices(self, "tier", [("", _("Any tier")), *Tier.choices])
        for name in ("state", "kind", "outcome", "tier"):
            self.fields[name].error_messages["invalid_choice"] = _("“%(value)s” is not one of its choices.")
        self.fields["category"].error_messages["invalid_choice"] = _("There is no category %(value)s.")
        self.fields["grid"].error_messages["invalid_choice"] = _("No grid %(value)s that you may see.")
        self.fields["state"].accepts = _states  # type: ignore[attr-defined]
        self.fields["category"].accepts = lambda code: Category.objects.filter(code=code).exists()  # type: ignore[attr-defined]
        self.fields["grid"].accepts = lambda code: grids.filter(code=code).exists()  # type: ignore[attr-defined]
        if dropdowns and not listed and not self.data.get("grid"):
            # A department's or a company's handler is placed over no grid: an empty drop-down filters nothing (a
            # grid named in the address stays, to be said not to be theirs).
            del self.fields["grid"]

    def clean_open(self) -> bool | None:
        value = (self.cleaned_data.get("open") or "").strip().lower()
        if value in TRUE:
            return True
        if value in FALSE:
            return False
        if value:
            raise forms.ValidationError(_("Use true or false."))
        return None

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        lo, hi = cleaned.get("received_from"), cleaned.get("received_to")
        if lo and hi and hi < lo:
            self.add_error("received_to", _("The end date is before the start date."))
        return cleaned


class AppealFilters:
    """The filters of one request: validated by `AppealFilterForm`, applied by `apply`."""

    def __init__(
        self,
        params: Mapping[str, Any] | None,
        *,
        user: User | AnonymousUser,
        open_default: bool,
        dropdowns: bool = True,
    ) -> None:
        self.open_default = open_default
        self.form = AppealFilterForm(
            params or None, user=user, open_default=open_default, dropdowns=dropdowns
        )

    def is_valid(self) -> bool:
        return not self.form.is_bound or self.form.is_valid()

    @property
    def errors(self) -> dict[str, list[str]]:
        return {name: [str(e) for e in errs] for name, errs in self.form.errors.items()}

    @property
    def notes(self) -> list[str]:
        """What was not understood, one line a field after its label (分类：没有分类 abc。), for a page's note."""
        fields = self.form.fields
        return [
            f"{(fields[name].label if name in fields else None) or name}：{' '.join(errs)}"
            for name, errs in self.errors.items()
        ]

    def apply(self, qs: QuerySet[Appeal]) -> QuerySet[Appeal]:
        """`qs` filtered by the parameters understood; one that is not is left out (`notes` says which and why)."""
        if not self.form.is_bound:
            return qs.filter(state__in=OPEN_STATE_VALUES) if self.open_default else qs
        self.form.is_valid()
        data = self.form.cleaned_data
        state = data.get("state") or ""
        if state and state != "all":
            qs = qs.filter(state__in=[s.strip() for s in state.split(",")])
        elif not state and self.open_default and data.get("open") is None:
            qs = qs.filter(state__in=OPEN_STATE_VALUES)
        if data.get("open") is not None:
            qs = (
                qs.filter(state__in=OPEN_STATE_VALUES)
                if data["open"]
                else qs.exclude(state__in=OPEN_STATE_VALUES)
            )
        if data.get("kind"):
            qs = qs.filter(kind=data["kind"])
        if data.get("category"):
            qs = qs.filter(Q(category__code=data["category"]) | Q(category__parent__code=data["category"]))
        if data.get("grid"):
            qs = qs.filter(grid__code=data["grid"])
        if data.get("outcome"):
            qs = qs.filter(outcome=data["outcome"])
        if data.get("tier"):
            qs = qs.filter(resolved_tier=data["tier"])
        if data.get("received_from") or data.get("received_to"):
            lo, hi = day_bounds(
                data.get("received_from") or dt.date(2000, 1, 1),
                data.get("received_to") or dt.date(2999, 12, 31),
            )
            qs = qs.filter(created_at__gte=lo, created_at__lt=hi)
        if data.get("overdue"):
            qs = selectors.overdue(qs.filter(state__in=OPEN_STATE_VALUES))
        q = (data.get("q") or "").strip()
        if q:
            qs = qs.filter(Q(tracking_number__icontains=q) | Q(title__icontains=q) | Q(address__icontains=q))
        return qs
