from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

from django.test import Client
from django.utils import timezone

from linli.places import services
from linli.places.models import Activity, Place
from linli.territory.models import Road
from linli.testing import Cast

HOURS = {str(d): [["00:00", "24:00"]] for d in range(7)}


def crowd(place: Place, n: int, *, every: dt.timedelta, title: str) -> None:
    """`n` activities at `place`, one starting every `every` from an hour ahead, titled `title.format(i)`."""
    now = timezone.now()
    Activity.objects.bulk_create(
        Activity(
            place=place, title=title.format(i), starts_at=now + every * (i + 1), ends_at=now + every * (i + 2)
        )
        for i in range(n)
    )


def make(cast: Cast, **extra: object) -> Place:
    fields = {
        "kind": "station",
        "name": "幸福社区服务站",
        "address": "和平路1号",
        "lng": 116.398,
        "lat": 39.902,
    }
    return services.place_create(
        actor=cast.community_worker,
        org_node_id=cast.community.pk,
        opening_hours=HOURS,
        **{**fields, **extra},  # type: ignore[arg-type]
    )


def test_staff_pages(
    cast: Cast, roads: list[Road], client_for: Callable[[str], Client], django_assert_max_num_queries
) -> None:  # type: ignore[no-untyped-def]
    place = make(cast)
    client = client_for("community_worker")
    with django_assert_max_num_queries(12):
        page = client.get("/places/")
    assert page.status_code == 200 and "幸福社区服务站" in page.content.decode()
    data = client.get("/places/map.json").json()
    assert data["features"][0]["properties"]["circles"]["15"]["type"] in ("Polygon", "MultiPolygon")
    assert client.get(f"/places/{place.pk}/").status_code == 200
    coverage = client.get("/places/coverage/?kind=station")
    assert coverage.status_code == 200 and "幸福社区" in coverage.content.decode()
    assert client_for("outsider").get(f"/places/{place.pk}/").status_code == 404
    # A resident who types or follows the app's address goes to the places near them, not to the staff 403 page.
    assert client_for("resident").get("/places/").headers["Location"] == "/places/near/"
    assert client_for("resident").get("/places/coverage/").status_code == 403
    none = (
        client_for("department_handler").get("/places/").content.decode()
    )  # none theirs: where residents look
    assert '社区工作者登记维护。<a href="/places/near/">查看居民身边的服务阵地</a>' in none


def test_a_grid_worker_sees_the_places_of_their_community_and_may_not_change_them(
    cast: Cast, client_for: Callable[[str], Client]
) -> None:
    """A place hangs on its community's node, above a grid worker's grid: they see it on the list, the map and its
    page (they send residents there), but only the community's staff manage it; another community's is not theirs."""
    place = make(cast)
    elsewhere = services.place_create(
        actor=cast.street_officer,
        org_node_id=cast.other_community.pk,
        opening_hours=HOURS,
        kind="station",
        name="别处服务站",
        address="和平路9号",
        lng=116.402,
        lat=39.905,
    )
    worker = client_for("grid_worker")
    listed = worker.get("/places/").content.decode()
    assert "幸福社区服务站" in listed and "别处服务站" not in listed
    mapped = worker.get("/places/map.json").json()["features"]
    assert [f["properties"]["name"] for f in mapped] == ["幸福社区服务站"]
    page = worker.get(f"/places/{place.pk}/")
    assert page.status_code == 200 and f"/places/{place.pk}/edit/" not in page.content.decode()
    assert worker.get(f"/places/{elsewhere.pk}/").status_code == 404
    assert worker.get(f"/places/{place.pk}/edit/").status_code == 403
    assert worker.post(f"/places/{place.pk}/edit/", {"name": "改名"}).status_code == 403
    place.refresh_from_db()
    assert place.name == "幸福社区服务站"


