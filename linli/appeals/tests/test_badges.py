"""State and topic status badges take their colour from appeals/choices.py; no stylesheet keeps a copy."""

from __future__ import annotations

from pathlib import Path

from django.template.loader import render_to_string

from linli.appeals.choices import AppealState, TopicStatus
from linli.appeals.models import Appeal, MonthlyTopic


def test_a_state_badge_carries_its_colour_from_the_choices() -> None:
    for state in AppealState:
        html = render_to_string("appeals/partials/state_badge.html", {"appeal": Appeal(state=state)})
        assert f'style="--badge: {state.colour}"' in html
        assert str(state.label) in html


def test_a_topic_badge_carries_its_colour_from_the_choices() -> None:
    for status in TopicStatus:
        html = render_to_string("appeals/partials/topic_badge.html", {"topic": MonthlyTopic(status=status)})
        assert f'style="--badge: {status.colour}"' in html
        assert str(status.label) in html


def test_no_stylesheet_repeats_a_state_colour() -> None:
    sheets = Path(__file__).resolve().parents[2].glob("*/static/**/*.css")
    text = "\n".join(p.read_text(encoding="utf-8").lower() for p in sheets)
    assert ".ap-state-" not in text
    assert ".ap-topic-" not in text
    assert "var(--badge)" in text
