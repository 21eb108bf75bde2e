"""Honours computed by rule for a year and published after a worker's review: 星级志愿者 (one to five stars by
confirmed service hours in all) and 最美骑手 (the riders whose hazard reports most often became appeals)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from linli.core.audit import audit
from linli.core.errors import InvalidTransition
from linli.core.scoping import person
from linli.core.validators import clean_text
from linli.territory.models import OrgNode

from .. import permissions
from ..choices import (
    BEST_RIDER_MIN_REPORTS,
    BEST_RIDER_PER_COMMUNITY,
    STAR_VOLUNTEER_HOURS,
    HonourKind,
    HonourState,
    PointsKind,
    SignupState,
    VolunteerKind,
)
from ..models import Honour, Volunteer
from ._common import Actor, notify


def star_level(hours: float) -> int:
    """Stars for confirmed hours in all: 100 → one, 300 → two, 600 → three, 1000 → four, 1500 → five."""
    return sum(1 for step in STAR_VOLUNTEER_HOURS if hours >= step)


@transaction.atomic
def honours_compute(*, actor: Actor, community: OrgNode, year: int) -> list[Honour]:
    """Propose the honours the rules give for `year` (hours and reports up to its end); one already proposed,
    published or refused is not proposed again."""
    permissions.require(actor, "honour_review", community.path)
    end = dt.date(year, 12, 31)
    made: list[Honour] = []
    people = Volunteer.objects.filter(community=community, active=True).annotate(
        total=Sum(
            "signups__hours",
            filter=Q(signups__state=SignupState.DONE, signups__role__shift__starts_at__date__lte=end),
        )
    )
    for volunteer in people:
        level = star_level(float(volunteer.total or 0))
        if level:
            honour, created = Honour.objects.get_or_create(
                volunteer=volunteer,
                kind=HonourKind.STAR_VOLUNTEER,
                year=year,
                level=level,
                defaults={
                    "evidence": _("%(h)s hours of service confirmed")
                    % {"h": format(volunteer.total.normalize(), "f")}
                },
            )
            if created:
                made.append(honour)
    riders = (
        Volunteer.objects.filter(community=community, active=True, kind=VolunteerKind.RIDER)
        .annotate(
            n=Count("points", filter=Q(points__kind=PointsKind.HAZARD, points__on__year=year)),
        )
        .filter(n__gte=BEST_RIDER_MIN_REPORTS)
        .order_by("-n", "id")[:BEST_RIDER_PER_COMMUNITY]
    )
    for rider in riders:
        honour, created = Honour.objects.get_or_create(
            volunteer=rider,
            kind=HonourKind.BEST_RIDER,
            year=year,
            level=0,
            defaults={"evidence": _("%(n)d hazard reports became appeals in the year") % {"n": rider.n}},
        )
        if created:
            made.append(honour)
    audit(actor, "volunteers.honours_compute", community, year=year, proposed=len(made))
    return made


@transaction.atomic
def honour_review(*, actor: Actor, honour: Honour, publish: bool, note: str = "") -> Honour:
    """Publish the honour (it shows on the public pages and the volunteer is told) or refuse it, with a note."""
    permissions.require(actor, "honour_review", honour.volunteer.community.path)
    note = clean_text("note", note, most=200)
    state = HonourState.PUBLISHED if publish else HonourState.REJECTED
    done = Honour.objects.filter(pk=honour.pk, state=HonourState.PROPOSED).update(
        state=state, reviewed_by=person(actor), reviewed_at=timezone.now(), review_note=note
    )
    if not done:
        raise InvalidTransition(_("This honour has been reviewed already."))
    honour.refresh_from_db()
    if publish:
        notify(honour.volunteer, _("Honour published: %(honour)s") % {"honour": honour_title(honour)})
    audit(actor, "volunteers.honour_review", honour, state=state, note=note)
    return honour


def honour_title(honour: Honour) -> str:
    if honour.kind == HonourKind.STAR_VOLUNTEER:
        return _("%(n)d-star volunteer %(year)d") % {"n": honour.level, "year": honour.year}
    return f"{honour.get_kind_display()} {honour.year}"