def test_the_staff_pages_name_what_their_figures_count(
    cast: Cast, roads: list[Road], client_for: Callable[[str], Client]
) -> None:
    """The list's open-or-closed column is 当前状态 (it borrowed the register's 现有, "on the books"); the coverage
    page and the overview's panel count households with an elderly resident living alone or a child under 3, and
    say so (独居老人户, 3岁以下婴幼儿户), where their columns named the people (独居老人, 3岁以下婴幼儿)."""
    make(cast)
    client = client_for("community_worker")
    listed = client.get("/places/").content.decode()
    assert "<th>当前状态</th>" in listed and 'data-label="当前状态"' in listed and "现有" not in listed
    for path in ("/places/coverage/?kind=station", "/dashboard/"):
        page = client.get(path).content.decode()
        assert "<th>独居老人户</th>" in page and "<th>3岁以下婴幼儿户</th>" in page, path
        assert "<th>独居老人</th>" not in page and "<th>3岁以下婴幼儿</th>" not in page, path


def test_adding_a_place_through_the_form(
    cast: Cast, roads: list[Road], client_for: Callable[[str], Client]
) -> None:
    client = client_for("community_worker")
    form = {
        "org_node": cast.community.pk,
        "kind": "canteen",
        "name": "幸福食堂",
        "address": "和平路5号",
        "lng": "116.401",
        "lat": "39.902",
        "services": "老年助餐\n送餐上门",
        "opening_hours": "10:30-13:00, 16:30-18:30",
    }
    bad = client.post("/places/new/", {**form, "opening_hours": "中午"})
    assert (
        bad.status_code == 422
        and "08:30-17:30" in bad.content.decode()
        and "幸福食堂" in bad.content.decode()
    )
    # The place is clicked on the map (hidden lng and lat), never typed; without it, nothing typed is lost.
    page = client.get("/places/new/").content.decode()
    assert '<label for="id_name">名称</label>' in page and 'data-mode="pick"' in page
    assert '<input type="hidden" name="lng"' in page and 'data-lng-input="id_lng"' in page
    refused = client.post("/places/new/", {**form, "lng": "", "lat": ""})
    unplaced = refused.content.decode()
    assert (
        refused.status_code == 422
        and unplaced.count("请在地图上选择地点。") == 1
        and "幸福食堂" in unplaced
        and "和平路5号" in unplaced
    )
    assert not Place.objects.exists()
    done = client.post("/places/new/", form)
    place = Place.objects.get()
    assert done.status_code == 302 and done["Location"] == f"/places/{place.pk}/"
    assert place.service_list == ["老年助餐", "送餐上门"] and place.circles


def test_residents_find_places_near_them(cast: Cast, client: Client) -> None:
    make(cast)
    make(cast, name="远处的卫生站", kind="clinic", lng=116.45, lat=39.95)
    page = client.get("/places/near/?lng=116.4475&lat=39.95").content.decode()
    assert page.index("远处的卫生站") < page.index("幸福社区服务站")
    assert "正在开放" in page
    only = client.get("/places/near/?kind=clinic").content.decode()
    assert "幸福社区服务站" not in only


def two_centres(cast: Cast) -> None:
    """A party centre in each community: 幸福社区党群服务中心 (the cast's) and 光明社区党群服务中心 (the other)."""
    make(cast, name="幸福社区党群服务中心", kind="party_centre")
    services.place_create(
        actor=cast.outsider,
        org_node_id=cast.other_community.pk,
        kind="party_centre",
        name="光明社区党群服务中心",
        address="光明路1号",
        lng=116.41,
        lat=39.91,
        opening_hours=HOURS,
    )


def test_a_worker_opening_places_near_me_looks_from_a_centre_of_their_own_community(
    cast: Cast, client: Client, client_for: Callable[[str], Client]
) -> None:
    """Without a position or a home, "near me" measures from a party centre: for a community worker, their own
    community's (it was the first of the district's, another community's for every worker but one)."""
    two_centres(cast)
    for who, centre in (("community_worker", "幸福社区党群服务中心"), ("outsider", "光明社区党群服务中心")):
        page = client_for(who).get("/places/near/").content.decode()
        assert f"按离{centre}的距离由近到远排列。" in page, who
    first = (
        "光明社区党群服务中心" if cast.other_community.path < cast.community.path else "幸福社区党群服务中心"
    )
    assert f"按离{first}的距离由近到远排列。" in client.get("/places/near/").content.decode()


