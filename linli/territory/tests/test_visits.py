"""物和情: a grid's venues and facilities, and the visit log (民情日志), through the pages, each role in its scope;
the grid page's counts follow them."""

from __future__ import annotations

import datetime as dt
import io
import re
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from linli.core.errors import NotFound, PermissionDenied, ValidationFailed
from linli.core.models import AuditEntry
from linli.core.roles import Role
from linli.territory import selectors, services
from linli.territory.models import Entrance, Venue, Visit
from linli.testing import Cast, Neighbour, api_pages, make_user, signed_in

from .helpers import second_building_home

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def jpeg(name: str = "photo.jpg") -> SimpleUploadedFile:
    buf = io.BytesIO()
    Image.new("RGB", (48, 32), (200, 80, 40)).save(buf, "JPEG")
    return SimpleUploadedFile(name, buf.getvalue(), content_type="image/jpeg")


def shop(cast: Cast, **extra: Any) -> Venue:
    values = {"category": "restaurant", "name": "老王面馆", "lng": 116.401, "lat": 39.901} | extra
    return services.venue_create(actor=None, grid=values.pop("grid", cast.grid), **values)


# ---------------------------------------------------------------------------------------------- venues


def test_a_community_worker_adds_a_venue_inside_the_grid_and_the_grid_counts_it(
    cast: Cast, client_for: Any
) -> None:
    client = client_for("community_worker")
    data = {
        "category": "restaurant",
        "name": "老王面馆",
        "lng": "116.401",
        "lat": "39.901",
        "state": "hazard",
    }
    response = client.post(f"/territory/grids/{cast.grid.pk}/venues/", data)
    venue = Venue.objects.get(name="老王面馆")
    assert response.status_code == 302 and response["Location"] == f"/territory/venues/{venue.pk}/"
    assert AuditEntry.objects.filter(action="venue_create", object_id=str(venue.pk)).exists()
    profile = selectors.grid_profile(cast.grid)
    assert (profile["venues"], profile["small_venues"], profile["venue_problems"]) == (1, 1, 1)
    page = client.get(f"/territory/grids/{cast.grid.pk}/").content.decode()
    assert 'data-key="venues"><div class="stat-value">1<' in page


def test_a_venue_outside_the_grid_is_refused_with_everything_typed_kept(cast: Cast, client_for: Any) -> None:
    data = {
        "category": "shop",
        "name": "便利店",
        "lng": "116.5",
        "lat": "39.901",
        "state": "ok",
        "owner_name": "李老板",
    }
    response = client_for("community_worker").post(f"/territory/grids/{cast.grid.pk}/venues/", data)
    assert response.status_code == 422
    html = response.content.decode()
    assert "便利店" in html and "李老板" in html and "该位置不在网格 G001 范围内" in html
    assert not Venue.objects.exists()


def test_a_venue_with_no_position_is_refused_with_a_chinese_message_and_a_map_to_place_it(
    cast: Cast, client_for: Any
) -> None:
    client = client_for("community_worker")
    page = client.get(f"/territory/grids/{cast.grid.pk}/venues/").content.decode()
    # The form offers the grid's map to click, and starts with no position (not the grid's centre).
    assert (
        'class="map point-map venue-map" data-mode="pick"' in page
        and f'data-grid-code="{cast.grid.code}"' in page
    )
    assert re.search(r'<input type="number" name="lng"[^>]*>', page) and 'name="lng" value' not in page
    data = {"category": "shop", "name": "便利店", "state": "ok", "owner_name": "李老板"}
    response = client.post(f"/territory/grids/{cast.grid.pk}/venues/", data)
    assert response.status_code == 422
    html = response.content.decode()
    assert html.count("请在地图上点选它的位置，或输入经度和纬度。") == 1  # said once, under the map
    assert "便利店" in html and "李老板" in html and '<details class="venue-typed" open>' in html
    typo = client.post(f"/territory/grids/{cast.grid.pk}/venues/", data | {"lng": "东经116", "lat": "39.901"})
    assert "经度请填写度数，例如 116.397。" in typo.content.decode()
    assert not Venue.objects.exists()


