"""A dispatch refused by the service for a field the form names otherwise (the service's `category_code` is the
form's `category`) is said under that field, not at the top of the form: "请先选择诉求分类" stood above the form.
The field's empty choice, for the staff who choose, read the resident's 不确定，由工作人员判断."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.urls import reverse

from linli.appeals.tests.factories import classifier_says, submit
from linli.testing import Cast


def test_a_dispatch_without_a_category_is_refused_under_the_category_field(
    cast: Cast, client_for: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    classifier_says(monkeypatch, "other.other", 0.05)  # unsure: the appeal waits for a person to classify it
    appeal = submit(cast, category_code="", description="有件事不知道该找谁，小区后门一直有人乱停车堵路。")
    refused = client_for("community_worker").post(
        reverse("appeals:act", args=[appeal.pk, "dispatch"]),
        {"seen_state": "accepted", "dispatch-tier": "grid", "dispatch-reason": "交网格员处理。"},
    )
    assert refused.status_code == 422
    html = refused.content.decode()
    error = re.search(r'<ul class="errorlist" id="id_dispatch-category_error"[^>]*>(.*?)</ul>', html, re.S)
    assert error is not None and "请先选择诉求分类" in error.group(1)
    assert "交网格员处理。" in html  # the note typed is kept
    # Staff choose the category: its empty choice is not the resident's 不确定，由工作人员判断.
    select = re.search(r'<select name="dispatch-category".*?</select>', html, re.S)
    assert select is not None and "由工作人员判断" not in select.group(0) and "—请选择—" in select.group(0)
