"""Results delivered (落实成效): a registry party owns, filled by the apps that record decisions and their
delivery (the joint meetings of deliberation, for one). Party stands below them and cannot read their tables; a
higher app registers a reader from its `contributions.register()`, as volunteers registers the appeals
indicator (deliberation's reader, and who it names as having delivered a decision, is described in
`deliberation/contributions.py`). Party reads the registry twice: the branch star indicator "results delivered" (the share of the
results due in the branch's area in the year that were delivered by their due date), and the job that credits
the members who delivered a result with member points (`decision`, once per result).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import indicators
from .choices import MemberPointsKind
from .models import PartyMember, PartyOrg
from .services.points import member_points_credit


@dataclass(frozen=True)
class Result:
    """A decision's result as the app that records it reports it."""

    source: str  # unique across apps, e.g. "deliberation.result:12"; names the member points credited for it
    title: str
    org_path: str  # where it was decided (org path)
    due_on: dt.date
    done_on: dt.date | None
    members: tuple[int, ...] = field(default=())  # party members (ids) who delivered it

    @property
    def on_time(self) -> bool:
        return self.done_on is not None and self.done_on <= self.due_on


# A reader answers the results due in a period (first and last day) in an area (an org path prefix).
Reader = Callable[[str, dt.date, dt.date], list[Result]]
_readers: dict[str, Reader] = {}


def register(code: str, reader: Reader) -> None:
    _readers[code] = reader


def unregister(code: str) -> None:
    _readers.pop(code, None)


def results_due(path: str, start: dt.date, end: dt.date) -> list[Result]:
    return [r for reader in _readers.values() for r in reader(path, start, end)]


def results_delivered(branch: PartyOrg, year: int) -> indicators.Reading:
    """The star indicator: results due in the branch's area in the year, the share delivered on time."""
    if not _readers:
        return indicators.Reading(1.0, [_("No app reports decisions and their results yet.")])
    due = results_due(branch.org_node.path, *indicators.year_bounds(year))
    if not due:
        return indicators.Reading(
            1.0, [_("No result of a decision was due in the branch's area in the year.")]
        )
    on_time = sum(1 for r in due if r.on_time)
    late = sum(1 for r in due if r.done_on is not None and not r.on_time)
    evidence = [
        _("%(n)d of %(total)d results delivered by their due date") % {"n": on_time, "total": len(due)},
        _("%(n)d delivered late, %(open)d not delivered") % {"n": late, "open": len(due) - on_time - late},
    ]
    return indicators.Reading(on_time / len(due), evidence)


indicators.register("results", gettext_lazy("Results of decisions delivered"), 20, results_delivered)

# The job looks at results due from this long ago to a year ahead (delivered early counts too).
LOOKBACK = dt.timedelta(days=90)


def result_points() -> int:
    """Credit each member who delivered a result (once per result and member)."""
    today = timezone.localdate()
    done = 0
    results = [r for r in results_due("", today - LOOKBACK, today + dt.timedelta(days=365)) if r.done_on]
    ids = {m for r in results for m in r.members}
    members = PartyMember.objects.in_bulk(ids)
    for result in results:
        for member_id in result.members:
            member = members.get(member_id)
            if member is None:
                continue
            entry = member_points_credit(
                actor=None,
                member=member,
                kind=MemberPointsKind.DECISION,
                units=1,
                on=result.done_on or today,
                reason=result.title,
                source=result.source,
            )
            done += entry is not None
    return done