def test_a_venue_state_and_inspection_change_through_the_edit_page(cast: Cast, client_for: Any) -> None:
    venue = shop(cast, contact_phone="13800001111")
    data = {"category": "restaurant", "name": "老王面馆", "lng": "116.401", "lat": "39.901", "state": "ok"}
    data["inspected_on"] = timezone.localdate().isoformat()
    response = client_for("grid_worker").post(f"/territory/venues/{venue.pk}/edit/", data)
    assert response.status_code == 302
    venue.refresh_from_db()
    assert (venue.state, venue.inspected_on, venue.contact_phone) == (
        "ok",
        timezone.localdate(),
        "13800001111",
    )


def test_venues_of_a_neighbour_grid_are_404_to_the_grid_worker(
    cast: Cast, client_for: Any, neighbour: Neighbour
) -> None:
    other = shop(cast, grid=neighbour.grid, name="邻网格商店", lng=116.406, lat=39.902)
    client = client_for("grid_worker")
    assert client.get(f"/territory/venues/{other.pk}/").status_code == 404
    assert client.get(f"/territory/grids/{neighbour.grid.pk}/venues/").status_code == 404
    with pytest.raises(NotFound):
        services.venue_create(
            actor=cast.grid_worker, grid=neighbour.grid, category="shop", name="x", lng=116.406, lat=39.902
        )


def test_a_part_time_grid_worker_sees_venues_but_does_not_keep_them(cast: Cast) -> None:
    rider = make_user("rider", Role.PART_TIME_GRID_WORKER, node=cast.compound)
    cast.grid.workers.add(rider)
    venue = shop(cast)
    client = signed_in(rider)
    assert client.get(f"/territory/venues/{venue.pk}/").status_code == 200
    data = {"category": "restaurant", "name": "改名", "lng": "116.401", "lat": "39.901", "state": "ok"}
    assert client.post(f"/territory/venues/{venue.pk}/edit/", data).status_code == 403


# ---------------------------------------------------------------------------------------------- visits


def test_a_grid_worker_logs_a_visit_with_a_photo_from_the_phone(cast: Cast, client_for: Any) -> None:
    client = client_for("grid_worker")
    form = client.get(f"/territory/grids/{cast.grid.pk}/visits/?household={cast.household.pk}")
    assert f'value="h{cast.household.pk}" selected' in form.content.decode()
    data = {
        "place": f"h{cast.household.pk}",
        "found": "独居老人张三，身体尚可，楼道灯坏了",
        "follow_up": "报修楼道灯",
        "photos": [jpeg()],
    }
    response = client.post(f"/territory/grids/{cast.grid.pk}/visits/", data)
    visit = Visit.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/territory/visits/{visit.pk}/"
    assert (visit.household, visit.grid, visit.visitor) == (cast.household, cast.grid, cast.grid_worker)
    assert visit.photos.count() == 1
    page = client.get(f"/territory/visits/{visit.pk}/").content.decode()
    assert "楼道灯坏了" in page and "报修楼道灯" in page
    photo = visit.photos.get()
    assert client.get(f"/territory/visits/{visit.pk}/photos/{photo.pk}/").status_code == 200
    profile = selectors.grid_profile(cast.grid)
    assert (profile["visits_30d"], profile["follow_ups_open"]) == (1, 1)
    client.post(f"/territory/visits/{visit.pk}/done/")
    assert selectors.grid_profile(cast.grid)["follow_ups_open"] == 0


def kept_names(page: str) -> list[str]:
    """The kept photos' tick boxes on a page shown again, by the name each sends."""
    return re.findall(r'name="keep_photo" value="([^"]+)"', page)