def test_a_grid_worker_opening_places_near_me_looks_from_their_grid(
    cast: Cast, client_for: Callable[[str], Client]
) -> None:
    """A grid worker's area is a compound, which holds no centre: "near me" measured from the district's first centre
    (another community's, in the demo), so their own community's places came after far ones. It is measured from their
    grid, and for a worker of the compound without a grid from the nearest centre above (their community's)."""
    two_centres(cast)
    worker = client_for("grid_worker")
    assert "按离阳光一网格的距离由近到远排列。" in worker.get("/places/near/").content.decode()
    cast.grid.workers.remove(cast.grid_worker)
    assert "按离幸福社区党群服务中心的距离由近到远排列。" in worker.get("/places/near/").content.decode()


def test_residents_keep_to_the_places_within_a_15_minute_walk(cast: Cast, client: Client) -> None:
    make(cast)
    make(cast, name="远处的卫生站", kind="clinic", lng=116.45, lat=39.95)  # some 7 km away
    near = "/places/near/?lng=116.399&lat=39.902"
    everything = client.get(near).content.decode()
    assert "幸福社区服务站" in everything and "远处的卫生站" in everything
    within = client.get(near + "&within=15").content.decode()
    assert "幸福社区服务站" in within and "远处的卫生站" not in within
    assert 'name="within" value="15" id="near-within" checked' in within
    none = client.get(near + "&within=15&kind=clinic").content.decode()
    assert "远处的卫生站" not in none and "步行15分钟内没有这类阵地。取消勾选即可查看更远的阵地。" in none


def test_a_place_opened_from_the_filtered_list_leads_back_to_the_same_list(
    cast: Cast, client: Client, client_for: Callable[[str], Client]
) -> None:
    """A resident who narrowed "near me" (a kind, open now, within a 15-minute walk, from where they are) and opened a
    place goes back to the same list from its page, and after following it: the back link dropped every choice."""
    place = make(cast)
    near = "/places/near/?lng=116.399&lat=39.902&kind=station&within=15&open="
    listed = client.get(near).content.decode()
    link = f"/places/near/{place.pk}/?from=kind%3Dstation%26within%3D15%26lng%3D116.399%26lat%3D39.902"
    assert f'href="{link}"' in listed
    page = client.get(link).content.decode()
    assert (
        'href="/places/near/?kind=station&amp;within=15&amp;lng=116.399&amp;lat=39.902">← 我身边的服务阵地'
        in page
    )
    # Anything else in `from` is left out: the link stays on "near me".
    odd = client.get(
        f"/places/near/{place.pk}/?from=//elsewhere.example/%3Fkind%3Dx%26next%3D/admin/"
    ).content
    assert 'href="/places/near/">← 我身边的服务阵地' in odd.decode()
    assert (
        'href="/places/near/">← 我身边的服务阵地' in client.get(f"/places/near/{place.pk}/").content.decode()
    )
    followed = client_for("resident").post(link.replace("/?from=", "/follow/?from="))
    assert followed.status_code == 302 and followed["Location"] == link


def test_every_activity_of_the_week_is_reached_page_by_page(cast: Cast, client: Client) -> None:
    """A busy week at the places near a resident: what is on goes page by page, the choices above kept."""
    crowd(make(cast), 45, every=dt.timedelta(hours=1), title="活动{:02d}")
    first = client.get("/places/near/?kind=station").content.decode()
    assert "活动00" in first and "活动29" in first and "活动30" not in first
    assert 'href="?kind=station&amp;week=2#on-this-week">下一页 ›</a>' in first
    assert "本周 45 项活动" in first  # the place's own count, all of them
    second = client.get("/places/near/?kind=station&week=2").content.decode()
    assert "活动44" in second and "活动29" not in second


