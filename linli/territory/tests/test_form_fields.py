"""The register's form partial (territory/partials/form_fields.html, shared with care) lays out choices: each radio
button or tick box inside its own label, in a group named by the field's label, and a yes/no box before its words."""

from __future__ import annotations

import re

from django import forms
from django.template.loader import render_to_string


class Choices(forms.Form):
    outcome = forms.ChoiceField(
        label="结果如何？",
        choices=[("reached", "联系上本人"), ("refused", "本人拒绝")],
        widget=forms.RadioSelect,
    )
    tags = forms.MultipleChoiceField(
        label="标签",
        choices=[("a", "独居"), ("b", "残疾")],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    ill = forms.BooleanField(label="患慢性病或重病", required=False)


def test_radio_buttons_and_tick_boxes_are_each_inside_their_label_in_a_named_group() -> None:
    html = render_to_string(
        "territory/partials/form_fields.html", {"form": Choices(initial={"outcome": "refused"})}
    )
    group = re.search(
        r'<div class="choices" id="id_outcome" role="radiogroup" aria-labelledby="id_outcome_label">(.*?)</div>',
        html,
        re.S,
    )
    assert group, html
    assert '<span class="field-label" id="id_outcome_label">结果如何？</span>' in html
    labels = re.findall(r'<label class="choice" for="id_outcome_\d">(.*?)</label>', group.group(1), re.S)
    assert len(labels) == 2 and all('type="radio"' in label for label in labels)
    assert "checked" in labels[1] and "本人拒绝" in labels[1]
    assert 'role="group" aria-labelledby="id_tags_label"' in html
    assert re.search(
        r'<label class="check" for="id_ill"><input type="checkbox"[^>]*><span>患慢性病或重病</span></label>',
        html,
    )
