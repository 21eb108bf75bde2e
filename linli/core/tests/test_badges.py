"""The one badge: a vocabulary's value drawn with its label on the colour its choices declare, named in a template
as "<app label>.<class>"."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.template import Context, Template
from django.utils import translation

from linli.care.choices import CaseKind, ContactState
from linli.core.choices import vocabulary
from linli.territory.choices import CareLevel


def _render(source: str, **context: object) -> str:
    with translation.override("zh-hans"):
        return Template("{% load i18n badges %}" + source).render(Context(context))


def test_a_badge_shows_the_label_on_the_colour_declared_with_the_choices() -> None:
    html = _render('{% badge state "care.ContactState" %}', state="done")
    with translation.override("zh-hans"):
        label = str(ContactState.DONE.label)
    assert html == f'<span class="badge care" style="--badge:{ContactState.DONE.colour}">{label}</span>'
    assert ContactState.DONE.colour.startswith("#") and label != "done"


def test_a_light_colour_carries_the_dark_text_it_declares() -> None:
    html = _render('{% badge level "territory.CareLevel" %}', level="yellow")
    assert f'style="--badge:{CareLevel.YELLOW.colour};color:{CareLevel.YELLOW.ink}"' in html
    assert 'style="--badge:' + CareLevel.RED.colour + '"' in _render(
        '{% badge "red" "territory.CareLevel" %}'
    )


def test_a_badge_takes_another_look_and_other_words_but_keeps_its_colour() -> None:
    html = _render(
        '{% badge "approved" "accounts.ClaimStatus" label=_("Verified") css="ap-badge ap-state" %}'
    )
    assert html.startswith('<span class="ap-badge ap-state" style="--badge:#')
    assert html.endswith('">已核验</span>')  # the label given, translated


def test_an_unknown_value_shows_as_itself_on_the_plain_badge() -> None:
    assert _render('{% badge "lost" "care.ContactState" %}') == '<span class="badge">lost</span>'
    assert (
        _render('{{ "lost"|colour:"care.ContactState" }}|{{ "lost"|label:"care.ContactState" }}') == "|lost"
    )


def test_an_uncoloured_vocabulary_gives_its_label_and_no_colour() -> None:
    with translation.override("zh-hans"):
        label = str(CaseKind.choices[0][1])
    value = CaseKind.choices[0][0]
    assert _render('{{ v|label:"care.CaseKind" }}|{{ v|colour:"care.CaseKind" }}', v=value) == f"{label}|"
    assert _render('{% badge v "care.CaseKind" %}', v=value) == f'<span class="badge">{label}</span>'


def test_the_label_is_escaped() -> None:
    assert _render('{% badge v "care.ContactState" %}', v="<b>") == '<span class="badge">&lt;b&gt;</span>'


def test_a_misspelt_vocabulary_fails_loudly() -> None:
    with pytest.raises(LookupError):
        vocabulary("care.ContactStates")
    with pytest.raises(LookupError):
        vocabulary("nowhere.Thing")


def test_every_vocabulary_a_template_names_is_one() -> None:
    root = Path(__file__).resolve().parents[2]
    used = re.compile(r'(?:\{% badge \S+ |\|(?:colour|label):)"([^"]+)"')
    names = {name for p in root.glob("*/templates/**/*.html") for name in used.findall(p.read_text("utf-8"))}
    assert {"care.ContactState", "appeals.AppealState", "cobuild.OrderState"} <= names
    for name in names:
        vocabulary(name)  # raises LookupError for a name that names none
