"""Every write to appeals, in rooms named by what they hold:

- intake: accept an appeal from any channel (idempotency, classification, placing, routing)
- dispatch: dispatch, return, escalation, and the reference data routing reads (taxonomy, dispatch catalogue)
- catalogue: a change of the dispatch catalogue as a reviewed draft (draft, submit, review, activate)
- handling: acknowledge, contact, start, pause, resume, resolve, answer at first contact, notes
- photos: photos at intake and resolution, and added later
- extension: extension requests and decisions, urging
- whistle: summoning departments and their parts (deadlines, chasing, urging, withdrawal, on-behalf records)
- grid_whistle: a grid worker's whistle request to the community (网格吹哨), summoned or declined
- rating: rating, rework, closing, callbacks
- merge: merging into another appeal, withdrawal
- resident: the resident's side after reporting (follow, add information and voice, reopen)
- abuse: limits on guest submissions, counted in the database
- split: splitting a message that raises several issues into one appeal per issue
- disclosure: withholding an appeal from the public pages (不予公开)
- duplicates: suggested duplicates (found by the worker after intake) and the decisions on them
- from_visit: an appeal raised from a visit of the grid worker's log (territory's 民情日志)
- topics: the weekly monthly-topic job and the steps of a topic
- deadlines: the worker's warnings and breaches, and the shipped deadline rules

Each transition is written one way, through transitions.py (the only writer of state and events): lock the row,
check the transition table and who may act (transitions.lock_for), compare-and-swap and trace (apply), then
notify (inbox rows in the transaction, SMS via the outbox after the commit). Callers import this package:
`from linli.appeals import services; services.appeal_dispatch(...)`.
"""

from __future__ import annotations

from .catalogue import (
    catalogue_draft_create,
    catalogue_draft_discard,
    catalogue_draft_review,
    catalogue_draft_submit,
    catalogue_entry_remove,
    catalogue_entry_set,
    catalogue_version_activate,
)
from .deadlines import appeal_breach, appeal_warn, sla_sync_defaults
from .disclosure import appeal_withhold
from .dispatch import (
    appeal_dispatch,
    appeal_escalate,
    appeal_return,
    catalogue_create_default,
    catalogue_version_create,
    category_sync_defaults,
)
from .duplicates import (
    duplicate_dismiss,
    duplicate_follow,
    duplicate_merge,
    duplicates_check,
    duplicates_flag,
)
from .extension import (
    appeal_extension_approve,
    appeal_extension_reject,
    appeal_extension_request,
    appeal_urge,
)
from .from_visit import appeal_from_visit
from .grid_whistle import whistle_request_decline, whistle_request_raise, whistle_request_summon
from .handling import (
    appeal_acknowledge,
    appeal_answer_on_first_contact,
    appeal_comment,
    appeal_contact,
    appeal_pause,
    appeal_resolve,
    appeal_resume,
    appeal_start,
    appeals_acknowledge_bulk,
)
from .intake import appeal_submit
from .merge import appeal_merge, appeal_withdraw
from .part_deadlines import part_breach, part_warn
from .photos import appeal_add_photos
from .rating import (
    appeal_close,
    appeal_close_unrated,
    appeal_rate,
    callback_attempt_record,
    callback_create,
    callback_unreachable,
)
from .resident import appeal_add_info, appeal_follow, appeal_reopen, appeal_unfollow
from .split import SplitPart, appeal_split
from .topics import candidate_adopt, topic_adopt, topic_complete, topic_propose, topic_start, topics_compute
from .whistle import (
    appeal_whistle,
    department_leaders,
    part_complete,
    part_report_in,
    part_send_back,
    part_urge,
    part_withdraw,
)
from .whistle_decline import part_decline, part_insist

__all__ = [
    "SplitPart",
    "appeal_acknowledge",
    "appeal_add_info",
    "appeal_add_photos",
    "appeal_answer_on_first_contact",
    "appeal_breach",
    "appeal_close",
    "appeal_close_unrated",
    "appeal_comment",
    "appeal_contact",
    "appeal_dispatch",
    "appeal_escalate",
    "appeal_extension_approve",
    "appeal_extension_reject",
    "appeal_extension_request",
    "appeal_follow",
    "appeal_from_visit",
    "appeal_merge",
    "appeal_pause",
    "appeal_rate",
    "appeal_reopen",
    "appeal_resolve",
    "appeal_resume",
    "appeal_return",
    "appeal_split",
    "appeal_start",
    "appeal_submit",
    "appeal_unfollow",
    "appeal_urge",
    "appeal_warn",
    "appeal_whistle",
    "appeal_withdraw",
    "appeal_withhold",
    "appeals_acknowledge_bulk",
    "callback_attempt_record",
    "callback_create",
    "callback_unreachable",
    "candidate_adopt",
    "catalogue_create_default",
    "catalogue_draft_create",
    "catalogue_draft_discard",
    "catalogue_draft_review",
    "catalogue_draft_submit",
    "catalogue_entry_remove",
    "catalogue_entry_set",
    "catalogue_version_activate",
    "catalogue_version_create",
    "category_sync_defaults",
    "department_leaders",
    "duplicate_dismiss",
    "duplicate_follow",
    "duplicate_merge",
    "duplicates_check",
    "duplicates_flag",
    "part_breach",
    "part_complete",
    "part_decline",
    "part_insist",
    "part_report_in",
    "part_send_back",
    "part_urge",
    "part_warn",
    "part_withdraw",
    "sla_sync_defaults",
    "topic_adopt",
    "topic_complete",
    "topic_propose",
    "topic_start",
    "topics_compute",
    "whistle_request_decline",
    "whistle_request_raise",
    "whistle_request_summon",
]
