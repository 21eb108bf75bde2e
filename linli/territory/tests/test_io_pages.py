"""The import and export page (/territory/io/) as staff meet it: opened on the kind asked for, and its links
working when a refusal is drawn without a script at the upload's own address."""

from __future__ import annotations

from typing import Any

import pytest

from linli.territory.imports import KIND_LABELS, KINDS
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


def test_those_who_read_the_register_export_it_but_may_not_import_into_it(
    cast: Cast, client_for: Any
) -> None:
    """A street officer or district leader reads the register (the pages offer them no edit) but could upload a
    file of residents and have it written. Now the upload is offered and taken only from those who keep the
    register; the others are told so and keep the template and the export."""
    data = "姓名,证件号码\n".encode()
    for role in ("street_officer", "district_leader"):
        client = client_for(role)
        page = client.get("/territory/io/?kind=residents").content.decode()
        assert 'type="file"' not in page and "不能导入" in page, role
        assert 'href="/territory/io/template/residents.xlsx"' in page, role
        refused = client.post("/territory/io/import/", {"kind": "residents", "file": _file(data)})
        assert refused.status_code == 403, role
        api = client.post("/api/imports/preview", {"kind": "residents", "file": _file(data)})
        assert api.status_code == 403 and "不能导入" in api.json()["message"], role
        assert client.get("/territory/io/export/residents.xlsx").status_code == 200, role
    page = client_for("community_worker").get("/territory/io/?kind=residents").content.decode()
    assert 'type="file"' in page and "不能导入" not in page


def _file(data: bytes) -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("residents.csv", data, content_type="text/csv")


def test_the_order_to_import_in_names_every_registered_kind_in_its_order(cast: Cast, client_for: Any) -> None:
    """The sentence named 网格、楼栋、户、居民、党员 and left out 道路 and 一网通感's devices, registered after it was
    written: it is drawn from the registered kinds, in their order, so a kind added later is named too."""
    page = client_for("community_worker").get("/territory/io/").content.decode()
    order = "、".join(str(KIND_LABELS[k]) for k in KINDS)
    assert len(KINDS) >= 6 and f"请按此顺序导入：{order}。" in page
