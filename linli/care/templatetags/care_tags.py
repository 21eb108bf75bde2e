"""Badge colours of care levels, contact states and case states (from their ColouredChoices), and the resident
menu's entry to a volunteer's or party member's care visits."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import template
from django.db.models import TextChoices
from django.urls import reverse
from django.utils import timezone

from linli.territory.choices import CareLevel

from ..choices import (
    CaseKind,
    CaseOutcome,
    CaseState,
    ContactState,
    EnrolmentState,
    LegalAidState,
    ServiceState,
)
from ..menu import gives_care
from ..rules import age_on

register = template.Library()


@register.filter
def level_colour(value: str) -> str:
    return CareLevel.colour_of(value)


@register.filter
def contact_colour(value: str) -> str:
    return ContactState.colour_of(value)


@register.filter
def case_colour(value: str) -> str:
    return CaseState.colour_of(value)


@register.filter
def age(birth: dt.date) -> int:
    """A person's age today, in whole years."""
    return age_on(birth, timezone.localdate())


@register.filter
def get_item(mapping: dict[str, object], key: str) -> object:
    return mapping.get(key)


@register.filter
def service_colour(value: str) -> str:
    return ServiceState.colour_of(value)


@register.filter
def enrolment_colour(value: str) -> str:
    return EnrolmentState.colour_of(value)


@register.filter
def legal_colour(value: str) -> str:
    return LegalAidState.colour_of(value)


def _label(choices: type[TextChoices], value: str) -> str:
    """The label of `value`, or the value itself when it is not (or no longer) one of the choices."""
    return str(choices(value).label) if value in choices.values else value


@register.filter
def case_kind_label(value: str) -> str:
    return _label(CaseKind, value)


@register.filter
def case_outcome_label(value: str) -> str:
    return _label(CaseOutcome, value)


@register.inclusion_tag("care/partials/nav_item.html", takes_context=True)
def care_nav_item(context: Any) -> dict[str, Any]:
    """The resident menu's "care visits" entry, for a resident with visits, calls or services of care to do
    (a volunteer or party member assigned them); nothing for anyone else (staff have the "care" item)."""
    request = context.get("request")
    if request is None or not gives_care(request):
        return {"show": False}
    url = reverse("care:today")
    return {"show": True, "url": url, "active": request.path.startswith(url)}