def test_a_refused_visit_keeps_its_photos_and_the_corrected_one_stores_them(
    cast: Cast, client_for: Any, settings: Any
) -> None:
    """A worker on patrol who takes the photos first and leaves 走访情况 empty is refused; a browser forgets the files
    chosen, so the photos are kept on the server and shown as thumbnails, and the corrected visit stores them."""
    client = client_for("grid_worker")
    url = f"/territory/grids/{cast.grid.pk}/visits/"
    data = {"place": f"h{cast.household.pk}", "found": "", "photos": [jpeg("door.jpg"), jpeg("stairs.jpg")]}
    refused = client.post(url, data)
    assert refused.status_code == 422 and not Visit.objects.exists()
    assert set(refused.context["form"].errors) == {"found"}  # nothing said of the photos: they are kept
    page = refused.content.decode()
    names = kept_names(page)
    assert len(names) == 2 and 'id="kept-photos"' in page
    key = re.search(r'name="kept_key" value="([^"]+)"', page)
    assert key is not None
    thumbnail = client.get(f"/core/kept/{key[1]}/0/")
    assert thumbnail.status_code == 200 and thumbnail["Content-Type"] == "image/jpeg"
    # Corrected: the first kept photo ticked, the second unticked, one more taken.
    saved = client.post(
        url,
        {
            **data,
            "found": "楼道堆放杂物",
            "photos": [jpeg("more.jpg")],
            "kept_key": key[1],
            "keep_photo": names[:1],
        },
    )
    visit = Visit.objects.get()
    assert saved.status_code == 302 and visit.found == "楼道堆放杂物"
    assert visit.photos.count() == 2
    assert client.get(f"/core/kept/{key[1]}/0/").status_code == 404  # used, then removed
    assert not list((settings.MEDIA_ROOT / "kept").iterdir())  # the unticked one too


def test_a_refused_visit_says_which_file_it_could_not_keep(cast: Cast, client_for: Any) -> None:
    """A file that is no photo is not kept, and the page says so on the photos field, beside the field refused."""
    client = client_for("grid_worker")
    fake = SimpleUploadedFile("report.jpg", b"%PDF-1.4 not an image", content_type="image/jpeg")
    data = {"place": f"h{cast.household.pk}", "found": "", "photos": [fake, jpeg()]}
    refused = client.post(f"/territory/grids/{cast.grid.pk}/visits/", data)
    errors = refused.context["form"].errors
    assert set(errors) == {"found", "photos"}
    assert "report.jpg" in errors["photos"][0] and "不是" in errors["photos"][0]
    assert len(kept_names(refused.content.decode())) == 1
    # Nothing chosen, nothing kept and nothing said of the photos.
    again = client.post(f"/territory/grids/{cast.grid.pk}/visits/", {**data, "photos": []})
    assert set(again.context["form"].errors) == {"found"} and kept_names(again.content.decode()) == []


def test_a_grid_worker_starts_a_visit_from_a_resident_s_page_with_their_household_chosen(
    cast: Cast, client_for: Any
) -> None:
    # Standing with a resident, the grid worker logs the visit from the resident's page: the same visit form as
    # the household's page, the resident's household already chosen.
    r = cast.resident_record
    page = client_for("grid_worker").get(f"/territory/residents/{r.pk}/").content.decode()
    link = f'href="/territory/grids/{cast.grid.pk}/visits/?household={r.household_id}"'
    assert link in page and "登记走访" in page
    form = client_for("grid_worker").get(
        f"/territory/grids/{cast.grid.pk}/visits/?household={r.household_id}"
    )
    assert f'value="h{r.household_id}" selected' in form.content.decode()
    # A reader who may not log visits sees no such button.
    reader = client_for("street_officer").get(f"/territory/residents/{r.pk}/").content.decode()
    assert link not in reader


