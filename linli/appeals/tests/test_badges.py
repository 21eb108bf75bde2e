"""State and topic status badges take their colour from appeals/choices.py; no stylesheet keeps a copy."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.db.models import Model
from django.template.loader import render_to_string

from linli.appeals.choices import AppealState, TopicStatus
from linli.appeals.models import Appeal, MonthlyTopic
from linli.core.choices import ColouredChoices


@pytest.mark.parametrize(
    ("template", "name", "model", "field", "choices"),
    [
        ("appeals/partials/state_badge.html", "appeal", Appeal, "state", AppealState),
        ("appeals/partials/topic_badge.html", "topic", MonthlyTopic, "status", TopicStatus),
    ],
    ids=["state", "topic"],
)
def test_a_badge_carries_its_colour_from_the_choices(
    template: str, name: str, model: type[Model], field: str, choices: type[ColouredChoices]
) -> None:
    for value in choices:
        html = render_to_string(template, {name: model(**{field: value})})
        assert f'style="--badge:{value.colour}"' in html
        assert str(value.label) in html


def test_no_stylesheet_repeats_a_state_colour() -> None:
    sheets = Path(__file__).resolve().parents[2].glob("*/static/**/*.css")
    text = "\n".join(p.read_text(encoding="utf-8").lower() for p in sheets)
    assert ".ap-state-" not in text
    assert ".ap-topic-" not in text
    assert "var(--badge)" in text
