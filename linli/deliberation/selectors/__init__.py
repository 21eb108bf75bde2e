"""Every non-trivial read of co-governance, scoped to the reader, by noun: the reader's area, meetings, results
and ratings, the hall, votes and the overview's panel.

Staff see the meetings, topics and votes of their part of the org tree. A resident sees the hall of the
community their verified household belongs to, the meetings held there, and the votes their household may cast.
"""

from linli.accounts.selectors import verified_household

from .area import (
    communities_for,
    household_in,
    household_node,
    households_of,
    resident_community,
    residents_of,
    residents_of_household,
)
from .hall import (
    comment_get_for,
    moderation_queue,
    topic_answers,
    topic_comments,
    topic_followed_by,
    topic_get_for,
    topic_visible,
    topics_readable,
    topics_visible_to,
)
from .meetings import (
    appeals_readable,
    decision_get_for,
    filings_waiting,
    is_overdue,
    meeting_agenda,
    meeting_calendar,
    meeting_decisions,
    meeting_get_for,
    meetings_visible_to,
    public_meetings,
)
from .overview import Overview, overview
from .results import (
    ResultNode,
    flatten,
    rating_of,
    rating_summary,
    result_get_for,
    result_tree,
    results_visible_to,
    survey_questions,
    survey_summary,
)
from .votes import OptionCount, Tally, ballot_of, results_shown, vote_get_for, vote_tally, votes_visible_to

__all__ = [
    "OptionCount",
    "Overview",
    "ResultNode",
    "Tally",
    "appeals_readable",
    "ballot_of",
    "comment_get_for",
    "communities_for",
    "decision_get_for",
    "filings_waiting",
    "flatten",
    "household_in",
    "household_node",
    "households_of",
    "is_overdue",
    "meeting_agenda",
    "meeting_calendar",
    "meeting_decisions",
    "meeting_get_for",
    "meetings_visible_to",
    "moderation_queue",
    "overview",
    "public_meetings",
    "rating_of",
    "rating_summary",
    "resident_community",
    "residents_of",
    "residents_of_household",
    "result_get_for",
    "result_tree",
    "results_shown",
    "results_visible_to",
    "survey_questions",
    "survey_summary",
    "topic_answers",
    "topic_comments",
    "topic_followed_by",
    "topic_get_for",
    "topic_visible",
    "topics_readable",
    "topics_visible_to",
    "verified_household",
    "vote_get_for",
    "vote_tally",
    "votes_visible_to",
]
