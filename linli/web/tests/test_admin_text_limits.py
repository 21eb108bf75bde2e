"""The admin's forms limit texts as the rest of Linli does: no browser `maxlength` cutting a pasted text without a
word, the limit given as `data-max` to web/site.js's counter (loaded on the admin's pages, worded in Chinese), and
a text too long refused whole with its field and limit named, all of it shown again."""

from __future__ import annotations

import re

import pytest
from django.apps import apps
from django.contrib import admin
from django.test import Client

from linli.appeals.models import Category
from linli.testing import Cast

pytestmark = pytest.mark.django_db

FIELD_TAG = re.compile(r"<(?:input|textarea)\b[^>]*>")


def test_no_admin_form_gives_the_browser_a_maxlength(client_for, cast: Cast) -> None:
    client: Client = client_for("admin")
    cut: list[str] = []
    opened = 0
    for model in apps.get_models():
        if not admin.site.is_registered(model):
            continue
        meta = model._meta
        page = client.get(f"/admin/{meta.app_label}/{meta.model_name}/add/")
        if page.status_code == 403:  # read-only: its rows are written by services elsewhere
            continue
        assert page.status_code == 200, meta.label
        opened += 1
        cut += [
            f"{meta.label}: {tag}" for tag in FIELD_TAG.findall(page.content.decode()) if "maxlength" in tag
        ]
    assert opened >= 10 and cut == [], "\n".join(cut)


def test_an_over_long_name_is_refused_whole_with_its_limit_and_the_counter_is_on_the_page(
    client_for, cast: Cast
) -> None:
    client: Client = client_for("admin")
    form = client.get("/admin/appeals/category/add/").content.decode()
    assert re.search(r'<input type="text" name="name"[^>]*data-max="60"', form)
    assert 'src="/static/web/site.js" data-counter-left="还可输入 {n} 字"' in form
    assert "/static/web/admin.css" in form
    name = "小区公共区域照明设施损坏报修" * 5  # 70 characters: over the 60 allowed
    page = client.post(
        "/admin/appeals/category/add/", {"code": "lights", "name": name, "position": 0, "active": "on"}
    )
    text = page.content.decode()
    assert page.status_code == 200 and "名称太长：最多 60 个字（您已输入 70 个字）" in text
    assert f'value="{name}"' in text  # all of it, to shorten
    assert not Category.objects.filter(code="lights").exists()
