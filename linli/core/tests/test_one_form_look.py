"""Forms have one partial and one stylesheet: every template's include names a template that is there (the register's
and party's own form partials were removed when core's replaced them; an include left pointing at one fails only
when its page is opened), no app's stylesheet styles the partial's fields or the finder again (core/forms.css does,
linked once from web/base.html for every page), no template links a stylesheet that is not there, no form carries an
app's own name for one of core's form classes, only party's pages load party's stylesheet and only volunteering's
volunteers' (the page frame every app's pages share is core/pages.css, linked once from web/base.html)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.template import TemplateDoesNotExist
from django.template.loader import get_template
from django.test import Client

import linli

ROOT = Path(linli.__file__).resolve().parent
TEMPLATES = sorted(ROOT.rglob("templates/**/*.html"))
NAMED = re.compile(r"""{%\s*(?:include|extends)\s+["']([^"']+)["']""")
STATIC_CSS = re.compile(r"""{%\s*static\s+["']([^"']+\.css)["']\s*%}""")
# What the one partial and the finder draw (core/partials/field.html, core/finder.html), and the party and
# volunteers names they replaced.
FORM_SELECTORS = re.compile(
    r"\.(form-box|form-fields|field-name|field-label|choices|choice|check|errorlist|help|req|finder[a-z-]*|pt-finder[a-z-]*|"
    r"vo-finder[a-z-]*|pt-field|pt-form|pt-wide|pt-req|pt-error|pt-has-error)(?![\w-])"
)
# An app's own name for a form class of core/forms.css (.form-grid, .form-one-column, .wide, .form-submit, .field,
# .req, .has-error, .field-error): party's, co-building's or volunteers' (`pt-form`, `cb-actions`, `vo-field` …).
APP_FORM_CLASS = re.compile(
    r"(?<![\w-])(?:pt|vo|cb)-(?:form|form-1|form-grid|wide|actions|submit|field|fields|req|error|has-error)(?![\w-])"
)
SOURCES = sorted(
    path
    for pattern in ("templates/**/*.html", "static/**/*.css", "static/**/*.js", "**/*.py")
    for path in ROOT.rglob(pattern)
    if "vendor" not in path.parts and path != Path(__file__).resolve()
)


def test_every_include_names_a_template_that_is_there() -> None:
    missing = []
    for path in TEMPLATES:
        for name in NAMED.findall(path.read_text(encoding="utf-8")):
            try:
                get_template(name)
            except TemplateDoesNotExist:
                missing.append(f"{path.relative_to(ROOT)} → {name}")
    assert missing == []


def test_every_stylesheet_a_template_links_is_there() -> None:
    missing = [
        f"{path.relative_to(ROOT)} → {name}"
        for path in TEMPLATES
        for name in STATIC_CSS.findall(path.read_text(encoding="utf-8"))
        if not finders.find(name)
    ]
    assert missing == []


def _rules(css: str) -> list[str]:
    """The selectors of a stylesheet's rules, comments left out."""
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    return [s.strip() for s in re.findall(r"([^{}]+)\{", css) if not s.strip().startswith("@")]


def test_no_app_stylesheet_styles_the_form_partial_or_the_finder_again() -> None:
    found = [
        f"{path.relative_to(ROOT)}: {selector}"
        for path in sorted(ROOT.rglob("static/**/*.css"))
        if "vendor" not in path.parts and path != ROOT / "core/static/core/forms.css"
        for selector in _rules(path.read_text(encoding="utf-8"))
        # The Django admin's change list names its columns field-<name> (a category's name column: .field-name).
        if FORM_SELECTORS.search(selector) and "#result_list" not in selector
    ]
    assert found == []


def test_no_form_carries_an_app_named_form_class() -> None:
    found = [
        f"{path.relative_to(ROOT)}: {name}"
        for path in SOURCES
        for name in APP_FORM_CLASS.findall(path.read_text(encoding="utf-8"))
    ]
    assert found == []


def test_only_party_loads_party_stylesheet() -> None:
    """Co-building's and volunteers' staff pages took party's page frame from party.css; it is core/pages.css now."""
    found = [
        str(path.relative_to(ROOT))
        for path in TEMPLATES
        if not path.is_relative_to(ROOT / "party") and "party/party.css" in path.read_text(encoding="utf-8")
    ]
    assert found == []


def test_only_volunteering_loads_volunteers_stylesheet() -> None:
    """Co-building's resident pages took their phone frame and tabs from volunteers.css; they are core/pages.css's
    (`page-phone`, `page-tabs`) now."""
    found = [
        str(path.relative_to(ROOT))
        for path in TEMPLATES
        if not path.is_relative_to(ROOT / "volunteers")
        and "volunteers/volunteers.css" in path.read_text(encoding="utf-8")
    ]
    assert found == []


def test_co_building_and_volunteers_pages_use_no_party_class() -> None:
    """No `pt-` class on their pages: the frame's classes are core's (`page-*`), the forms' core's."""
    found = [
        f"{path.relative_to(ROOT)}: {name}"
        for app in ("cobuild", "volunteers")
        for path in sorted((ROOT / app).rglob("*"))
        if path.suffix in {".html", ".css", ".js", ".py"}
        for name in re.findall(r"(?<![\w-])pt-[a-z0-9-]+", path.read_text(encoding="utf-8"))
    ]
    assert found == []


@pytest.mark.django_db
def test_every_page_links_the_forms_stylesheet_and_the_page_frame_once() -> None:
    page = Client().get("/accounts/login/", follow=True).content.decode()
    assert len(re.findall(r'<link rel="stylesheet" href="[^"]*core/forms(\.[0-9a-f]+)?\.css"', page)) == 1
    assert len(re.findall(r'<link rel="stylesheet" href="[^"]*core/pages(\.[0-9a-f]+)?\.css"', page)) == 1


def test_the_page_frame_styles_only_its_own_classes() -> None:
    """core/pages.css is linked on every page, so none of its rules may reach a page that uses no page-* class
    (its `.grid-2` and `.card > h2 .btn-small` rules were generic; they are web/linli.css's now)."""
    css = (ROOT / "core/static/core/pages.css").read_text(encoding="utf-8")
    assert [s for s in _rules(css) for part in s.split(",") if "page-" not in part] == []
