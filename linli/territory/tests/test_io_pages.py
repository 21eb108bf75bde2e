"""The import and export page (/territory/io/) as staff meet it: opened on the kind asked for, and its links
working when a refusal is drawn without a script at the upload's own address."""

from __future__ import annotations

from typing import Any

import pytest

from linli.territory.imports import KIND_LABELS
from linli.testing import Cast

pytestmark = pytest.mark.django_db


def test_the_page_opens_on_the_kind_asked_for_and_on_an_overview_of_every_kind_otherwise(
    cast: Cast, client_for: Any
) -> None:
    """The navigation's 导入导出 opens /territory/io/: it opened on the residents' upload as if that were what
    everyone came for. Now it lists what can be imported and exported, and the upload waits for a kind."""
    client = client_for("community_worker")
    asked = client.get("/territory/io/?kind=households").content.decode()
    assert 'name="kind" value="households"' in asked
    for url in ("/territory/io/", "/territory/io/?kind=nonsense"):
        page = client.get(url).content.decode()
        assert 'name="kind"' not in page and 'type="file"' not in page  # no upload before a kind is chosen
        for kind, label in KIND_LABELS.items():
            assert f'href="/territory/io/?kind={kind}"' in page and str(label) in page, kind
            assert f'href="/territory/io/template/{kind}.xlsx"' in page, kind
        assert "选择要导入的数据" in page


def test_a_refused_upload_without_a_script_links_the_kinds_to_the_import_page(
    cast: Cast, client_for: Any
) -> None:
    """Without a script the refusal is drawn at the upload's own address (POST only): the kinds lead to the
    import page, not to `?kind=` of that address (405)."""
    response = client_for("community_worker").post("/territory/io/import/", {"kind": "households"})
    html = response.content.decode()
    assert response.status_code == 422 and 'name="kind" value="households"' in html
    assert 'href="/territory/io/?kind=residents"' in html and 'href="?kind=' not in html
