"""The one pager: its links keep what the person chose and say where they are in Chinese."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.template import Context, Template
from django.test import RequestFactory
from django.utils import translation


def _render(source: str, path: str, **context: object) -> str:
    request = RequestFactory().get(path)
    with translation.override("zh-hans"):
        return Template("{% load pager %}" + source).render(Context({"request": request, **context}))


def test_the_pager_keeps_the_other_query_parameters_and_names_the_page() -> None:
    page = Paginator(list(range(45)), 20).page(2)
    html = _render("{% pager page %}", "/list/?state=open&page=2&q=%E8%B7%AF", page=page)
    assert 'href="?state=open&amp;page=1&amp;q=%E8%B7%AF"' in html
    assert 'href="?state=open&amp;page=3&amp;q=%E8%B7%AF"' in html
    assert "第 2 / 3 页，共 45 条" in html
    assert "上一页" in html and "下一页" in html


def test_a_second_list_on_the_page_has_its_own_parameter_and_comes_back_into_view() -> None:
    late = Paginator(list(range(31)), 15).page(1)
    html = _render('{% pager late param="late" anchor="#late" %}', "/plans/?page=4", late=late)
    assert 'href="?page=4&amp;late=2#late"' in html
    assert "上一页" not in html  # the first page has nothing before it


def test_a_list_that_fits_on_one_page_has_no_pager() -> None:
    page = Paginator(list(range(5)), 20).page(1)
    assert "<nav" not in _render("{% pager page %}", "/list/", page=page)
