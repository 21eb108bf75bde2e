"""Co-governance API (mounted under /api/deliberation): meetings through the five steps, results, the hall's
topics and votes. Every object is read through the scoping selectors (outside the caller's area: 404) and every
write goes through the same services as the pages. Filed meetings are public (三公开).

A package by noun: `meetings` (the five steps, decisions, results, calendar, filings) and `hall` (topics,
comments, moderation, votes, ballots) add their operations to the one router of `common`; `schemas` holds the
shapes both use."""

from __future__ import annotations

from . import hall, meetings
from .common import router

__all__ = ["hall", "meetings", "router"]
