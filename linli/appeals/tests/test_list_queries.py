"""What the handlers' lists and an appeal's page cost in queries does not grow with the rows: a department's queue,
its summoned parts and the API's list, a street's list, and one appeal's page and API detail with more parts, events
and photos. Counted at N rows and at 2N rather than pinned to a number, so any read per row fails."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from linli.appeals import services
from linli.appeals.models import Appeal
from linli.appeals.tests.factories import at_community, by_hotline, classifier_says, photo
from linli.territory import services as territory
from linli.testing import Cast, make_neighbour, signed_in


def _round(cast: Cast, grids: list[Any], start: int, count: int) -> list[Appeal]:
    """`count` appeals over the grids: summoned to both departments, dispatched to one with a photo, or open at the
    community with two photos."""
    made = []
    for i in range(start, start + count):
        grid = grids[i % len(grids)]
        if i % 3 == 0:
            appeal = at_community(cast, title=f"问题{i}", grid=grid)
            services.appeal_whistle(
                actor=cast.community_worker,
                appeal=appeal,
                units=[cast.department, cast.other_department],
                reason="请两个部门到现场联合处置。",
            )
        elif i % 3 == 1:
            appeal = by_hotline(cast, grid, f"河道里有垃圾漂浮，气味很大，请尽快处理{i}。", photos=[photo()])
            services.appeal_dispatch(
                actor=cast.district_leader,
                appeal=appeal,
                unit_org=cast.department,
                category_code="environment.noise",
            )
        else:
            appeal = at_community(cast, title=f"问题{i}", grid=grid, photos=[photo(), photo()])
        made.append(appeal)
    return made


def _queries(client: Client, url: str) -> int:
    client.get(url)  # the session and the caches warmed
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


LISTS = [
    ("department_handler", "/appeals/workbench/"),
    ("department_handler", "/appeals/workbench/?tab=parts"),
    ("department_handler", "/appeals/workbench/?tab=all"),
    ("department_handler", "/api/appeals/?limit=100"),
    ("street_officer", "/appeals/workbench/?tab=all"),
    ("street_officer", "/api/appeals/?limit=100"),
    ("community_worker", "/appeals/workbench/"),
]


def test_the_lists_cost_the_same_queries_for_twice_the_appeals(
    cast: Cast, monkeypatch: pytest.MonkeyPatch
) -> None:
    classifier_says(monkeypatch, "environment.noise", 0.0)
    grids = [cast.grid, make_neighbour(cast).grid]
    _round(cast, grids, 0, 6)
    few = {(who, url): _queries(signed_in(getattr(cast, who)), url) for who, url in LISTS}
    _round(cast, grids, 6, 6)
    many = {(who, url): _queries(signed_in(getattr(cast, who)), url) for who, url in LISTS}
    assert many == few
    listed = signed_in(cast.department_handler).get("/api/appeals/?limit=100").json()["count"]
    assert listed == 8  # summoned to four, dispatched four


def test_an_appeals_page_costs_the_same_queries_with_twice_the_parts_events_and_photos(cast: Cast) -> None:
    appeal = at_community(cast, photos=[photo()])
    units = [cast.department, cast.other_department] + [
        territory.organisation_create(
            actor=None, kind="department", name=f"部门{i}", code=f"D-X{i}", org_node=cast.district
        )
        for i in range(4)
    ]
    urls = [
        ("department_handler", f"/appeals/{appeal.pk}/"),
        ("community_worker", f"/appeals/{appeal.pk}/"),
        ("department_handler", f"/api/appeals/{appeal.pk}"),
        ("community_worker", f"/api/appeals/{appeal.pk}"),
        ("community_worker", f"/api/appeals/{appeal.pk}/trace"),
    ]

    def more(summoned: list[Any]) -> dict[tuple[str, str], int]:
        services.appeal_whistle(
            actor=cast.community_worker, appeal=appeal, units=summoned, reason="请各部门到现场联合处置。"
        )
        for i in range(len(summoned) * 2):
            services.appeal_comment(actor=cast.community_worker, appeal=appeal, note=f"处置进展记录{i}")
        services.appeal_add_photos(actor=cast.community_worker, appeal=appeal, photos=[photo()])
        return {(who, url): _queries(signed_in(getattr(cast, who)), url) for who, url in urls}

    few = more(units[:2])
    many = more(units[2:])
    assert many == few
