"""What places' browser walks share: the cast on a live server, 和平路 along the cast's first building in stretches
of about 250 m from 116.398 eastwards, a place of the cast's community, and signed-in contexts at the shared
SIZES. Screenshots under screenshots/."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from linli.testing import Cast
from linli.testing.browser import SCREENSHOTS, sign_in_context, sized_context

from ..conftest import line

SHOTS = SCREENSHOTS
HOURS = {str(d): [["00:00", "24:00"]] for d in range(7)}  # open round the clock


def shot(page: Any, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def signed_in(browser: Any, size: str, user: Any, base_url: str) -> Any:
    """A context at one of SIZES signed in as the user."""
    context = sized_context(browser, size)
    sign_in_context(context, user, base_url)
    return context


def fits(page: Any, selector: str) -> bool:
    """Whether everything matching `selector` lies within the window, none of it scrolling sideways."""
    return bool(
        page.evaluate(
            """s => [...document.querySelectorAll(s)].every(e =>
                e.scrollWidth <= e.clientWidth + 1 && e.getBoundingClientRect().right <= window.innerWidth + 1)""",
            selector,
        )
    )


@pytest.fixture
def live_cast(transactional_db: None) -> Cast:
    from linli.testing import build_cast

    return build_cast()


@pytest.fixture
def road(live_cast: Cast) -> Callable[[int], Any]:
    """road(stretches) → 和平路 (lat 39.902) from 116.398 east, in that many joined stretches of 0.003°."""
    from linli.territory import services as territory

    def build(stretches: int) -> Any:
        return territory.roads_create(
            actor=None,
            roads=[
                {
                    "code": f"R{i + 1}",
                    "name": "和平路",
                    "kind": "branch",
                    "org_node": live_cast.street,
                    "geometry": line((116.398 + 0.003 * i, 39.902), (116.401 + 0.003 * i, 39.902)),
                }
                for i in range(stretches)
            ],
        )

    return build


@pytest.fixture
def place(live_cast: Cast) -> Callable[..., Any]:
    """place(name, kind, lng, hours=HOURS, **more) → a place of the cast's community on 和平路 (lat 39.9021)."""
    from linli.places import services

    def create(name: str, kind: str, lng: float, hours: Any = None, **more: Any) -> Any:
        return services.place_create(
            actor=live_cast.community_worker,
            org_node_id=live_cast.community.pk,
            kind=kind,
            name=name,
            address=more.pop("address", "和平路"),
            lng=lng,
            lat=more.pop("lat", 39.9021),
            opening_hours=HOURS if hours is None else hours,
            **more,
        )

    return create


@dataclass
class Walk:
    """A places walk's set-up in one: the live server's address, the cast on it, the browser, and the builders of
    和平路 (`road`) and of a place on it (`place`)."""

    base: str
    cast: Cast
    browser: Any
    road: Callable[[int], Any]
    place: Callable[..., Any]

    def centre(self, **more: Any) -> Any:
        """幸福社区党群服务中心 at 和平路1号 (116.398, 39.902) on 和平路 of two stretches: its walking circles drawn."""
        self.road(2)
        return self.place(
            "幸福社区党群服务中心", "party_centre", 116.398, address="和平路1号", lat=39.902, **more
        )

    def open(self, size: str, user: Any, path: str) -> tuple[Any, Any]:
        """A context at `size` signed in as `user`, and its page opened at `path`: (context, page)."""
        context = signed_in(self.browser, size, user, self.base)
        page = context.new_page()
        page.goto(f"{self.base}{path}")
        return context, page


@pytest.fixture
def walk(
    live_server: Any, live_cast: Cast, road: Callable[[int], Any], place: Callable[..., Any], browser: Any
) -> Walk:
    return Walk(live_server.url, live_cast, browser, road, place)
