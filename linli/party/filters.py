"""One filter for the branch-stars list: the street's page (`/party/stars/`) and the API's list
(`GET /api/party/stars`) read `state` the same way (as appeals' filters serve its workbench and its API).

    filters = StarFilters(request.GET)
    ratings = filters.apply(selectors.star_ratings_visible_to(user))    # filters.errors says what was not understood

`state`: where the rating of the year stands, as the street follows it: `waiting` (computed or returned: the
branch has to assess itself, the street may remind it), `submitted` (the self-assessment waits for the street's
review), `approved`; empty: all.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms
from django.db.models import Count, QuerySet
from django.utils.translation import gettext_lazy as _

from .choices import StarState
from .models import BranchStarRating

# value → (label, the rating states it takes in)
STAR_STATE_FILTERS: dict[str, tuple[Any, tuple[str, ...]]] = {
    "waiting": (_("Awaiting the branch's self-assessment"), (StarState.COMPUTED, StarState.RETURNED)),
    "submitted": (_("Awaiting the street's review"), (StarState.SUBMITTED,)),
    "approved": (_("Approved by the street"), (StarState.APPROVED,)),
}


class StarFilterForm(forms.Form):
    state = forms.ChoiceField(
        label=_("State"),
        required=False,
        choices=[("", _("All")), *((v, label) for v, (label, _states) in STAR_STATE_FILTERS.items())],
    )


class StarFilters:
    """The filter of one request: validated by `StarFilterForm`, applied by `apply`."""

    def __init__(self, params: Mapping[str, Any] | None) -> None:
        self.form = StarFilterForm({"state": (params or {}).get("state") or ""})

    def is_valid(self) -> bool:
        return self.form.is_valid()

    @property
    def errors(self) -> dict[str, list[str]]:
        return {name: [str(e) for e in errs] for name, errs in self.form.errors.items()}

    @property
    def state(self) -> str:
        """The filter in force: "" (all) when none was asked for or it was not understood."""
        return self.form.cleaned_data["state"] if self.form.is_valid() else ""

    def states(self) -> tuple[str, ...] | None:
        """The rating states the filter takes in; None for all."""
        return STAR_STATE_FILTERS[self.state][1] if self.state else None

    def apply(self, ratings: QuerySet[BranchStarRating]) -> QuerySet[BranchStarRating]:
        states = self.states()
        return ratings if states is None else ratings.filter(state__in=states)

    @staticmethod
    def counts(ratings: QuerySet[BranchStarRating]) -> list[tuple[str, Any, int]]:
        """(value, label, how many of `ratings`) of each filter, in one query."""
        by_state = dict(ratings.order_by().values("state").annotate(n=Count("id")).values_list("state", "n"))
        return [
            (value, label, sum(by_state.get(s, 0) for s in states))
            for value, (label, states) in STAR_STATE_FILTERS.items()
        ]
