"""The pager's note on real list pages: an address asking for a page that is not there says what is shown instead,
once, on a list that does not say it itself (territory's residents) and on one that does (appeals' workbench)."""

from __future__ import annotations

from typing import Any

import pytest

from linli.testing import Cast

pytestmark = pytest.mark.django_db


def test_a_list_says_once_that_the_page_asked_for_is_not_there(cast: Cast, client_for: Any) -> None:
    community = client_for("community_worker")
    past_the_end = community.get("/territory/residents/?page=999").content.decode()
    assert "没有第 999 页，显示的是第 1 页（共 1 页）。" in past_the_end
    garbage = community.get("/territory/residents/?q=&page=abc").content.decode()
    assert "页码“abc”无法识别，显示的是第 1 页（共 1 页）。" in garbage
    assert 'class="msg pager-note"' not in community.get("/territory/residents/?page=1").content.decode()
    # The workbench says it among its own notes of the address: not a second time under its list.
    page = community.get("/appeals/workbench/?tab=all&page=999").content.decode()
    assert page.count("没有第 999 页") == 1
    assert 'class="msg pager-note"' not in page
