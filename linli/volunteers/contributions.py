"""What volunteering adds to the lower apps through the registries they own: the branch star indicators that
need the appeals of a branch's area (party stands below appeals and cannot read them)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from linli.appeals.choices import Rating
from linli.appeals.figures import day_bounds, latest_ratings
from linli.appeals.models import Appeal
from linli.party import indicators
from linli.party.models import PartyOrg


def appeals_in_area(branch: PartyOrg, year: int) -> indicators.Reading:
    """Appeals of the branch's area resolved in the year: the share resolved on time, and the share of those
    rated that the resident was satisfied or basically satisfied with (their mean is the value)."""
    start, end = day_bounds(*indicators.year_bounds(year))
    rows = list(
        Appeal.objects.filter(
            org_path__startswith=branch.org_node.path, resolved_at__gte=start, resolved_at__lt=end
        ).values_list("pk", "resolved_on_time")
    )
    if not rows:
        return indicators.Reading(1.0, [_("No appeal of the branch's area was resolved in the year.")])
    on_time = sum(1 for _pk, ok in rows if ok)
    ratings = latest_ratings(pk for pk, _ok in rows)
    satisfied = sum(1 for v in ratings.values() if v in (Rating.SATISFIED, Rating.BASICALLY))
    on_time_share = on_time / len(rows)
    satisfied_share = satisfied / len(ratings) if ratings else 1.0
    evidence = [
        _("%(n)d of %(total)d appeals resolved on time") % {"n": on_time, "total": len(rows)},
        _("%(n)d of %(total)d ratings satisfied or basically satisfied")
        % {"n": satisfied, "total": len(ratings)},
    ]
    return indicators.Reading((on_time_share + satisfied_share) / 2, evidence)


def register() -> None:
    from linli.core import served

    from .served import credit_service_hours

    served.register("volunteers.hours", credit_service_hours)
    indicators.register(
        "appeals", gettext_lazy("Appeals of the area closed on time, and satisfaction"), 30, appeals_in_area
    )
