"""In headless Chromium on a phone: a grid worker takes the photos of a visit one at a time (a phone's camera gives one
photo a tap) and every one of them is saved with the visit, not the last one alone."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from linli.territory.models import Visit
from linli.testing import PASSWORD, build_cast
from linli.testing.browser import pick_photos_one_at_a_time, sign_in_page

pytestmark = pytest.mark.browser


def _photo(tmp_path: Path, name: str, colour: tuple[int, int, int]) -> str:
    path = tmp_path / name
    Image.new("RGB", (320, 240), colour).save(path, "JPEG")
    return str(path)


def test_photos_taken_one_after_another_are_all_saved_with_the_visit(
    live_server: Any, transactional_db: None, browser: Any, tmp_path: Path, settings: Any
) -> None:
    from playwright.sync_api import expect

    settings.MEDIA_ROOT = tmp_path / "media"
    cast = build_cast()
    shots = [_photo(tmp_path, f"p{i}.jpg", (40 * i, 90, 160)) for i in range(3)]
    context, page, problems = sign_in_page(
        browser, live_server.url, cast.grid_worker.username, PASSWORD, "phone"
    )
    page.goto(f"{live_server.url}/territory/households/{cast.household.pk}/")
    page.get_by_role("link", name="登记走访").click()
    pick_photos_one_at_a_time(page, shots)  # three taps of the camera, then one taken out
    page.locator("textarea[name=found]").fill("老人在家，楼道堆物已清理。")
    page.get_by_role("button", name="保存走访").click()
    expect(page.locator(".msg.success")).to_contain_text("走访已登记")
    expect(page.locator(".visit-photos img")).to_have_count(2)
    assert Visit.objects.get().photos.count() == 2
    assert problems == []
    context.close()


def test_a_photo_chosen_before_the_script_took_the_input_up_is_kept(
    live_server: Any, transactional_db: None, browser: Any
) -> None:
    """A tap of the camera while the page was still loading: the script, taking the input up afterwards, keeps that
    photo as the first one (it emptied the input). Shown here with an input an htmx swap brings, already holding one."""
    from playwright.sync_api import expect

    cast = build_cast()
    context, page, problems = sign_in_page(
        browser, live_server.url, cast.grid_worker.username, PASSWORD, "phone"
    )
    page.goto(f"{live_server.url}/territory/households/{cast.household.pk}/")
    page.get_by_role("link", name="登记走访").click()
    expect(page.locator("input[name=photos]")).to_have_attribute("data-photo-picks-ready", "1")
    taken = page.evaluate(
        """() => {
          const box = document.createElement("div");
          box.innerHTML = '<input type="file" name="later" multiple data-photo-picks data-max-files="6">';
          document.querySelector("main").appendChild(box);
          const input = box.querySelector("input"), chosen = new DataTransfer();
          chosen.items.add(new File(["x"], "early.jpg", {type: "image/jpeg"}));
          input.files = chosen.files;
          box.dispatchEvent(new CustomEvent("htmx:afterSwap", {bubbles: true}));
          return [box.querySelectorAll(".photo-picks figure").length, input.files.length];
        }"""
    )
    assert taken == [1, 1]
    assert problems == []
    context.close()
