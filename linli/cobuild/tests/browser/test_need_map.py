"""The staff's need form opens its map on the community the form names, and moves to the one chosen next (a
street officer's form offers several): the map was left on the whole district whatever was chosen."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from .conftest import cast_with_a_verified_resident, shot, signed_in_context

pytestmark = pytest.mark.browser

CENTRE = "(() => { const c = document.querySelector('.cb-map').apMap.getCenter(); return [c.lng, c.lat]; })()"


def _inside(centre: list[float], grid: Any) -> bool:
    lng, lat = centre
    return grid.min_lng <= lng <= grid.max_lng and grid.min_lat <= lat <= grid.max_lat


def test_the_need_forms_map_opens_on_the_community_chosen(
    live_server: Any, transactional_db: None, browser: Any
) -> None:
    from linli.territory.models import Grid

    cast = cast_with_a_verified_resident()
    ours, theirs = Grid.objects.get(code="G001"), Grid.objects.get(code="G002")
    page = signed_in_context(browser, "desktop", cast.street_officer, live_server.url).new_page()
    page.goto(live_server.url + reverse("cobuild:staff_needs"))
    page.wait_for_selector('.cb-map[data-ready="1"]')
    page.select_option("#id_community", str(cast.other_community.pk))
    page.wait_for_timeout(300)
    assert _inside(page.evaluate(CENTRE), theirs), page.evaluate(CENTRE)
    page.select_option("#id_community", str(cast.community.pk))
    page.wait_for_timeout(300)
    assert _inside(page.evaluate(CENTRE), ours), page.evaluate(CENTRE)
    shot(page, "cobuild-need-map-street")

    # A community worker's form names their one community: the map opens on it.
    worker = signed_in_context(browser, "phone", cast.community_worker, live_server.url).new_page()
    worker.goto(live_server.url + reverse("cobuild:staff_needs"))
    worker.wait_for_selector('.cb-map[data-framed="1"]')
    assert _inside(worker.evaluate(CENTRE), ours), worker.evaluate(CENTRE)
