"""The appeal API's request and response shapes (the endpoints are in api.py)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import Field, Schema

from linli.territory.schemas import (
    ErrorOut,  # one error shape for the whole API (and one name in its document)
)

from .permissions import CALLBACK_ATTEMPTS_BEFORE_UNRATED_CLOSE
from .validation import DESCRIPTION_MAX, DESCRIPTION_MIN, TITLE_MAX

ERRORS: dict[int, Any] = {
    400: ErrorOut,
    401: ErrorOut,
    403: ErrorOut,
    404: ErrorOut,
    409: ErrorOut,
    422: ErrorOut,
}


# The limits the service holds every channel to (validation.py): a longer text is refused (422, the field and its
# limit named in the message), never cut; the schema leaves the check to the service so the message is that one.
DESCRIPTION_DOC = f"{DESCRIPTION_MIN} to {DESCRIPTION_MAX} characters."
TITLE_DOC = f"At most {TITLE_MAX} characters; empty: the start of the description."


class SubmitIn(Schema):
    kind: str
    description: str = Field(..., description=DESCRIPTION_DOC)
    title: str = Field("", description=TITLE_DOC)
    category_code: str = ""
    contact_name: str = ""
    contact_phone: str = ""
    lng: float | None = None
    lat: float | None = None
    address: str = Field("", description="At most 200 characters.")
    grid_code: str = ""
    priority: str = "normal"
    channel: str = "api"


class FromVisitIn(Schema):
    """An appeal raised from a visit: its text; the place, grid and photos are the visit's."""

    kind: str
    description: str = Field(..., description=DESCRIPTION_DOC)
    title: str = Field("", description=TITLE_DOC)
    category_code: str = ""


class EventOut(Schema):
    at: dt.datetime
    action: str
    from_state: str
    to_state: str
    actor_name: str
    reason: str
    channel: str
    tier: str
    unit_name: str
    data: dict[str, Any]


class TimeLeftOut(Schema):
    """A running deadline's time left (sla.time_left, as the pages say it beside the date): the working_* figures
    counted on the working-day calendar, nine working hours a day; negative when past. A clock that runs in calendar
    hours (`calendar`: an emergency's, the utilities') is labelled in calendar time. None where the clock does not
    run (no deadline, the appeal resolved, closed or waiting on the resident, the part's step done)."""

    due_at: dt.datetime
    working_seconds: int
    working_hours: float
    working_days: float  # whole and half days, rounded towards zero, as the label
    seconds: int  # calendar seconds, negative when past
    calendar: bool  # the clock runs in calendar hours: the label counts calendar time
    overdue: bool
    label: str  # "还剩 4.5 个工作日", "已超期 1 个工作日", "还剩 40 分钟", in the request's language


class PartOut(Schema):
    id: int
    organisation: str
    organisation_id: int
    # PartState: awaiting_report, declined, report_overdue, working, due_soon, overdue, done, withdrawn,
    # appeal_withdrawn, appeal_ended (the appeal closed before the part finished)
    state: str
    report_due_at: dt.datetime
    report_time_left: TimeLeftOut | None = None  # until it reports in
    reported_in_at: dt.datetime | None
    report_breached_at: dt.datetime | None
    due_at: dt.datetime | None
    time_left: TimeLeftOut | None = None  # until it completes
    done_at: dt.datetime | None
    breached_at: dt.datetime | None
    urge_count: int
    on_behalf: bool
    withdrawn_at: dt.datetime | None
    withdraw_reason: str
    note: str
    declined_at: dt.datetime | None  # 不属于本单位职责: when the unit said so, and why
    decline_reason: str
    insisted_at: dt.datetime | None  # when the summoner insisted the unit does its part, and why
    insist_note: str


