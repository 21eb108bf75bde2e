"""Template filters of co-governance."""

from __future__ import annotations

from django import template

from ..models import Decision, Result
from ..selectors import is_overdue

register = template.Library()


@register.filter
def overdue(row: Decision | Result) -> bool:
    """`{% if d|overdue %}`: the decision's or result's deadline passed with its work still open (已逾期)."""
    return is_overdue(row)
