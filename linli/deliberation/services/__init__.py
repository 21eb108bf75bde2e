"""Every write of co-governance, by noun: meetings, results, the hall and its votes."""

from .hall import (
    HIDE_AFTER_REPORTS,
    comment_add,
    content_moderate,
    content_report,
    topic_create,
    topic_follow,
)
from .meetings import (
    agenda_item_add,
    decision_add,
    decision_answer_topic,
    meeting_create,
    meeting_rate,
    meeting_repeat,
    meeting_sign_in,
    meeting_transition,
    minutes_save,
    participant_add,
    participant_mark_present,
    participants_invite,
    survey_questions_set,
)
from .results import deadlines_create, result_escalate, result_part_add, result_progress
from .votes import ballot_cast, ballot_record_paper, vote_close, vote_create

__all__ = [
    "HIDE_AFTER_REPORTS",
    "agenda_item_add",
    "ballot_cast",
    "ballot_record_paper",
    "comment_add",
    "content_moderate",
    "content_report",
    "deadlines_create",
    "decision_add",
    "decision_answer_topic",
    "meeting_create",
    "meeting_rate",
    "meeting_repeat",
    "meeting_sign_in",
    "meeting_transition",
    "minutes_save",
    "participant_add",
    "participant_mark_present",
    "participants_invite",
    "result_escalate",
    "result_part_add",
    "result_progress",
    "survey_questions_set",
    "topic_create",
    "topic_follow",
    "vote_close",
    "vote_create",
]
