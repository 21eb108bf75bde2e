"""The one table of a meeting's stage changes: action → (from stage, to stage, permission action)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from .choices import Stage

TRANSITIONS: dict[str, tuple[str, str, str]] = {
    "open_deliberation": (Stage.COLLECT, Stage.DELIBERATE, "meeting_run"),
    "start_implementation": (Stage.DELIBERATE, Stage.IMPLEMENT, "meeting_run"),
    "open_evaluation": (Stage.IMPLEMENT, Stage.EVALUATE, "meeting_run"),
    "submit_filing": (Stage.EVALUATE, Stage.FILE, "meeting_run"),
    "acknowledge_filing": (Stage.FILE, Stage.FILED, "filing_decide"),
    "return_filing": (Stage.FILE, Stage.EVALUATE, "filing_decide"),
}

LABELS = {
    "open_deliberation": _("Agenda ready: hold the meeting"),
    "start_implementation": _("Meeting held: start implementing"),
    "open_evaluation": _("Results done: ask residents to rate"),
    "submit_filing": _("Submit the record to the street"),
    "acknowledge_filing": _("Acknowledge the filing"),
    "return_filing": _("Return the filing"),
}

# What the steps of a meeting's history that are no stage change did (MeetingEvent.action); a stage change reads
# "from → to", and the meeting's calling "召集会议 → 民意征集".
EVENT_LABELS = {
    "convene": _("Meeting called"),
    "survey_set": _("Survey questions set"),
    "answer_topic": _("A decision answers a hall topic"),
    "appeals_resolved": _("Appeals resolved by a decision"),
    "repeat": _("Follows an earlier meeting"),
}

# The question a step that cannot be taken back asks before it is sent (the form's data-confirm).
CONFIRMS = {
    "open_deliberation": _("Is the agenda ready? The meeting cannot go back to collecting opinions."),
    "start_implementation": _(
        "Was the meeting held? Sign-in, the minutes and the decisions are closed once implementing starts."
    ),
    "open_evaluation": _(
        "Are the results done? Residents are asked to rate them; this cannot be taken back."
    ),
    "submit_filing": _("Send the record to the street? The survey can no longer be changed."),
    "acknowledge_filing": _("Acknowledge the filing? The record becomes public and the meeting is closed."),
}

# Where each kind of work may be done.
AGENDA_STAGES = frozenset({Stage.COLLECT, Stage.DELIBERATE})
MEMBER_STAGES = frozenset({Stage.COLLECT, Stage.DELIBERATE})
MEETING_STAGES = frozenset({Stage.DELIBERATE})  # sign-in, minutes, decisions
RESULT_STAGES = frozenset({Stage.DELIBERATE, Stage.IMPLEMENT, Stage.EVALUATE})
RATING_STAGES = frozenset({Stage.EVALUATE})


def actions_from(stage: str) -> list[str]:
    return [name for name, (src, _dst, _perm) in TRANSITIONS.items() if src == stage]
