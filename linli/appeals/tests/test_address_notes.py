"""Query-string values the staff lists do not understand. A community worker or a department's handler opening a
list with ?grid=999999, ?category=abc, ?dept=-1, ?page=xyz or ?organisation=0 gets the list, the filters understood
applied, and a note in Chinese saying what was left out (a wrong filter dropped every other filter, a department's
handler saw ?grid=999999 silently ignored, a page number not understood gave page 1 without a word); the API's
lists answer 422 naming the parameter, the figures too (a node out of scope was a 404)."""

from __future__ import annotations

import re
from typing import Any

import pytest

from linli.appeals import services
from linli.appeals.models import Appeal
from linli.appeals.tests.factories import submit
from linli.testing import Cast

NOT_TAKEN = "“{}”不是这份列表的筛选条件，未采用。"


def _notes(response: Any) -> list[str]:
    assert response.status_code == 200
    html = response.content.decode()
    block = re.search(
        r'<div class="msg ap-address-notes" role="status" id="address-notes">(.*?)</div>', html, re.S
    )
    return re.findall(r"<li>(.*?)</li>", block.group(1)) if block else []


def _numbers(response: Any) -> set[str]:
    return set(re.findall(r"LL\d{8}-\d{6}", response.content.decode()))


@pytest.fixture
def open_and_resolved(cast: Cast) -> tuple[Appeal, Appeal]:
    lamp = submit(cast, title="楼道灯坏了", description="3号楼楼道灯坏了，晚上很黑，请尽快处理。")
    done = submit(cast, title="井盖松动", description="小区东门井盖松动，踩上去会响，请处理。")
    services.appeal_acknowledge(actor=cast.grid_worker, appeal=done)
    services.appeal_resolve(actor=cast.grid_worker, appeal=done, note="已更换井盖并固定。")
    return lamp, done


def test_the_workbench_lists_with_the_filters_understood_and_says_what_it_left_out(
    cast: Cast, client_for: Any, open_and_resolved: tuple[Appeal, Appeal]
) -> None:
    _lamp, done = open_and_resolved
    community = client_for("community_worker")
    page = community.get(
        "/appeals/workbench/?tab=all&state=resolved&grid=999999&category=abc&dept=-1&organisation=0&page=xyz"
    )
    assert _numbers(page) == {done.tracking_number}  # the state understood still narrows the list
    assert _notes(page) == [
        "分类：没有编码为 abc 的分类。",
        "网格：找不到您可查看的网格 999999。",
        "页码“xyz”无法识别，显示的是第 1 页（共 1 页）。",
        NOT_TAKEN.format("dept=-1"),
        NOT_TAKEN.format("organisation=0"),
    ]
    assert "地址中有些内容未能识别，下面的列表没有采用：" in page.content.decode()
    assert _notes(community.get("/appeals/workbench/?tab=all&state=resolved&page=1")) == []
    # A tab that lists what waits takes no filter; one past its last page shows the last.
    parts = community.get("/appeals/workbench/?tab=callbacks&grid=999999&callbacks=5")
    assert _notes(parts) == ["没有第 5 页，显示的是第 1 页（共 1 页）。", NOT_TAKEN.format("grid=999999")]


def test_a_department_s_handler_is_told_of_a_grid_and_a_tab_that_are_not_theirs(
    cast: Cast, client_for: Any, open_and_resolved: tuple[Appeal, Appeal]
) -> None:
    department = client_for("department_handler")
    assert _notes(department.get("/appeals/workbench/?grid=999999&dept=-1")) == [
        "网格：找不到您可查看的网格 999999。",
        NOT_TAKEN.format("dept=-1"),
    ]
    own = department.get(
        f"/appeals/workbench/?grid={cast.grid.code}"
    )  # a grid of the tree: not theirs either
    assert _notes(own) == [f"网格：找不到您可查看的网格 {cast.grid.code}。"]
    assert _notes(department.get("/appeals/workbench/?tab=supervise&page=-1")) == [
        "这里没有“supervise”这一栏，显示的是“我的待办”。",
        "没有第 -1 页，显示的是第 1 页（共 1 页）。",
    ]


@pytest.mark.parametrize(
    ("path", "said"),
    [
        ("/appeals/catalogue/?page=xyz", ["页码“xyz”无法识别，显示的是第 1 页（共 1 页）。"]),
        ("/appeals/topics/?topics=3&organisation=0", ["没有第 3 页，显示的是第 1 页（共 1 页）。", NOT_TAKEN.format("organisation=0")]),
        ("/appeals/qr/?page=0&dept=-1", ["没有第 0 页，显示的是第 1 页（共 1 页）。", NOT_TAKEN.format("dept=-1")]),
        ("/appeals/inbox/?page=abc", ["页码“abc”无法识别，显示的是第 1 页（共 1 页）。"]),
    ],
)  # fmt: skip
def test_the_other_staff_lists_say_a_page_or_a_parameter_they_did_not_understand(
    cast: Cast, client_for: Any, path: str, said: list[str]
) -> None:
    services.catalogue_create_default()
    assert _notes(client_for("community_worker").get(path)) == said


def test_the_api_refuses_a_filter_it_does_not_understand_naming_the_parameter(
    cast: Cast, client_for: Any, open_and_resolved: tuple[Appeal, Appeal]
) -> None:
    figures = "/api/appeals/figures?start=2026-01-01&end=2026-12-31"
    for persona in ("community_worker", "department_handler"):
        client = client_for(persona)
        for query, field, words in (
            ("/api/appeals/?grid=999999", "grid", "找不到您可查看的网格 999999。"),
            ("/api/appeals/?category=abc", "category", "没有编码为 abc 的分类。"),
            ("/api/appeals/?state=resolved&kind=nope", "kind", "“nope”不是可选的值。"),
            (f"{figures}&node=999999", "node", "999999"),
            (f"{figures}&organisation=0", "organisation", "0"),
        ):
            refused = client.get(query)
            assert refused.status_code == 422, (persona, query)
            fields = refused.json()["extra"]["fields"]
            assert list(fields) == [field] and words in fields[field][0], (persona, query, fields)
    # A unit's own figures, or a department the worker dispatches to, are given.
    own = client_for("department_handler").get(f"{figures}&organisation={cast.department.pk}")
    assert own.status_code == 200
    assert (
        client_for("community_worker").get(f"{figures}&organisation={cast.department.pk}").status_code == 200
    )
