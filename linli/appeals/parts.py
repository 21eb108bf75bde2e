"""吹哨报到 parts as people read them: where a part stands against its own clocks, and what the person looking at
the appeal may do with each part (the services decide; this only reads the same permission table)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from linli.accounts.models import User
from linli.core.roles import UNIT_ROLES

from . import sla
from .choices import PART_ENDED_STATES, ClockUnit, Outcome, PartState
from .models import Appeal, AppealPart
from .permissions import Actor, actions_for, may_act_on_part, may_whistle
from .workflow import allowed_actions


def part_state(part: AppealPart, now: dt.datetime, *, paused_at: dt.datetime | None = None) -> PartState:
    """The part's state from its steps, its clocks (a clock that has run out counts before the worker marks it)
    and its appeal (`part.appeal`): a part its appeal outlived no longer waits. While the appeal's clocks stand
    (`paused_at`, as `sla.stopped_at` gives it: waiting on the resident) the part's stand where that moment found
    them; once the appeal is no longer open (withdrawn by its resident, merged, split, answered) an unfinished
    part ended with it (随诉求撤回, 随诉求终止)."""
    if paused_at is not None:
        now = min(now, paused_at)
    if part.withdrawn_at is not None:
        return PartState.WITHDRAWN
    if part.done_at is not None:
        return PartState.DONE
    if not part.appeal.is_open:
        withdrawn = part.appeal.outcome == Outcome.WITHDRAWN
        return PartState.APPEAL_WITHDRAWN if withdrawn else PartState.APPEAL_ENDED
    if part.reported_in_at is None:
        if declined_pending(part):
            return PartState.DECLINED
        late = part.report_breached_at is not None or part.report_due_at <= now
        return PartState.REPORT_OVERDUE if late else PartState.AWAITING_REPORT
    if part.breached_at is not None or (part.due_at is not None and part.due_at <= now):
        return PartState.OVERDUE
    if part.warned_at is not None or (part.warn_at is not None and part.warn_at <= now):
        return PartState.DUE_SOON
    return PartState.WORKING


def declined_pending(part: AppealPart) -> bool:
    """The unit said the matter is not its duty (不属于本单位职责) and the summoner has not decided yet: its clocks
    mark nothing against it meanwhile (services/whistle_decline.py). Reporting in instead settles it too."""
    return (
        part.declined_at is not None
        and part.insisted_at is None
        and part.reported_in_at is None
        and part.withdrawn_at is None
    )


@dataclass
class PartRow:
    part: AppealPart
    state: PartState
    has_accounts: bool
    mine: bool  # the looker's own unit's part: it reports in and completes it
    for_unit: bool  # the looker records this account-less unit's steps on its behalf
    organiser: bool  # the looker may urge, withdraw or send back (the organising unit)
    declines: bool = (
        False  # the looker's own unit may still say the matter is not its duty (before reporting in)
    )
    insists: bool = False  # the unit said so and the looker, the summoner's side, decides: insist or withdraw
    insist_form: Any = None  # the page's form to insist with (views.detail sets it)

    @property
    def label(self) -> Any:
        return self.state.label

    @property
    def live(self) -> bool:
        """The unit still owes this part (not done, not withdrawn, its appeal still open)."""
        return self.state not in PART_ENDED_STATES


def part_rows(user: Actor, appeal: Appeal, parts: list[AppealPart], now: dt.datetime) -> list[PartRow]:
    """One row per part of `appeal` for the staff page (one query for which units have accounts)."""
    org_ids = {p.organisation_id for p in parts}
    with_accounts = (
        set(
            User.objects.filter(
                organisation_id__in=org_ids, role__in=list(UNIT_ROLES), is_active=True
            ).values_list("organisation_id", flat=True)
        )
        if org_ids
        else set()
    )
    offered = actions_for(user, appeal)
    organiser = "part_withdraw" in offered
    # Reporting in and completing are open while the appeal is worked on (the transition table).
    open_steps = "part_report_in" in allowed_actions(appeal.state)
    summoner = open_steps and may_whistle(user, appeal)
    rows = []
    for part in parts:
        state = part_state(part, now, paused_at=sla.stopped_at(appeal))
        live = state not in PART_ENDED_STATES
        has_accounts = part.organisation_id in with_accounts
        mine = live and open_steps and may_act_on_part(user, part)
        rows.append(
            PartRow(
                part=part,
                state=state,
                has_accounts=has_accounts,
                mine=mine,
                for_unit=live and not mine and not has_accounts and summoner,
                organiser=organiser,
                declines=mine and part.reported_in_at is None and part.declined_at is None,
                insists=state == PartState.DECLINED and "part_insist" in offered,
            )
        )
    return rows


def part_time_left(part: AppealPart, now: dt.datetime) -> tuple[sla.TimeLeft | None, sla.TimeLeft | None]:
    """The working time left on a part's two clocks, report-in and completion (None for a clock that does not run),
    the one reading the page, the queue and the API give. Both stop with the appeal's clocks (`sla.stopped_at`: a
    pause, its resolution or closing) and when the part is done or withdrawn; the report-in clock once the unit
    reports in, and while it says the matter is not its duty and the summoner decides (the jobs mark nothing then)."""
    runs = sla.stopped_at(part.appeal) is None and part.done_at is None and part.withdrawn_at is None
    reports = runs and part.reported_in_at is None and not declined_pending(part)
    return (
        sla.time_left(part.report_due_at, now) if reports else None,
        sla.time_left(part.due_at, now) if runs else None,
    )


def part_met_late(part: AppealPart, clock: str) -> str:
    """ "逾期 3 个工作小时报到": how late the part reported in ("report", a clock in working hours) or was completed
    ("finish", in working days) after its deadline, or "" when on time or not yet."""
    if clock == "report":
        late = sla.lateness(part.report_due_at, part.reported_in_at, ClockUnit.WORKING_HOURS)
    else:
        late = sla.lateness(part.due_at, part.done_at, ClockUnit.WORKING_DAYS)
    return str(sla.MET_LATE[clock] % {"late": late}) if late else ""


def part_out(part: AppealPart, now: dt.datetime) -> dict[str, Any]:
    """A part as the API gives it (PartOut); its appeal (`part.appeal`) says whether its clocks run."""
    report_left, left = part_time_left(part, now)
    return {
        "id": part.pk,
        "organisation": part.organisation.name,
        "organisation_id": part.organisation_id,
        "state": part_state(part, now, paused_at=sla.stopped_at(part.appeal)).value,
        "report_due_at": part.report_due_at,
        "report_time_left": sla.time_left_dict(report_left),
        "reported_in_at": part.reported_in_at,
        "report_breached_at": part.report_breached_at,
        "due_at": part.due_at,
        "time_left": sla.time_left_dict(left),
        "done_at": part.done_at,
        "breached_at": part.breached_at,
        "urge_count": part.urge_count,
        "on_behalf": part.on_behalf,
        "withdrawn_at": part.withdrawn_at,
        "withdraw_reason": part.withdraw_reason,
        "note": part.note,
        "declined_at": part.declined_at,
        "decline_reason": part.decline_reason,
        "insisted_at": part.insisted_at,
        "insist_note": part.insist_note,
    }