def test_the_visit_form_groups_the_grid_s_households_by_building(cast: Cast, client_for: Any) -> None:
    # A grid holds hundreds of households: on a phone the list is grouped by building, so one scrolls to the
    # building, then the room; the chosen option still says which building it is.
    home = second_building_home(cast)
    page = client_for("grid_worker").get(f"/territory/grids/{cast.grid.pk}/visits/?new=1").content.decode()
    select = page[page.index('name="place"') : page.index("</select>", page.index('name="place"'))]
    groups = re.findall(r'<optgroup label="([^"]+)">', select)
    assert groups[:2] == [cast.building.name, "9号楼"]
    assert f'<option value="h{home.pk}">9号楼 101</option>' in select
    # A building with entrances (单元) names them: the same room of 1单元 and of 2单元 are two homes.
    room = cast.household.room
    entrance = Entrance.objects.get(building=cast.building, number=2)
    entered = services.household_create(
        actor=None, building=cast.building, code="H010", room=room, entrance=entrance
    )
    again = client_for("grid_worker").get(f"/territory/grids/{cast.grid.pk}/visits/?new=1").content.decode()
    assert f'<option value="h{entered.pk}">{cast.building.name} 2单元{room}</option>' in again
    client = client_for("grid_worker")
    response = client.post(
        f"/territory/grids/{cast.grid.pk}/visits/", {"place": f"h{home.pk}", "found": "九号楼走访"}
    )
    assert response.status_code == 302 and Visit.objects.get().household == home


def test_a_visit_without_what_was_found_keeps_the_form(cast: Cast, client_for: Any) -> None:
    data = {"place": f"h{cast.household.pk}", "found": "", "follow_up": "再去一次"}
    response = client_for("grid_worker").post(f"/territory/grids/{cast.grid.pk}/visits/", data)
    assert response.status_code == 422
    assert "再去一次" in response.content.decode()
    assert not Visit.objects.exists()


def test_a_bad_photo_is_refused_and_nothing_is_logged(cast: Cast, client_for: Any) -> None:
    data = {
        "place": f"h{cast.household.pk}",
        "found": "走访正常",
        "photos": [SimpleUploadedFile("x.jpg", b"not a photo", content_type="image/jpeg")],
    }
    response = client_for("grid_worker").post(f"/territory/grids/{cast.grid.pk}/visits/", data)
    assert response.status_code == 422
    assert not Visit.objects.exists()


def test_the_grid_worker_logs_and_sees_visits_only_in_their_own_grid(
    cast: Cast, client_for: Any, neighbour: Neighbour
) -> None:
    theirs = services.visit_log(actor=None, household=neighbour.household, found="邻网格走访记录")
    client = client_for("grid_worker")
    assert client.get(f"/territory/visits/{theirs.pk}/").status_code == 404
    assert client.get(f"/territory/grids/{neighbour.grid.pk}/visits/").status_code == 404
    assert "邻网格走访记录" not in client.get(f"/territory/grids/{cast.grid.pk}/visits/").content.decode()
    with pytest.raises(NotFound):
        services.visit_log(actor=cast.grid_worker, household=neighbour.household, found="越界走访")
    # Naming the neighbour's household on one's own grid's page is not a choice either.
    data = {"place": f"h{neighbour.household.pk}", "found": "越界走访"}
    assert client.post(f"/territory/grids/{cast.grid.pk}/visits/", data).status_code == 422
    assert Visit.objects.count() == 1


def test_a_building_captain_visits_their_building_only(cast: Cast, neighbour: Neighbour) -> None:
    captain = make_user("captain", Role.BUILDING_CAPTAIN, node=cast.compound, building=cast.building)
    own = services.visit_log(actor=captain, household=cast.household, found="楼内走访：一切正常")
    assert own.visitor == captain
    home = second_building_home(cast)
    with pytest.raises(NotFound):
        services.visit_log(actor=captain, household=home, found="别的楼走访")
    other_visit = services.visit_log(actor=None, household=home, found="别的楼的记录")
    assert signed_in(captain).get(f"/territory/visits/{other_visit.pk}/").status_code == 404
    assert signed_in(captain).get(f"/territory/visits/{own.pk}/").status_code == 200


def test_roles_that_only_read_may_not_log_visits(cast: Cast) -> None:
    with pytest.raises(PermissionDenied):
        services.visit_log(actor=cast.street_officer, household=cast.household, found="街道来访")


def test_a_visit_names_a_household_or_a_venue_and_lies_in_the_recent_past(cast: Cast) -> None:
    venue = shop(cast)
    with pytest.raises(ValidationFailed):
        services.visit_log(actor=None, household=cast.household, venue=venue, found="两处都写了")
    with pytest.raises(ValidationFailed):
        services.visit_log(
            actor=None, venue=venue, found="未来的走访", visited_at=timezone.now() + dt.timedelta(days=1)
        )
    visit = services.visit_log(actor=None, venue=venue, found="后厨灭火器过期")
    assert visit.grid == cast.grid


