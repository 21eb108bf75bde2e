"""On a phone (390 × 844, touch), what the shared stylesheets draw to be tapped is at least 44 px high: the logo, the
breadcrumbs (21 px), the org tree's rows and their links (21–38 px), the maps' zoom buttons (Leaflet's, 30 px), a
card heading's link and the links of a resident's short lists (20–24 px), a line of filter links (19 px), a section's tabs (42-43 px), and a
tick box or radio button with its label anywhere (core's choice boxes were already 44 px; the others 13–29 px).

And everything a grid worker, a community worker or a resident taps on the list pages of appeals, places,
volunteering, co-building, care and sensors (and a place's and a team's page): a table's links (16–24 px), a fact's
link (19–21 px), the fields of a list's filters (38–40 px), a number, a note or a photo given in a row (25 px), the
summary line that opens a fold (20–24 px), the title of an appeal or an activity in a list (24–27 px), a place's phone
number (20 px). A link inside a sentence is left as it is (WCAG's exception for inline links); Leaflet's attribution
too."""

from __future__ import annotations

from typing import Any

import pytest

from linli.testing import Cast
from linli.testing.browser import SCREENSHOTS, TAP, SignedInSession, short_targets

pytestmark = pytest.mark.browser


class Session(SignedInSession):
    shots, prefix = SCREENSHOTS, "web-phone-targets"


# Every visible link, button, field, summary or label holding a field on the page, as the person taps it (a field
# in a label through its label), less than TAP px high: "<what it says> <height>", with where it is.
SHORT_TARGETS = f"""() => {{
  const out = [], seen = new Set();
  for (const e of document.querySelectorAll('a[href], button, input:not([type=hidden]), select, textarea, summary, label')) {{
    if (!e.getClientRects().length || getComputedStyle(e).visibility === 'hidden') continue;
    if (e.closest('.leaflet-container') && !e.closest('.leaflet-control-zoom')) continue;
    if (e.tagName === 'LABEL' && !e.querySelector('input, select, textarea')) continue;
    const target = e.closest('label') || (e.labels && e.labels.length && ['checkbox', 'radio'].includes(e.type) && e.labels[0]) || e;
    if (seen.has(target)) continue;
    seen.add(target);
    const r = target.getBoundingClientRect();
    if (r.width < 2 && r.height < 2) continue;  // shown to a screen reader only
    const sentence = e.tagName === 'A' && e.closest('p');
    if (sentence && sentence.innerText.trim().length > e.innerText.trim().length + 8) continue;
    if (Math.max(r.height, e.getBoundingClientRect().height) < {TAP} - 0.5)
      out.push((target.innerText || e.name || e.className).trim().replace(/\\s+/g, ' ').slice(0, 20) + ' '
               + Math.round(r.height) + ' in ' + (target.parentElement.className || target.parentElement.tagName));
  }}
  return out;
}}"""


@pytest.fixture
def cast(transactional_db: None) -> Cast:
    """The cast, the resident having reported one problem (routed to the grid worker)."""
    from linli.appeals.tests.factories import submit
    from linli.testing import build_cast

    cast = build_cast()
    submit(cast)
    return cast


def _seed_lists(cast: Any) -> tuple[Any, Any]:
    """A row or two for each list: a place, a volunteering team and its open activity, two volunteers (one to add to
    the team); the place and the team."""
    import datetime as dt

    from django.utils import timezone

    from linli.places import services as places
    from linli.volunteers import services as volunteers

    place = places.place_create(
        actor=cast.community_worker,
        org_node_id=cast.community.pk,
        kind="station",
        name="幸福社区便民服务站",
        address="和平路1号",
        lng=116.402,
        lat=39.902,
        phone="010-65001234",
    )
    volunteer = volunteers.volunteer_enrol(actor=None, community=cast.community, name="王医生")
    volunteers.volunteer_enrol(actor=None, community=cast.community, name="李阿姨", skills="手工")
    team = volunteers.team_create(
        actor=None, community=cast.community, name="幸福环保队", colour="green", leader=volunteer
    )
    now = timezone.now().replace(second=0, microsecond=0)
    starts = now + dt.timedelta(days=2)
    activity = volunteers.activity_create(
        actor=None,
        community=cast.community,
        team=team,
        title="楼道堆物清理",
        place="阳光小区1号楼前",
        lng=116.402,
        lat=39.902,
        signup_opens_at=now - dt.timedelta(days=1),
        shifts=[volunteers.ShiftIn(starts, starts + dt.timedelta(hours=2), [("清理员", 4, "")])],
    )
    volunteers.activity_open(actor=None, activity=activity)
    return place, team


