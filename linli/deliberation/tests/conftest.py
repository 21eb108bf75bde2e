"""Co-governance fixtures: verified residents in several households of the cast's compound, with floor areas."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.utils import timezone
from PIL import Image

from linli.accounts.models import User
from linli.core.roles import Role
from linli.deliberation import services
from linli.deliberation.models import Decision, Meeting, Vote
from linli.territory import services as territory
from linli.territory.models import Household
from linli.testing import Cast


def png_bytes() -> bytes:
    """A real (decodable) PNG: photos are checked by their content."""
    buf = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 80, 40)).save(buf, "PNG")
    return buf.getvalue()


PNG = png_bytes()


@dataclass
class Hall:
    cast: Cast
    households: list[Household]  # the cast's household first, then five more in the same building
    residents: list[User]  # one verified resident per household, in the same order
    neighbour: User  # a second verified resident of the first household


def verified(username: str, household: Household, phone: str) -> User:
    user = User.objects.create_user(
        username=username, password="x-Pa55-word", role=Role.RESIDENT, display_name=username, phone=phone
    )
    user.household = household
    user.household_verified_at = timezone.now()
    user.save(update_fields=["household", "household_verified_at"])
    return user


@pytest.fixture
def hall(cast: Cast) -> Hall:
    return build_hall(cast)


def build_hall(cast: Cast) -> Hall:
    """Six households of 1号楼 (areas 100, 100, 80, 60, 60, 50 m²: 450 m² in all), each with a verified resident."""
    areas = [Decimal(a) for a in (100, 100, 80, 60, 60, 50)]
    households = [cast.household]
    for i in range(5):
        households.append(
            territory.household_create(actor=None, building=cast.building, code=f"H1{i}", room=f"{2 + i}01")
        )
    for household, area in zip(households, areas, strict=True):
        territory.household_update(actor=None, household=household, floor_area=area)
        household.refresh_from_db()
    cast.resident.household = households[0]
    cast.resident.household_verified_at = timezone.now()
    cast.resident.save(update_fields=["household", "household_verified_at"])
    residents = [cast.resident] + [
        verified(f"r{i}", h, f"1390000000{i}") for i, h in enumerate(households[1:])
    ]
    return Hall(cast, households, residents, verified("neighbour", households[0], "13700000000"))


def meeting_in(cast: Cast, **extra: object) -> Meeting:
    return services.meeting_create(
        actor=cast.community_worker,
        node=cast.community,
        kind="joint",
        title="四月联席会议",
        scheduled_at=timezone.now() + dt.timedelta(days=2),
        place="社区议事厅",
        **extra,  # type: ignore[arg-type]
    )


def meeting_deliberating(cast: Cast, title: str = "议题") -> Meeting:
    """`meeting_in` with one agenda item (`title`), moved on to 事务共商 by the community worker: members sign in,
    decisions are recorded."""
    meeting = meeting_in(cast)
    services.agenda_item_add(actor=cast.community_worker, meeting=meeting, title=title)
    services.meeting_transition(actor=cast.community_worker, meeting=meeting, action="open_deliberation")
    return meeting


def decision_taken(hall: Hall, meeting: Meeting, minutes: str, text_: str, **answers: object) -> Decision:
    """事务共商 of a meeting with its agenda: opened by the community worker, a resident (the third) signs in by
    its QR code, the minutes are kept and one decision taken (`text_`, by 阳光物业 in five working days; `answers`:
    the agenda `item` or hall `topic` it answers)."""
    worker = hall.cast.community_worker
    services.meeting_transition(actor=worker, meeting=meeting, action="open_deliberation")
    services.meeting_sign_in(actor=hall.residents[2], token=meeting.sign_in_token)
    services.minutes_save(actor=worker, meeting=meeting, minutes=minutes)
    return services.decision_add(
        actor=worker,
        meeting=meeting,
        text_=text_,
        responsible_name="阳光物业",
        working_days=5,
        **answers,  # type: ignore[arg-type]
    )


def decided(hall: Hall, numbers: list[str]) -> tuple[Meeting, Decision]:
    """A meeting in 推动落实 with one decision on an agenda item grouping the appeals `numbers`."""
    cast = hall.cast
    meeting = meeting_in(cast)
    item = services.agenda_item_add(
        actor=cast.community_worker, meeting=meeting, title="楼道照明", appeal_numbers=numbers
    )
    decision = decision_taken(hall, meeting, "议定物业更换楼道灯。", "物业更换2单元楼道灯", item=item)
    services.meeting_transition(actor=cast.community_worker, meeting=meeting, action="start_implementation")
    return meeting, decision


def meeting_elsewhere(cast: Cast) -> Meeting:
    """A bench meeting of the other community (光明社区板凳会), called by its worker: not the cast's area."""
    return services.meeting_create(
        actor=cast.outsider,
        node=cast.other_community,
        kind="bench",
        title="光明社区板凳会",
        scheduled_at=timezone.now(),
    )


def owners_vote(cast: Cast, *, special: bool = False) -> Vote:
    return services.vote_create(
        actor=cast.community_worker,
        node=cast.compound,
        title="1号楼加装电梯",
        method="owners",
        matter="special" if special else "ordinary",
        closes_at=timezone.now() + dt.timedelta(days=7),
    )


def vote_of(
    cast: Cast, method: str, title: str, options: tuple[str, ...], *, days: int = 3, **extra: object
) -> Vote:
    """A vote of the compound counted by `method` (single, multiple, ranking, score), opened by the community
    worker, closing in `days` days."""
    return services.vote_create(
        actor=cast.community_worker,
        node=cast.compound,
        title=title,
        method=method,
        options=list(options),
        closes_at=timezone.now() + dt.timedelta(days=days),
        **extra,  # type: ignore[arg-type]
    )


def single_vote(
    cast: Cast,
    title: str = "活动室开放时间",
    options: tuple[str, ...] = ("上午", "晚上"),
    *,
    days: int = 3,
    **extra: object,
) -> Vote:
    """A single-choice vote of the compound opened by the community worker, closing in `days` days."""
    return vote_of(cast, "single", title, options, days=days, **extra)


def survey(meeting: Meeting, *values: str) -> dict[str, str]:
    """Answers to every question of a meeting's survey, in order (`values`, the last one repeated; default
    satisfied, basic, satisfied …)."""
    values = values or ("satisfied", "basic", "satisfied")
    questions = list(meeting.questions.all())
    return {str(q.pk): values[min(i, len(values) - 1)] for i, q in enumerate(questions)}