class AppealOut(Schema):
    id: int
    tracking_number: str
    kind: str
    kind_label: str
    category_code: str | None
    category_name: str | None
    title: str
    channel: str
    state: str
    state_label: str
    priority: str
    tier: str
    unit_name: str
    grid_code: str | None
    contact_name: str
    contact_phone: str
    address: str
    created_at: dt.datetime
    ack_due_at: dt.datetime | None
    resolve_due_at: dt.datetime | None
    total_due_at: dt.datetime | None
    resolve_time_left: TimeLeftOut | None = None
    total_time_left: TimeLeftOut | None = None
    overdue: bool
    outcome: str


class CallbackOut(Schema):
    """The callback (回访) of a resolved appeal no one rated in time: its failed calls so far, and how many the
    rule asks for before it may close without a rating."""

    status: str
    created_at: dt.datetime
    due_at: dt.datetime | None  # the community calls back by then (LINLI_CALLBACK_WORKING_DAYS working days)
    time_left: TimeLeftOut | None = None  # while it is open
    late: bool = False  # open past due_at (回访超期)
    attempts: int
    last_attempt_at: dt.datetime | None
    attempts_needed: int = CALLBACK_ATTEMPTS_BEFORE_UNRATED_CLOSE
    done_at: dt.datetime | None


class RatingOut(Schema):
    """One rating of the appeal (a round each: after 不满意 and the rework, the resident rates again)."""

    round: int
    value: str  # Rating: satisfied, basically, unsatisfied
    comment: str
    channel: str
    at: dt.datetime


class AppealDetailOut(AppealOut):
    description: str
    contact_due_at: dt.datetime | None  # the unit holding it calls the resident by then
    first_contact_at: dt.datetime | None  # when the unit holding it did (cleared with every fresh clock)
    lng: float | None
    lat: float | None
    resolution_note: str
    primary_tracking_number: str | None
    split_from_tracking_number: str | None
    split_into: list[str]
    rework_count: int
    return_count: int
    escalation_count: int
    disclosure_withheld: bool  # 不予公开: kept off the public pages by the staff handling it
    photos: list[str]
    parts: list[PartOut]
    trace: list[EventOut]
    ratings: list[RatingOut]
    actions: list[str]
    callback: CallbackOut | None = None


class AppealPage(Schema):
    count: int
    items: list[AppealOut]


class NoteIn(Schema):
    note: str = ""


class ReasonIn(Schema):
    reason: str = ""


class ResolveIn(Schema):
    note: str
    outcome: str = "fixed"


class DispatchIn(Schema):
    tier: str = ""
    unit_node_id: int | None = None
    unit_org_id: int | None = None
    category_code: str = ""
    grid_code: str = ""
    reason: str = ""


class ExtensionIn(Schema):
    days: int
    reason: str


class DecisionIn(Schema):
    note: str = ""


class WhistleIn(Schema):
    organisation_ids: list[int]
    reason: str
    report_hours: float | None = None  # working hours to report in (default and limit: the deadline rule)
    finish_by: dt.datetime | None = None  # at most the appeal's own resolution deadline (default)


class WhistleRequestOut(Schema):
    id: int
    appeal_id: int
    tracking_number: str
    community: str
    raised_by: str
    raised_at: dt.datetime
    reason: str
    status: str


class WhistleRequestPage(Schema):
    count: int
    items: list[WhistleRequestOut]


class CallbackAttemptIn(Schema):
    result: str = "no_answer"
    note: str = ""


class RateIn(Schema):
    value: str
    comment: str = ""
    phone: str = ""


class MergeIn(Schema):
    primary_id: int
    reason: str = ""


class SplitPartIn(Schema):
    category_code: str
    description: str
    title: str = ""


class SplitIn(Schema):
    parts: list[SplitPartIn]
    reason: str = ""


class AnswerIn(Schema):
    answer: str


class WithdrawIn(Schema):
    reason: str = ""
    phone: str = ""


class ReopenIn(Schema):
    reason: str
    phone: str = ""


class AddInfoIn(Schema):
    text: str = ""
    phone: str = ""
