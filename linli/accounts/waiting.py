"""Residents' household claims waiting to be checked, on a member of staff's home (core.todo)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from linli.core.scoping import Viewer
from linli.core.todo import Todo

from .selectors import household_claims_pending_for


def _pending(user: Viewer) -> int:
    return household_claims_pending_for(user).count()


TODOS = [Todo("accounts.claims", _("Household claims to check"), "accounts:verifications", _pending, rank=40)]