def test_api(cast: Cast, roads: list[Road], client: Client, client_for: Callable[[str], Client]) -> None:
    place = make(cast)
    listed = client.get("/api/places/").json()
    assert listed[0]["name"] == "幸福社区服务站" and listed[0]["open_now"] is True
    detail = client.get(f"/api/places/{place.pk}").json()
    assert set(detail["circles"]) == {"5", "10", "15"}
    staff = client_for("street_officer")
    made = staff.post(
        "/api/places/",
        {
            "org_node_id": cast.community.pk,
            "kind": "clinic",
            "name": "卫生站",
            "address": "和平路2号",
            "lng": 116.4,
            "lat": 39.902,
        },
        content_type="application/json",
    )
    assert made.status_code == 201, made.content
    refused = client_for("grid_worker").post(
        "/api/places/",
        {
            "org_node_id": cast.compound.pk,
            "kind": "clinic",
            "name": "x",
            "address": "y",
            "lng": 116.4,
            "lat": 39.902,
        },
        content_type="application/json",
    )
    assert refused.status_code == 403
    rows = {r["kind"]: r for r in staff.get("/api/places/coverage/kinds").json()}
    assert rows["station"]["covered"] == 1 and rows["station"]["households"] == 2


def test_a_visitor_not_logged_in_sees_a_place_and_is_offered_to_log_in(cast: Cast, client: Client) -> None:
    """A resident signs in by phone: the link and the follow button lead to the phone sign-in (they led to the
    staff's user-name login, a resident's way in one more link away)."""
    place = make(cast)
    page = client.get(f"/places/near/{place.pk}/")
    assert page.status_code == 200
    assert f'href="/accounts/resident/login/?next=/places/near/{place.pk}/"' in page.content.decode()
    follow = f"/places/near/{place.pk}/follow/"
    assert client.post(follow)["Location"] == f"/accounts/resident/login/?next={follow}"


def test_a_form_address_opened_by_its_link_goes_to_the_page_of_its_form(
    cast: Cast, roads: list[Road], client_for: Callable[[str], Client], client: Client
) -> None:
    """The follow button's address reached by GET (a visitor signed in from it is sent back there) and the calendar's
    booking address reloaded after a refused booking open the page the form is on, not a 405."""
    place = make(cast)
    follow = f"/places/near/{place.pk}/follow/"
    assert (
        client.get(follow)["Location"] == f"/accounts/resident/login/?next={follow}"
    )  # a visitor signs in first
    resident = client_for("resident")
    opened = resident.get(follow)
    assert opened.status_code == 302 and opened["Location"] == f"/places/near/{place.pk}/"
    assert not place.subscriptions.exists()  # opening the address follows nothing
    booking = client_for("community_worker").get(f"/places/{place.pk}/activities/")
    assert booking.status_code == 302 and booking["Location"] == f"/places/{place.pk}/"


def test_the_place_form_map_names_the_streets_and_the_community_grids(
    cast: Cast, client_for: Callable[[str], Client]
) -> None:
    """What a venue's form map names (web/map.js): the street lines drawn when no tiles are set, and the grids of
    the place's community drawn bold (for a new place, of the community chosen first)."""
    place = make(cast)
    client = client_for("community_worker")
    for path in (f"/places/{place.pk}/edit/", "/places/new/"):
        page = client.get(path).content.decode()
        assert 'data-roads-url="/territory/map/roads.json"' in page, path
        assert 'data-grids-url="/territory/map/grids.json"' in page
        assert 'data-grid-code="G001"' in page


