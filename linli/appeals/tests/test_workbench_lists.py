"""The workbench's lists go a page at a time with the shared pager: with more rows than a page, the last row is
one 下一页 away, and moving through one list of a tab keeps the others where they were."""

from __future__ import annotations

import html
import re
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from linli.appeals import selectors, services
from linli.appeals.jobs import JOBS
from linli.appeals.models import Appeal, CallbackTask
from linli.appeals.tests.factories import at_community, resolve_by_grid_worker, submit
from linli.appeals.views import workbench
from linli.testing import Cast, at, run_worker

THREE = ("第一件", "第二件", "第三件")


@pytest.fixture(autouse=True)
def two_a_page(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(workbench, "PAGE_SIZE", 2)


def next_link(page: str, label: str) -> str:
    """The 下一页 link of the pager named `label` ("" on its last page)."""
    nav = re.search(rf'<nav class="pager" aria-label="{re.escape(label)}">(.*?)</nav>', page, re.S)
    assert nav is not None, f"no pager {label}"
    found = re.search(r'href="([^"]+)">下一页', nav.group(1))
    return html.unescape(found.group(1)) if found else ""


def walk(client: Client, query: str, label: str) -> list[str]:
    """Every page of one list of the workbench, following its 下一页 links as a person would."""
    url = reverse("appeals:workbench")
    pages = [client.get(url + query).content.decode()]
    while link := next_link(pages[-1], label):
        assert link.startswith("?")
        pages.append(client.get(url + link.split("#")[0]).content.decode())
    return pages


def three(cast: Cast) -> list[Appeal]:
    return [submit(cast, title=title) for title in THREE]


def test_every_extension_request_and_escalated_appeal_is_reachable_and_each_list_keeps_the_other(
    cast: Cast, client_for: Any
) -> None:
    for appeal in three(cast):
        services.appeal_acknowledge(actor=cast.grid_worker, appeal=appeal)
        services.appeal_extension_request(
            actor=cast.grid_worker, appeal=appeal, days=3, reason="等配件到货。"
        )
    for title in ("上报一", "上报二", "上报三"):
        escalated = submit(cast, title=title)
        services.appeal_escalate(actor=cast.grid_worker, appeal=escalated, reason="需要社区协调处置")
    community = client_for("community_worker")
    pages = walk(community, "?tab=supervise", "延期申请")
    assert len(pages) == 2 and "第 1 / 2 页，共 3 条" in pages[0]
    assert all(f"{title}</a>" in "".join(pages) for title in THREE)  # the last request is one page away
    pages = walk(community, "?tab=supervise", "辖区内已上报的诉求")
    assert len(pages) == 2
    assert all(title in "".join(pages) for title in ("上报一", "上报二", "上报三"))
    # Moving through the escalated list keeps the extension requests on their page, and the reverse.
    both = community.get(reverse("appeals:workbench"), {"tab": "supervise", "extensions": 2}).content.decode()
    assert next_link(both, "辖区内已上报的诉求") == "?tab=supervise&extensions=2&escalated=2#escalated"
    assert next_link(both, "延期申请") == ""


def test_every_summoned_part_is_reachable(cast: Cast, client_for: Any) -> None:
    for title in THREE:
        appeal = at_community(cast, title=title)
        services.appeal_whistle(
            actor=cast.community_worker,
            appeal=appeal,
            units=[cast.department],
            reason="请城管到现场联合处置。",
        )
    pages = walk(client_for("department_handler"), "?tab=parts", "吹哨协办")
    assert len(pages) == 2 and "?tab=parts&amp;parts=2#parts" in pages[0]
    assert all(title in "".join(pages) for title in THREE)


def test_every_whistle_request_is_reachable(cast: Cast, client_for: Any) -> None:
    for appeal in three(cast):
        services.appeal_acknowledge(actor=cast.grid_worker, appeal=appeal)
        services.whistle_request_raise(
            actor=cast.grid_worker, appeal_id=appeal.pk, reason="需要城管执法到场。"
        )
    pages = walk(client_for("community_worker"), "?tab=whistle_requests", "网格吹哨")
    assert len(pages) == 2
    assert all(title in "".join(pages) for title in THREE)


def test_every_callback_is_reachable(cast: Cast, client_for: Any) -> None:
    with time_machine.travel(at(2026, 11, 2, 10, 0), tick=False) as traveller:
        for appeal in three(cast):
            resolve_by_grid_worker(cast, appeal)
        traveller.move_to(at(2026, 11, 6, 10, 0))
        assert "appeals.callbacks=3" in run_worker()
        pages = walk(client_for("community_worker"), "?tab=callbacks", "回访")
    assert len(pages) == 2
    assert all(title in "".join(pages) for title in THREE)


def test_every_suggested_merge_is_reachable(cast: Cast, client_for: Any) -> None:
    three(cast)
    JOBS["appeals.duplicates"]()  # the suggestions' only source
    suggestions = list(
        selectors.duplicate_suggestions_for(cast.community_worker).order_by("-created_at", "-id")
    )
    assert len(suggestions) > 2
    pages = walk(client_for("community_worker"), "?tab=duplicates", "疑似重复")
    assert len(pages) == 2
    last = suggestions[-1]
    assert reverse("appeals:detail", args=[last.appeal_id]) + "#similar" in pages[-1]


def test_acknowledging_ticked_appeals_comes_back_to_the_same_list(cast: Cast, client_for: Any) -> None:
    made = three(cast)
    client = client_for("grid_worker")
    where = reverse("appeals:workbench") + "?tab=all&kind=complaint&page=2"
    page = client.get(where).content.decode()
    assert f'name="next" value="{html.escape(where)}"' in page
    response = client.post(
        reverse("appeals:bulk_acknowledge"), {"ids": [made[0].pk], "next": where}, HTTP_HX_REQUEST="true"
    )
    assert response["HX-Redirect"] == where  # not the first page of the queue, the filter lost
    made[0].refresh_from_db()
    assert made[0].state == "acknowledged"
    elsewhere = client.post(
        reverse("appeals:bulk_acknowledge"), {"ids": [made[1].pk], "next": "https://evil.example.com/"}
    )
    assert elsewhere["Location"] == reverse("appeals:workbench")


def test_approving_an_extension_comes_back_to_the_page_of_requests(cast: Cast, client_for: Any) -> None:
    for appeal in three(cast):
        services.appeal_acknowledge(actor=cast.grid_worker, appeal=appeal)
        services.appeal_extension_request(
            actor=cast.grid_worker, appeal=appeal, days=3, reason="等配件到货。"
        )
    community = client_for("community_worker")
    where = reverse("appeals:workbench") + "?tab=supervise&extensions=2"
    page = community.get(where).content.decode()
    assert f'name="next" value="{html.escape(where)}#extensions"' in page


@pytest.mark.parametrize("tab", ["supervise", "parts", "whistle_requests", "callbacks", "duplicates"])
def test_a_tab_asks_the_database_as_often_for_more_rows(cast: Cast, client_for: Any, tab: str) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries(client: Client) -> int:
        client.get(reverse("appeals:workbench"), {"tab": tab})  # warm the session
        with CaptureQueriesContext(connection) as seen:
            client.get(reverse("appeals:workbench"), {"tab": tab})
        return len(seen.captured_queries)

    def rows(n: int) -> None:
        for i in range(n):
            appeal = submit(cast, title=f"第{i}件")
            services.appeal_acknowledge(actor=cast.grid_worker, appeal=appeal)
            if tab == "supervise":
                services.appeal_extension_request(
                    actor=cast.grid_worker, appeal=appeal, days=3, reason="等配件到货。"
                )
                services.appeal_escalate(actor=cast.grid_worker, appeal=appeal, reason="需要社区协调处置")
            elif tab == "parts":
                services.appeal_escalate(actor=cast.grid_worker, appeal=appeal, reason="需要社区协调处置")
                services.appeal_acknowledge(actor=cast.community_worker, appeal=appeal)
                services.appeal_whistle(
                    actor=cast.community_worker, appeal=appeal, units=[cast.department], reason="请城管到场。"
                )
            elif tab == "callbacks":
                CallbackTask.objects.create(
                    appeal=appeal, community=cast.community, created_at=timezone.now()
                )
            elif tab == "whistle_requests":
                services.whistle_request_raise(
                    actor=cast.grid_worker, appeal_id=appeal.pk, reason="需要城管执法到场。"
                )
        JOBS["appeals.duplicates"]()

    who = "department_handler" if tab == "parts" else "community_worker"
    rows(2)  # two appeals: one suggested merge, the other tabs two rows
    few = queries(client_for(who))
    rows(3)
    assert queries(client_for(who)) == few
