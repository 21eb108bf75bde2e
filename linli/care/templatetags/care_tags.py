"""A person's age, how many days late a visit is, and the resident menu's entry to a volunteer's or party
member's care visits. (Care's badges are core's: `{% load badges %}`, `{% badge c.state "care.ContactState" %}`.)"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import template
from django.urls import reverse
from django.utils import timezone

from ..menu import gives_care
from ..rules import age_on

register = template.Library()


@register.filter
def age(birth: dt.date) -> int:
    """A person's age today, in whole years."""
    return age_on(birth, timezone.localdate())


@register.filter
def days_before(day: dt.date, later: dt.date) -> int:
    """How many days `day` lies before `later` (a late visit's days late on the visitor's day)."""
    return (later - day).days


@register.inclusion_tag("care/partials/nav_item.html", takes_context=True)
def care_nav_item(context: Any) -> dict[str, Any]:
    """The resident menu's "care visits" entry, for a resident with visits, calls or services of care to do
    (a volunteer or party member assigned them); nothing for anyone else (staff have the "care" item)."""
    request = context.get("request")
    if request is None or not gives_care(request):
        return {"show": False}
    url = reverse("care:today")
    return {"show": True, "url": url, "active": request.path.startswith(url)}