def test_the_visit_log_page_reads_with_a_fixed_number_of_queries(
    cast: Cast, client_for: Any, django_assert_max_num_queries: Any
) -> None:
    for i in range(12):
        services.visit_log(actor=None, household=cast.household, found=f"第{i}次走访记录")
    client = client_for("grid_worker")
    with django_assert_max_num_queries(14):
        assert client.get(f"/territory/grids/{cast.grid.pk}/visits/").status_code == 200


# ---------------------------------------------------------------------------------------------- API


def test_the_api_logs_a_visit_and_keeps_the_venues(cast: Cast, client_for: Any, neighbour: Neighbour) -> None:
    client = client_for("grid_worker")
    created = client.post(
        f"/api/grids/{cast.grid.pk}/venues",
        {"category": "ebike_charger", "name": "1号楼充电桩", "lng": 116.401, "lat": 39.901},
        content_type="application/json",
    )
    assert created.status_code == 201, created.json()
    venue_id = created.json()["id"]
    patched = client.patch(f"/api/venues/{venue_id}", {"state": "broken"}, content_type="application/json")
    assert patched.json()["state"] == "broken"
    assert client.get(f"/api/grids/{cast.grid.pk}/venues").json()["items"][0]["name"] == "1号楼充电桩"
    logged = client.post(
        "/api/visits",
        {"venue_id": venue_id, "found": "充电桩插口损坏", "follow_up": "报修"},
        content_type="application/json",
    )
    assert logged.status_code == 201 and logged.json()["place"] == "1号楼充电桩"
    done = client.post(f"/api/visits/{logged.json()['id']}/follow-up-done")
    assert done.json()["follow_up_done_at"] is not None
    bad = client.post(
        "/api/visits", {"household_id": cast.household.pk, "found": "短"}, content_type="application/json"
    )
    assert bad.status_code == 422 and bad.json()["code"] == "invalid"
    other = client.post(
        "/api/visits",
        {"household_id": neighbour.household.pk, "found": "越界走访"},
        content_type="application/json",
    )
    # A household outside the worker's grid, named in the body: refused on its field (it was a 404).
    assert other.status_code == 422 and list(other.json()["extra"]["fields"]) == ["household_id"]
    assert client.get(f"/api/grids/{neighbour.grid.pk}/visits").status_code == 404


def test_a_grids_venues_and_visits_go_a_page_at_a_time(cast: Cast, client_for: Any) -> None:
    """Read page by page, every venue and visit comes once and the last is reached (they stopped at 500)."""
    for i in range(3):
        shop(cast, name=f"{i}号商铺")
        services.visit_log(actor=None, household=cast.household, found=f"第{i}次走访记录")
    client = client_for("grid_worker")
    counts, names = api_pages(client, f"/api/grids/{cast.grid.pk}/venues", key="name")
    assert counts == [3, 3] and names == ["0号商铺", "1号商铺", "2号商铺"]
    counts, found = api_pages(client, f"/api/grids/{cast.grid.pk}/visits", key="found")
    assert counts == [3, 3] and found == ["第2次走访记录", "第1次走访记录", "第0次走访记录"]  # newest first


def test_the_venue_list_filters_by_the_kinds_the_grid_has(cast: Cast, client_for: Any) -> None:
    shop(cast)
    shop(cast, category="fire_hydrant", name="3号消火栓")
    client = client_for("grid_worker")
    page = client.get(f"/territory/grids/{cast.grid.pk}/venues/").content.decode()
    assert "老王面馆" in page and "3号消火栓" in page
    assert "?category=fire_hydrant" in page and "?category=street_lamp" not in page
    filtered = client.get(f"/territory/grids/{cast.grid.pk}/venues/?category=fire_hydrant").content.decode()
    assert "3号消火栓" in filtered and "老王面馆" not in filtered


