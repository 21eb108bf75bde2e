"""The staff's lists on a phone: fifteen compact rows to a page, the pages' links keeping the list's filter, the
filters first; the picking map of the need and resource forms opens on the worker's community."""

from __future__ import annotations

from django.urls import reverse

from linli.cobuild import services
from linli.territory.models import Grid

from .conftest import World, grid_visit, make_resource


def test_the_order_board_pages_fifteen_orders_and_keeps_the_state_on_its_pages(
    world: World, client_for
) -> None:  # type: ignore[no-untyped-def]
    """Thirty cards a page read as eight screens on a phone, and the page links were ‹ and › only."""
    numbers = [
        services.order_place(actor=world.cast.resident, item=world.repair, note=f"第{i}单").number
        for i in range(17)
    ]
    cw = client_for("community_worker")
    page = cw.get(reverse("cobuild:staff_orders"), {"state": "ordered"}).content.decode()
    assert sum(n in page for n in numbers) == 15
    assert "cb-compact" in page and "第 1 / 2 页，共 17 条" in page
    assert 'href="?state=ordered&amp;page=2">下一页 ›' in page
    rest = cw.get(reverse("cobuild:staff_orders"), {"state": "ordered", "page": 2}).content.decode()
    assert sum(n in rest for n in numbers) == 2 and "‹ 上一页" in rest
    # The menu below the list is a tap away from the top.
    assert 'href="#menu"' in page and 'id="menu"' in page


def test_the_resources_list_filters_by_category_with_counts(world: World, client_for) -> None:  # type: ignore[no-untyped-def]
    make_resource(world.cast, name="陪诊", provider_name="爱心陪诊队", category="elderly", skills="陪诊")
    cw = client_for("community_worker")
    page = cw.get(reverse("cobuild:staff_resources")).content.decode()
    assert "小修小补（2）" in page and "养老服务（1）" in page
    elderly = cw.get(reverse("cobuild:staff_resources"), {"category": "elderly"}).content.decode()
    assert "爱心陪诊队" in elderly and "远方维修" not in elderly
    # The add form is a tap away from the top of the list.
    assert 'href="#new">＋ 添加资源' in page and 'id="new"' in page


def test_the_picking_map_opens_on_the_workers_community(world: World, client_for) -> None:  # type: ignore[no-untyped-def]
    """It opened on the whole district, forty grids for a worker who serves one community of five."""
    codes = sorted(
        Grid.objects.filter(
            org_node__path__startswith=world.cast.community.path, parent_grid__isnull=True
        ).values_list("code", flat=True)
    )
    assert codes
    for name in ("cobuild:staff_needs", "cobuild:staff_resources"):
        page = client_for("community_worker").get(reverse(name)).content.decode()
        assert f'data-grid-code="{",".join(codes)}"' in page, name
    # One who offers several communities (the street) sees the whole district, as drawn.
    street = client_for("street_officer").get(reverse("cobuild:staff_needs")).content.decode()
    assert 'data-grid-code=""' in street


def test_the_needs_list_is_found_at_its_neighbours_address_too(world: World, client_for) -> None:  # type: ignore[no-untyped-def]
    """staff/resources/, staff/projects/ … but the needs list at staff/: staff/needs/ was a page not found."""
    r = client_for("community_worker").get("/cobuild/staff/needs/?state=open")
    assert r.status_code == 302 and r.url == f"{reverse('cobuild:staff_needs')}?state=open"


def test_the_form_putting_a_visit_on_the_needs_list_leads_back_to_the_visit(world: World, client_for) -> None:  # type: ignore[no-untyped-def]
    """A grid worker who opened the form from a visit had no way back but the browser's."""
    visit = grid_visit(world)
    page = client_for("grid_worker").get(reverse("cobuild:need_from_visit", args=[visit.pk])).content.decode()
    assert f'href="{reverse("territory:visit", args=[visit.pk])}">← 返回走访记录' in page
