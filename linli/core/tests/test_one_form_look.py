"""Forms have one partial and one stylesheet: every template's include names a template that is there (the register's
and party's own form partials were removed when core's replaced them; an include left pointing at one fails only
when its page is opened), no app's stylesheet styles the partial's fields or the finder again (core/forms.css does,
linked once from web/base.html for every page), and no template links a stylesheet that is not there."""

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
        if FORM_SELECTORS.search(selector)
    ]
    assert found == []


@pytest.mark.django_db
def test_every_page_links_the_forms_stylesheet_once() -> None:
    page = Client().get("/accounts/login/", follow=True).content.decode()
    assert len(re.findall(r'<link rel="stylesheet" href="[^"]*core/forms(\.[0-9a-f]+)?\.css"', page)) == 1
