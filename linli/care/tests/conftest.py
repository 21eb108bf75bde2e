"""A red care plan for the cast's resident (visited by the grid worker) and a neighbour dispute in the cast's grid."""

from __future__ import annotations

from typing import Any

import pytest

from linli.accounts.models import User
from linli.care import services
from linli.care.models import CarePlan, LegalAidApplication, MediationCase
from linli.testing import Cast
from linli.volunteers.services.people import volunteer_enrol

PARTIES = [
    {"side": "applicant", "name": "赵大妈", "phone": "13800000001"},
    {"side": "respondent", "name": "钱先生", "phone": "13800000002"},
]


def red_plan_of(cast: Cast) -> CarePlan:
    """The cast's resident on a red plan confirmed by the grid worker, with needs and an emergency contact (the
    pages' and the browser walks' plan)."""
    return services.care_plan_confirm(
        actor=cast.grid_worker,
        resident=cast.resident_record,
        level="red",
        reason="独居高龄，需每周探访",
        needs="每周助浴一次",
        emergency_contact="张小三",
        emergency_phone="13900000009",
    )


@pytest.fixture
def plan(cast: Cast) -> CarePlan:
    return red_plan_of(cast)


@pytest.fixture
def volunteer(cast: Cast) -> User:
    """A resident of the community registered as a volunteer, with an account (and a time-bank account)."""
    account = User.objects.create_user(
        username="vol", password="x", role="resident", phone="13700000001", display_name="周志愿"
    )
    volunteer_enrol(
        actor=None, community=cast.community, name="周志愿", phone="13700000001", account_id=account.pk
    )
    return account


def open_case(cast: Cast, actor: Any = None, **extra: Any) -> MediationCase:
    """A neighbour dispute in the cast's grid opened by its grid worker (`actor`), with what `extra` changes."""
    args: dict[str, Any] = {
        "grid": cast.grid,
        "kind": "neighbours",
        "source": "walk_in",
        "summary": "楼上漏水到楼下，双方争执",
        "parties": PARTIES,
        "place": "1号楼",
    }
    return services.case_open(actor=actor or cast.grid_worker, **(args | extra))


def wage_claim(cast: Cast) -> LegalAidApplication:
    """A legal-aid application for unpaid wages taken by the cast's grid worker, the applicant in hardship."""
    return services.legal_aid_apply(
        actor=cast.grid_worker,
        grid=cast.grid,
        applicant_name="秦师傅",
        applicant_phone="13600000003",
        matter="wages",
        summary="拖欠工资三个月",
        low_income=True,
    )


@pytest.fixture
def case(cast: Cast) -> MediationCase:
    return open_case(cast)
