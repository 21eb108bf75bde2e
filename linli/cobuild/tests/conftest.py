"""A community with a verified resident, a service menu, three resources (one a provider with an account) and a
fund with money in it."""

from __future__ import annotations

import io
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from linli.accounts.models import User
from linli.cobuild import services
from linli.cobuild.models import Resource, ServiceItem
from linli.core.roles import Role
from linli.territory.models import Visit
from linli.testing import Cast

# The cast's grid starts at (116.40, 39.90); its building stands inside.
LNG, LAT = 116.402, 39.902


def photo(name: str = "done.png") -> SimpleUploadedFile:
    """A small real PNG, as a phone sends one: the services decode every photo (core.photos), so a hand-written
    PNG whose checksum is off is refused as it would be from a person."""
    buf = io.BytesIO()
    Image.new("RGB", (4, 3), (46, 157, 91)).save(buf, "PNG")
    return SimpleUploadedFile(name, buf.getvalue(), content_type="image/png")


def receipt(name: str = "receipt.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4 receipt", content_type="application/pdf")


@dataclass
class World:
    cast: Cast
    repair: ServiceItem
    haircut: ServiceItem
    plumber: Resource  # the provider persona's, near
    far_plumber: Resource
    barber: Resource
    provider: User


def make_resource(cast: Cast, **kw: Any) -> Resource:
    data: dict[str, Any] = {
        "community": cast.community,
        "name": "上门维修",
        "provider_name": "物业维修班",
        "provider_kind": "property_company",
        "kind": "skill",
        "category": "repair",
        "lng": LNG,
        "lat": LAT,
        "skills": "水电、管道",
        "capacity": 3,
        "radius_m": 2000,
    }
    data.update(kw)
    return services.resource_create(actor=None, **data)


def verify_resident(cast: Cast) -> None:
    """The cast's resident lives in the cast's household, verified: they may order and raise needs."""
    r = cast.resident
    r.household = cast.household
    r.household_verified_at = timezone.now()
    r.save(update_fields=["household", "household_verified_at"])


@pytest.fixture
def world(cast: Cast) -> World:
    verify_resident(cast)
    provider = User.objects.create_user(
        username="plumber",
        password="linli-test-Pa55",
        role=Role.RESIDENT,
        display_name="赵师傅",
        phone="13700000001",
    )
    repair = ServiceItem.objects.create(community=cast.community, name="小修小补", category="repair")
    haircut = ServiceItem.objects.create(community=cast.community, name="理发", category="haircut")
    return World(
        cast=cast,
        repair=repair,
        haircut=haircut,
        plumber=make_resource(
            cast, provider_name="赵师傅", provider_kind="skilled_resident", account=provider
        ),
        far_plumber=make_resource(cast, provider_name="远方维修", lng=LNG + 0.015, lat=LAT),
        barber=make_resource(cast, name="理发", provider_name="爱心理发", category="haircut", skills="理发"),
        provider=provider,
    )


def lamps_asked(cast: Cast, project: Any, amount: str) -> Any:
    """The community worker asks to pay 明亮电器 for lamps of the project, with the receipt."""
    return services.payment_request(
        actor=cast.community_worker,
        project=project,
        payee="明亮电器",
        amount=amount,
        purpose="灯具",
        receipt=receipt(),
    )


def grid_visit(world: World) -> Visit:
    """The grid worker's visit to the cast's household that found a need: a lamp to change."""
    return Visit.objects.create(
        grid=world.cast.grid,
        household=world.cast.household,
        visitor=world.cast.grid_worker,
        visited_at=timezone.now(),
        found="独居老人家中灯坏了",
        follow_up="换灯泡",
    )


def fund_with(cast: Cast, amount: str = "5000.00") -> None:
    services.income_record(
        actor=None,
        community=cast.community,
        source="阳光物业",
        amount=Decimal(amount),
        income_kind="donation_money",
        memo="捐赠",
    )