def test_the_list_pages_of_the_apps_have_targets_of_44_px_on_a_phone(
    live_server: Any, cast: Cast, browser: Any
) -> None:
    place, team = _seed_lists(cast)
    short: dict[str, list[str]] = {}
    for user, paths in (
        (cast.grid_worker, ["/appeals/workbench/"]),
        (
            cast.community_worker,
            [
                "/places/",
                "/volunteers/staff/",
                "/volunteers/staff/volunteers/",
                "/volunteers/staff/teams/",
                f"/volunteers/staff/teams/{team.pk}/",
                "/cobuild/staff/",
                "/care/children/",
                "/sensors/",
            ],
        ),
        (
            cast.resident,
            [
                "/appeals/mine/",
                "/places/near/",
                f"/places/near/{place.pk}/",
                "/volunteers/activities/",
                "/cobuild/",
            ],
        ),
    ):
        session = Session(browser, "phone", user, live_server.url)
        for path in paths:
            page = session.go(path)
            # What a fold hides is measured too: the workbench's filters, a form to add a place.
            page.eval_on_selector_all("details", "folds => folds.forEach(d => d.open = true)")
            short[f"{user.username} {path}"] = list(page.evaluate(SHORT_TARGETS))
        session.shot(user.username)
        session.close()
    assert short == {key: [] for key in short}


def test_a_community_worker_taps_targets_of_44_px_on_a_phone(
    live_server: Any, cast: Cast, browser: Any
) -> None:
    session = Session(browser, "phone", cast.community_worker, live_server.url)
    short: dict[str, list[str]] = {}
    page = session.go("/territory/tree/")
    assert page.locator(".tree-grid a").count() >= 1
    short["logo"] = short_targets(page, ".brand")
    short["tree"] = short_targets(page, ".tree-node summary, .tree-node summary a, .tree-grid a")
    session.shot("tree")

    page = session.go(f"/territory/buildings/{cast.building.pk}/")
    assert page.locator(".crumbs a").count() >= 1
    short["crumbs"] = short_targets(page, ".crumbs a")
    session.shot("crumbs")

    page = session.go("/territory/map/")
    page.wait_for_selector(".leaflet-control-zoom a")
    short["zoom"] = short_targets(page, ".leaflet-control-zoom a", wide=True)
    session.shot("map")

    page = session.go("/cobuild/staff/")
    assert page.locator("nav.page-filters a").count() >= 2
    short["filters"] = short_targets(page, "nav.page-filters a")

    page = session.go("/appeals/workbench/")
    assert page.locator("input[type=checkbox]").count() >= 1
    short["ticks"] = short_targets(page, "input[type=checkbox], input[type=radio]")
    short["appeals tabs"] = short_targets(page, ".ap-tabs a")
    session.shot("workbench")

    # The sections' tabs: appeals' own, and the places', sensors' and deliberation's, now core's page-tabs (their
    # copies were 42-43 px).
    for path in ("/places/", "/sensors/", "/deliberation/"):
        page = session.go(path)
        assert page.locator(".page-tabs a").count() >= 2, path
        short[path] = short_targets(page, ".page-tabs a")
    session.close()
    assert short == {key: [] for key in short}


def test_a_resident_taps_targets_of_44_px_on_a_phone(live_server: Any, cast: Cast, browser: Any) -> None:
    from linli.volunteers import services as volunteers

    volunteers.volunteer_enrol(
        actor=None, community=cast.community, name="居民一", account_id=cast.resident.pk
    )
    session = Session(browser, "phone", cast.resident, live_server.url)
    page = session.go("/")
    assert page.locator(".home-list li > a").count() >= 1
    assert short_targets(page, ".brand, .card-head a, .home-list li > a") == []
    session.shot("home")
    # The way on from an empty list (找活动 with no shift coming up, 点单服务 with no order yet): it was 21 px high.
    short: dict[str, list[str]] = {}
    for path in ("/volunteers/", "/volunteers/mine/", "/cobuild/orders/"):
        page = session.go(path)
        assert page.locator(".empty > a").count() == 1, path
        short[path] = short_targets(page, ".empty > a")
    session.shot("volunteering")
    session.close()
    assert short == {key: [] for key in short}


def test_the_labels_of_the_shared_form_fields_are_44_px_high_on_a_phone(
    live_server: Any, cast: Cast, browser: Any
) -> None:
    """Every label in the forms of several apps (core's field partial: a field's name over its field, a tick box's or
    radio button's words beside it) is a target of TAP px on a phone: a field's name was its line of text, 20 px."""
    from linli.deliberation.tests.conftest import build_hall, vote_of

    hall = build_hall(cast)
    vote = vote_of(cast, "single", "活动室开放时间", ("上午", "晚上"))
    short: dict[str, list[str]] = {}
    for user, paths in (
        # Reporting a problem; signing up as a volunteer; a vote of the residents' hall.
        (hall.residents[1], ["/appeals/new/", "/volunteers/", f"/deliberation/hall/votes/{vote.pk}/"]),
        # A care case; a new vote of the hall.
        (cast.community_worker, ["/care/cases/new/", "/deliberation/votes/new/"]),
    ):
        session = Session(browser, "phone", user, live_server.url)
        for path in paths:
            page = session.go(path)
            assert page.locator("main .field label").count() >= 2, path
            short[path] = short_targets(page, "label, input, select, textarea", within="main")
        session.shot(f"labels-{user.username}")
        session.close()
    assert short == {key: [] for key in short}
