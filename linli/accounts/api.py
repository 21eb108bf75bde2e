"""Accounts API: resident sign-in by one-time code, the signed-in user."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["accounts"])
