"""Appeals (接诉即办): the reference data (categories, dispatch catalogue, SLA rules), the appeal and its trace, and
the suggestions made from appeals (duplicates, monthly topics). Import them from here."""

from __future__ import annotations

from .appeal import (
    HAS_CONTACT,
    Appeal,
    AppealEvent,
    AppealPart,
    AppealPhoto,
    AppealRating,
    CallbackTask,
    ExtensionRequest,
    UrgeRecord,
)
from .idempotency import IdempotencyRecord
from .reference import CatalogueEntry, CatalogueVersion, Category, SlaRule
from .resident import AppealFollower, AppealVoice, IntakeCounter
from .suggestions import DuplicateSuggestion, MonthlyTopic, TopicCandidate
from .whistle import WhistleRequest

__all__ = [
    "HAS_CONTACT",
    "Appeal",
    "AppealEvent",
    "AppealFollower",
    "AppealPart",
    "AppealPhoto",
    "AppealRating",
    "AppealVoice",
    "CallbackTask",
    "CatalogueEntry",
    "CatalogueVersion",
    "Category",
    "DuplicateSuggestion",
    "ExtensionRequest",
    "IdempotencyRecord",
    "IntakeCounter",
    "MonthlyTopic",
    "SlaRule",
    "TopicCandidate",
    "UrgeRecord",
    "WhistleRequest",
]
