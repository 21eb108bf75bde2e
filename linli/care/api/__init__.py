"""Care and mediation API (mounted under /api/care): the visitor's day and recording a visit or call, care plans
(confirm a level; the full read of one is audited), and mediation cases from opening to the follow-up. Objects
come through the scoping selectors (outside the caller's scope: 404); lists mask names and phones; every write
goes through the same services as the pages. Refusals answer with the stable `code` of core.errors.

A package by noun: `visits` (the day, records, plans, visitors), `cases` (mediation), `provision` (services
and alerts) and `children` (children's places, legal aid, the rota) add their operations to the one router of
`common`."""

from __future__ import annotations

from . import cases, children, provision, visits
from .common import router

__all__ = ["cases", "children", "provision", "router", "visits"]
