"""Money as people read it: yuan with a thousands separator and two decimals (12,345.60), in every page, printout
and export meant for people; the API's JSON keeps plain numbers. Django's zh-hans number format has no thousands
separator (THOUSAND_SEPARATOR = ""), so `floatformat:"2g"` would not add one: this is the one place that does.

In a template: `{% load money %}` then `¥{{ fund.balance|money }}`, or `{{ x|money:0 }}` for whole yuan."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django import template

register = template.Library()


def money(value: Any, places: int = 2) -> str:
    """`value` (a Decimal, int, float or numeric text) as "12,345.60"; blank for None or what is not a number."""
    if value is None or value == "":
        return ""
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return str(value)
    places = max(0, int(places))
    quantum = Decimal(1).scaleb(-places)
    return f"{number.quantize(quantum, rounding=ROUND_HALF_UP):,.{places}f}"


@register.filter(name="money")
def money_filter(value: Any, places: int | str = 2) -> str:
    try:
        digits = int(places)
    except (TypeError, ValueError):
        digits = 2
    return money(value, digits)
