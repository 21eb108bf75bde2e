"""Accounts API: the signed-in user, and the staff accounts of the caller's area."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema

from linli.core.api_access import staff_caller
from linli.core.api_paging import limit_param, offset_param, page
from linli.core.masking import mask_phone
from linli.territory.schemas import GridRef

from . import selectors
from .auth import request_account
from .models import User

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


class StaffOut(Schema):
    id: int
    username: str
    name: str = Field(description="display name")
    role: str = Field(description="grid_worker, part_time_grid_worker, grid_leader, building_captain, ...")
    org_node_id: int
    org_node: str = Field(description="the community, compound or street the account is attached to")
    building_id: int | None = Field(description="the building a building captain looks after")
    grids: list[GridRef] = Field(description="the grids the account works in")
    phone: str = Field(description="masked, e.g. 139****1111")
    is_active: bool = Field(description="false: switched off, cannot sign in")
    last_login: dt.datetime | None


class StaffPage(Schema):
    count: int
    items: list[StaffOut]


def _staff_out(u: User) -> dict[str, Any]:
    assert u.org_node is not None  # staff_visible_to lists only accounts placed in the tree
    return {
        "id": u.pk,
        "username": u.username,
        "name": str(u),
        "role": u.role,
        "org_node_id": u.org_node_id,
        "org_node": u.org_node.name,
        "building_id": u.building_id,
        "grids": [{"id": g.pk, "code": g.code, "name": g.name, "kind": g.kind} for g in u.grids.all()],
        "phone": mask_phone(u.phone),
        "is_active": u.is_active,
        "last_login": u.last_login,
    }


@router.get("/staff", response=StaffPage, summary="Staff accounts of your area")
def staff(request: HttpRequest, limit: int = limit_param(), offset: int = offset_param()) -> dict[str, Any]:
    """The staff accounts placed in your area (switched off ones too), by place, role and user name, a page at a
    time, phones masked: what /accounts/staff/ lists. For community workers, street officers, district leaders and
    administrators (403 for anyone else)."""
    return page(selectors.staff_visible_to(staff_caller(request)), limit, offset, _staff_out)
