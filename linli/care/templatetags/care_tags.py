"""Badge colours and labels of care's vocabularies, named in one table (the colours declared with their choices,
core.choices.ColouredChoices), and the resident menu's entry to a volunteer's or party member's care visits."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import template
from django.db.models import TextChoices
from django.urls import reverse
from django.utils import timezone

from linli.core.choices import ColouredChoices
from linli.territory.choices import CareLevel

from ..choices import CaseKind, CaseOutcome, CaseState, ContactState, LegalAidState, ServiceState
from ..menu import gives_care
from ..rules import age_on

register = template.Library()


# The vocabularies care's pages show by name: `{{ c.state|colour:"contact" }}`, `{{ kind|label:"case_kind" }}`.
VOCABULARIES: dict[str, type[TextChoices]] = {
    "level": CareLevel,
    "contact": ContactState,
    "case": CaseState,
    "case_kind": CaseKind,
    "case_outcome": CaseOutcome,
    "service": ServiceState,
    "legal": LegalAidState,
}


@register.filter
def colour(value: str, vocabulary: str) -> str:
    """The badge colour of `value` in the named vocabulary (declared with its choices, core.choices), "" for a
    value that is not (or no longer) one of them."""
    choices = VOCABULARIES[vocabulary]
    return choices.colour_of(value) if issubclass(choices, ColouredChoices) else ""


@register.filter
def label(value: str, vocabulary: str) -> str:
    """The label of `value` in the named vocabulary, or the value itself when it is not (or no longer) one."""
    choices = VOCABULARIES[vocabulary]
    return str(choices(value).label) if value in choices.values else value


@register.filter
def age(birth: dt.date) -> int:
    """A person's age today, in whole years."""
    return age_on(birth, timezone.localdate())


@register.inclusion_tag("care/partials/nav_item.html", takes_context=True)
def care_nav_item(context: Any) -> dict[str, Any]:
    """The resident menu's "care visits" entry, for a resident with visits, calls or services of care to do
    (a volunteer or party member assigned them); nothing for anyone else (staff have the "care" item)."""
    request = context.get("request")
    if request is None or not gives_care(request):
        return {"show": False}
    url = reverse("care:today")
    return {"show": True, "url": url, "active": request.path.startswith(url)}