def test_a_refused_booking_says_so_at_the_top_of_the_page_and_keeps_what_was_typed(
    cast: Cast, client_for: Callable[[str], Client]
) -> None:
    """The calendar's form sits at the foot of a long page: a refused booking answers 422 with a banner at the top
    that leads down to the form, and the fields in error are marked, what was typed kept."""
    place = make(cast)
    refused = client_for("community_worker").post(
        f"/places/{place.pk}/activities/", {"title": "", "room": "二楼"}
    )
    body = refused.content.decode()
    assert refused.status_code == 422
    banner = body.index("请修改标出的内容，您已填写的内容都已保留。")
    assert banner < body.index('id="calendar"')
    assert '都已保留。<a href="#calendar">前往表单</a>' in body  # no space after 。
    assert 'value="二楼"' in body and body.count('class="field has-error"') >= 1
    # Core's fields (core/partials/field.html), as every form's: the required marked, the error under its field.
    assert re.search(
        r'<label for="id_title">活动</label><span class="req" aria-hidden="true">\*</span>', body
    )
    assert re.search(r'<ul class="errorlist" id="id_title_error" role="alert"><li>此项为必填项。</li>', body)


def test_the_kind_filters_are_fields_as_every_form_draws_them(
    cast: Cast, roads: list[Road], client: Client, client_for: Callable[[str], Client]
) -> None:
    """Core's forms.css styles a `.field`'s select and tick box: the kinds to show near a resident and on the
    coverage page were a browser's bare select beside styled buttons."""
    make(cast)
    near = client.get("/places/near/?lng=116.399&lat=39.902&within=15").content.decode()
    assert re.search(
        r'<label class="field pl-near-kind"><span>类型</span>\s*<select id="near-kind" name="kind"', near
    )
    assert re.search(r'<label class="check"><input type="checkbox" name="open"', near)
    assert 'name="within" value="15" id="near-within" checked' in near
    coverage = client_for("community_worker").get("/places/coverage/?kind=station").content.decode()
    assert re.search(r'<label class="field"><span>查看</span>\s*<select name="kind"', coverage)


def test_editing_a_place_refuses_bad_input_with_422_in_cores_fields_and_keeps_what_was_typed(
    cast: Cast, roads: list[Road], client_for: Callable[[str], Client]
) -> None:
    """The place's form is drawn by core's field partial (its tick box "in service" stood alone, centred under its
    label, and no field was marked required) and is refused with 422, as every form is."""
    place = make(cast)
    client = client_for("community_worker")
    page = client.get(f"/places/{place.pk}/edit/").content.decode()
    assert re.search(r'<label class="check" for="id_active"><input type="checkbox" name="active"', page)
    assert re.search(r'<label for="id_name">名称</label><span class="req"', page)
    refused = client.post(
        f"/places/{place.pk}/edit/",
        {
            "kind": "station",
            "name": "",
            "address": "和平路9号",
            "lng": "116.398",
            "lat": "39.902",
            "opening_hours": "",
        },
    )
    body = refused.content.decode()
    assert refused.status_code == 422 and "和平路9号" in body
    assert re.search(r'<ul class="errorlist" id="id_name_error" role="alert"><li>此项为必填项。</li>', body)
    place.refresh_from_db()
    assert place.name == "幸福社区服务站"


def test_the_resident_pages_call_a_place_a_阵地_as_the_staff_pages_do(
    cast: Cast, client: Client, client_for: Callable[[str], Client]
) -> None:
    """The staff's pages say 服务阵地 and 新增阵地; a resident's said 服务阵地 in the title and 场所 on the follow
    button (关注此场所), the map and the notes: one word for one thing."""
    place = make(cast)
    resident = client_for("resident")
    visitor_page = client.get(f"/places/near/{place.pk}/").content.decode()
    assert "登录后关注此阵地" in visitor_page
    page = resident.get(f"/places/near/{place.pk}/").content.decode()
    assert "关注此阵地" in page
    resident.post(f"/places/near/{place.pk}/follow/")
    followed = resident.get(f"/places/near/{place.pk}/").content.decode()
    assert "不再关注此阵地" in followed
    near = resident.get("/places/near/?lng=116.399&lat=39.902").content.decode()
    assert "我身边的服务阵地" in near
    for shown in (visitor_page, page, followed, near):
        assert "场所" not in shown
