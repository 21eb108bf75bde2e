"""What every Linli form sends to the browser: each date and date-and-time input shows its value in the form the
browser's picker reads (ISO: a date rendered as 2026/12/05, the Chinese input format, showed as an empty field), and
no input is named like a method of the form element that scripts call (an input named "matches" hid
form.matches(), and htmx stopped on the page)."""

from __future__ import annotations

import datetime as dt
import importlib
import inspect
from pathlib import Path

from django import forms

import linli
from linli.core.form_kit import TextForm
from linli.core.widgets import DateInput, DateTimeInput

ROOT = Path(linli.__file__).resolve().parent


def _form_modules() -> list[str]:
    names = []
    for path in sorted(ROOT.rglob("*.py")):
        parts = path.relative_to(ROOT).parts
        if "tests" in parts or "migrations" in parts or "management" in parts:
            continue
        if "forms" in path.stem or path.stem == "filters" or "forms" in parts:
            names.append("linli." + ".".join(path.relative_to(ROOT).with_suffix("").parts))
    return names


# Methods of an HTML form element that htmx or Linli's scripts call: an input of that name replaces them.
FORM_ELEMENT_METHODS = {
    "matches",
    "closest",
    "submit",
    "requestSubmit",
    "reset",
    "checkValidity",
    "reportValidity",
    "getAttribute",
    "setAttribute",
    "hasAttribute",
    "querySelector",
    "querySelectorAll",
    "contains",
    "addEventListener",
    "removeEventListener",
    "dispatchEvent",
    "elements",
    "getRootNode",
}


def _form_classes() -> list[type[forms.BaseForm]]:
    found = []
    for name in _form_modules():
        module = importlib.import_module(name)
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, forms.BaseForm) and cls.__module__ == name:
                found.append(cls)
    return found


def test_no_input_hides_a_method_of_its_form() -> None:
    wrong = []
    for cls in _form_classes():
        form = cls.__new__(cls)  # names only: add_prefix needs no constructor arguments without a prefix
        form.prefix = None
        for field_name in cls.base_fields:
            if form.add_prefix(field_name) in FORM_ELEMENT_METHODS:
                wrong.append(f"{cls.__module__}.{cls.__name__}.{field_name}")
    assert wrong == []


def test_the_widgets_render_iso_values() -> None:
    assert 'value="2026-12-05"' in DateInput().render("d", dt.date(2026, 12, 5))
    assert 'value="2026-12-05T09:30"' in DateTimeInput().render(
        "t", dt.datetime(2026, 12, 5, 9, 30, tzinfo=dt.UTC)
    )


def test_every_date_input_of_every_form_renders_iso() -> None:
    checked, wrong = 0, []
    for cls in _form_classes():
        for field_name, field in cls.base_fields.items():
            kind = getattr(field.widget, "input_type", "")
            if kind == "date":
                value, expected = dt.date(2026, 12, 5), 'value="2026-12-05"'
            elif kind == "datetime-local":
                value, expected = dt.datetime(2026, 12, 5, 9, 30, tzinfo=dt.UTC), 'value="2026-12-05T09:30"'
            else:
                continue
            checked += 1
            if expected not in field.widget.render(field_name, value):
                wrong.append(f"{cls.__module__}.{cls.__name__}.{field_name}")
    assert checked > 10
    assert wrong == []


# Searches the browser may stop at their length: a search is not kept, and one cut looks for a little less.
SEARCHES = {"linli.appeals.filters.AppealFilterForm.q"}


def test_no_form_lets_the_browser_cut_a_text() -> None:
    """Every form with a limited text builds on form_kit.TextForm: its limit goes to the browser as data-max (a
    counter), not maxlength (which cuts a pasted text without a word), and the form refuses a text too long whole,
    naming the field and its limit."""
    checked, cut = 0, []
    for cls in _form_classes():
        for field_name, field in cls.base_fields.items():
            if not (isinstance(field, forms.CharField) and field.max_length and not field.widget.is_hidden):
                continue
            name = f"{cls.__module__}.{cls.__name__}.{field_name}"
            checked += 1
            if name not in SEARCHES and not issubclass(cls, TextForm):
                cut.append(name)
    assert checked > 100
    assert cut == []


def test_a_text_form_gives_the_limit_as_data_max_and_refuses_a_long_text_whole() -> None:
    class NoteForm(TextForm):
        note = forms.CharField(label="备注", max_length=10, widget=forms.Textarea)

    html = str(NoteForm()["note"])
    assert 'data-max="10"' in html and "maxlength" not in html
    form = NoteForm({"note": "一二三四五六七八九十十一"})
    assert not form.is_valid()
    assert form.errors["note"] == ["备注太长：最多 10 个字（您已输入 12 个字）。"]
    assert "一二三四五六七八九十十一</textarea>" in str(form["note"])  # shown again whole
    # A line break counts as one character, as the page's counter counts it (the browser sends two).
    assert NoteForm({"note": "一二三四五\r\n六七八九"}).is_valid()
