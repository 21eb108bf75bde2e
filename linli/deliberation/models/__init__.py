"""Co-governance rows: joint meetings through the five steps, results, and the residents' hall with its votes."""

from __future__ import annotations

from .hall import Ballot, BallotMark, Comment, Report, Topic, TopicFollower, Vote, VoteOption
from .meetings import (
    AgendaItem,
    AgendaSource,
    Decision,
    Meeting,
    MeetingEvent,
    MeetingRating,
    Participant,
    RatingAnswer,
    Result,
    ResultDeadline,
    ResultUpdate,
    SurveyQuestion,
)

__all__ = [
    "AgendaItem",
    "AgendaSource",
    "Ballot",
    "BallotMark",
    "Comment",
    "Decision",
    "Meeting",
    "MeetingEvent",
    "MeetingRating",
    "Participant",
    "RatingAnswer",
    "Report",
    "Result",
    "ResultDeadline",
    "ResultUpdate",
    "SurveyQuestion",
    "Topic",
    "TopicFollower",
    "Vote",
    "VoteOption",
]