def test_the_grid_api_gives_the_things_and_events_counts(cast: Cast, client_for: Any) -> None:
    shop(cast, state="broken")
    services.visit_log(actor=None, household=cast.household, found="走访正常无异常", follow_up="下周再访")
    profile = client_for("grid_worker").get(f"/api/grids/{cast.grid.pk}").json()["profile"]
    assert {
        k: profile[k] for k in ("venues", "small_venues", "venue_problems", "visits_30d", "follow_ups_open")
    } == {
        "venues": 1,
        "small_venues": 1,
        "venue_problems": 1,
        "visits_30d": 1,
        "follow_ups_open": 1,
    }


def test_a_venues_visits_go_page_by_page(
    cast: Cast, client_for: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A venue's page lists every visit to it with the shared pager (it stopped at the 20th, saying nothing)."""
    from linli.territory import field_views

    monkeypatch.setattr(field_views, "VISITS_PER_PAGE", 2)
    venue = shop(cast)
    for i in range(3):
        services.visit_log(actor=None, venue=venue, found=f"第{i}次检查灭火器")
    client = client_for("grid_worker")
    url = f"/territory/venues/{venue.pk}/"
    first = client.get(url).content.decode()
    assert "第2次检查灭火器" in first and "第1次检查灭火器" in first and "第0次检查灭火器" not in first
    assert "第 1 / 2 页，共 3 条" in first and 'href="?page=2"' in first
    assert "第0次检查灭火器" in client.get(url, {"page": 2}).content.decode()


def test_a_households_page_and_the_api_list_the_visits_to_it(cast: Cast, client_for: Any) -> None:
    """At the door, the grid worker reads what was found last time and what is still to follow up."""
    services.visit_log(actor=None, household=cast.household, found="老人腿脚不便", follow_up="联系助餐")
    other = second_building_home(cast)
    services.visit_log(actor=None, household=other, found="别家的走访记录")
    client = client_for("grid_worker")
    page = client.get(f"/territory/households/{cast.household.pk}/").content.decode()
    assert "老人腿脚不便" in page and "联系助餐" in page and "别家的走访记录" not in page
    # On the card's padding (a table card's list lay flush against its edge), as on a venue's page.
    assert '<section class="card" id="household-visits">' in page
    venue = client.get(f"/territory/venues/{shop(cast, name='小卖部').pk}/").content.decode()
    assert '<section class="card" id="venue-visits">' in venue
    body = client.get(f"/api/households/{cast.household.pk}/visits").json()
    assert body["count"] == 1 and body["items"][0]["found"] == "老人腿脚不便"
    assert client.get(f"/api/households/{cast.other_resident_record.household_id}/visits").status_code == 404


def test_a_visit_photo_is_kept_without_the_phones_position_and_a_bomb_is_refused(cast: Cast) -> None:
    """A visit's photos are checked and stored as every other photo (core.photos): the phone's EXIF (its GPS
    position, its make) is not kept, and a small file declaring more pixels than any camera is refused unopened."""
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif.get_ifd(0x8825)[2] = (39.0, 54.0, 0.0)  # GPSLatitude
    buf = io.BytesIO()
    Image.new("RGB", (48, 32), (200, 80, 40)).save(buf, "JPEG", exif=exif)
    taken = SimpleUploadedFile("taken.jpg", buf.getvalue(), content_type="image/jpeg")
    visit = services.visit_log(actor=None, household=cast.household, found="走访正常", photos=[taken])
    with visit.photos.get().image.open("rb") as stored, Image.open(stored) as kept:
        assert kept.size == (48, 32)
        assert not kept.getexif().get_ifd(0x8825) and 0x010F not in kept.getexif()

    bomb = io.BytesIO()
    Image.new("1", (8000, 6000)).save(bomb, "PNG")  # 48 megapixels in a few kilobytes
    with pytest.raises(ValidationFailed) as refused:
        services.visit_log(
            actor=None,
            household=cast.household,
            found="走访正常",
            photos=[SimpleUploadedFile("big.png", bomb.getvalue(), content_type="image/png")],
        )
    assert refused.value.extra["field"] == "photos" and "像素过多" in str(refused.value)
    assert Visit.objects.count() == 1
