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


def test_a_page_past_the_end_says_the_last_page_is_shown_instead() -> None:
    page = Paginator(list(range(45)), 20).get_page("999")
    html = _render("{% pager page %}", "/list/?page=999", page=page)
    assert "没有第 999 页，显示的是第 3 页（共 3 页）。" in html
    assert 'role="status"' in html and "第 3 / 3 页，共 45 条" in html


def test_a_page_number_not_understood_says_the_first_page_is_shown() -> None:
    late = Paginator(list(range(31)), 15).get_page("abc")
    html = _render('{% pager late param="late" %}', "/plans/?page=2&late=abc", late=late)
    assert "页码“abc”无法识别，显示的是第 1 页（共 3 页）。" in html


def test_a_list_on_one_page_still_says_the_page_asked_for_is_not_there() -> None:
    page = Paginator(list(range(5)), 20).get_page("4")
    html = _render("{% pager page %}", "/list/?page=4", page=page)
    assert "没有第 4 页，显示的是第 1 页（共 1 页）。" in html and "<nav" not in html


def test_only_a_page_not_the_one_asked_for_has_a_note() -> None:
    paginator = Paginator(list(range(45)), 20)
    assert "没有第 4 页" in _render("{% pager page %}", "/list/?page=4", page=paginator.get_page("4"))
    assert 'role="status"' not in _render("{% pager page %}", "/list/?page=2", page=paginator.get_page("2"))
    assert 'role="status"' not in _render("{% pager page %}", "/list/", page=paginator.get_page(None))
    # Another list's parameter is that list's business.
    assert 'role="status"' not in _render(
        "{% pager page %}", "/list/?late=999", page=paginator.get_page(None)
    )


def test_a_page_whose_view_says_the_note_itself_is_not_said_twice() -> None:
    page = Paginator(list(range(45)), 20).get_page("999")
    assert "没有第 999 页" in _render("{% pager page %}", "/list/?page=999", page=page)
    page.note = "said among the page's own notes"  # type: ignore[attr-defined]
    assert "没有第 999 页" not in _render("{% pager page %}", "/list/?page=999", page=page)
