"""Badge colours of care levels, contact states and case states (from their ColouredChoices)."""

from __future__ import annotations

from django import template

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


@register.filter
def case_kind_label(value: str) -> str:
    return str(CaseKind(value).label) if value in CaseKind.values else value


@register.filter
def case_outcome_label(value: str) -> str:
    return str(CaseOutcome(value).label) if value in CaseOutcome.values else value
