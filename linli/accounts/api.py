"""Accounts API: the signed-in user."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema

from .auth import request_account

router = Router(tags=["accounts"])


class MeOut(Schema):
    id: int
    username: str
    name: str = Field(description="display name")
    role: str = Field(description="resident, grid_worker, community_worker, street_officer, ...")
    org_node_id: int | None = Field(description="the org node a staff member is attached to")
    organisation_id: int | None = Field(description="the department of a department handler")
    household_id: int | None = Field(description="a resident's verified household")
    household_verified: bool


@router.get("/me", response=MeOut, summary="The signed-in user")
def me(request: HttpRequest) -> dict[str, Any]:
    """Who you are signed in as, your role and what you are attached to."""
    user = request_account(request)
    return {
        "id": user.pk,
        "username": user.username,
        "name": str(user),
        "role": user.role,
        "org_node_id": user.org_node_id,
        "organisation_id": user.organisation_id,
        "household_id": user.household_id if user.household_verified_at else None,
        "household_verified": user.household_verified_at is not None,
    }
