"""The demo catalogue sends specialised categories to departments and everyday ones to the lowest tier, as a
version drafted, reviewed by another person and activated."""

from __future__ import annotations

import pytest

from linli.appeals import routing, services
from linli.appeals.models import CatalogueVersion, Category
from linli.demo.catalogue import demo_catalogue
from linli.demo.territory import demo_build
from linli.territory.models import Grid


@pytest.mark.django_db
def test_the_demo_catalogue_routes_to_departments_and_the_lowest_tier() -> None:
    demo_build(scale=0.05, seed=1)
    services.category_sync_defaults()
    version = demo_catalogue()
    assert version is not None and version.active and version.status == "active"
    # The district leader drafted and submitted it; the administrator (the system when the demo has none yet)
    # reviewed and activated it.
    assert version.submitted_by is not None and version.submitted_by.username == "leader"
    assert version.reviewed_by != version.submitted_by and version.reviewed_at is not None
    assert version.activated_at is not None
    assert demo_catalogue() is None  # once
    assert CatalogueVersion.objects.filter(status="retired").count() == 1
    grid = Grid.objects.order_by("pk").first()
    food = routing.route(
        category=Category.objects.get(code="market_regulation.food_safety"), grid=grid, node=None
    )
    assert food is not None and food.tier == "department" and food.unit_org is not None
    assert food.unit_org.code == "SCJGJ"
    parking = routing.route(category=Category.objects.get(code="transport.parking"), grid=grid, node=None)
    assert parking is not None and parking.tier == "community"
    noise = routing.route(category=Category.objects.get(code="environment.noise"), grid=grid, node=None)
    assert noise is not None and noise.tier == "grid"
