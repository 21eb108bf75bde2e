"""The one form partial (core/partials/form_fields.html, one field in core/partials/field.html) that every app's
forms include: a required field's label marked *, help text the input names (aria-describedby), each field's
errors under it and the form's own (with its hidden fields') first, as alerts; radio buttons and tick boxes each
inside their own label, in a group named by the field's label; text areas, lists of tick boxes and the fields
the include names in `wide` across the form's columns."""

from __future__ import annotations

import re

from django import forms
from django.core.exceptions import ValidationError
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


class Member(forms.Form):
    name = forms.CharField(label="姓名")
    workplace = forms.CharField(label="工作单位", required=False, help_text="单位全称。")
    place = forms.CharField(label="地点", required=False)
    note = forms.CharField(label="备注", required=False, widget=forms.Textarea)
    step = forms.CharField(widget=forms.HiddenInput, required=False)

    def clean_step(self) -> str:
        if self.cleaned_data["step"] == "bad":
            raise ValidationError("这一步已过期，请重新打开。")
        return str(self.cleaned_data["step"])

    def clean(self) -> dict[str, object]:
        raise ValidationError("这位党员已登记。")


def _render(form: forms.Form, **context: object) -> str:
    return render_to_string("core/partials/form_fields.html", {"form": form, **context})


def _field(html: str, name: str) -> str:
    """The markup of one field's box (the field's wrapper div up to its end)."""
    start = html.index(f'id="id_{name}"')
    opening = max(html.rfind('<div class="field"', 0, start), html.rfind('<div class="field ', 0, start))
    return html[opening : html.index("\n</div>", opening)]


def test_radio_buttons_and_tick_boxes_are_each_inside_their_label_in_a_named_group() -> None:
    html = _render(Choices(initial={"outcome": "refused"}))
    group = re.search(
        r'<div class="choices" id="id_outcome" role="radiogroup" aria-labelledby="id_outcome_label">(.*?)</div>',
        html,
        re.S,
    )
    assert group, html
    assert re.search(
        r'<span class="field-label" id="id_outcome_label">结果如何？</span><span class="req"', html
    )
    labels = re.findall(r'<label class="choice" for="id_outcome_\d">(.*?)</label>', group.group(1), re.S)
    assert len(labels) == 2 and all('type="radio"' in label for label in labels)
    assert "checked" in labels[1] and "本人拒绝" in labels[1]
    assert 'role="group" aria-labelledby="id_tags_label"' in html
    assert re.search(
        r'<label class="check" for="id_ill"><input type="checkbox"[^>]*><span>患慢性病或重病</span></label>',
        html,
    )


def test_a_required_field_is_marked_and_help_text_is_named_by_its_input() -> None:
    html = _render(Member())
    # the mark beside the label, not in it: the label's words are the field's name
    assert re.search(r'<label for="id_name">姓名</label><span class="req" aria-hidden="true">\*</span>', html)
    assert '<label for="id_workplace">工作单位</label></div>' in html  # not required: no mark
    assert re.search(r'<input[^>]*aria-describedby="id_workplace_helptext"[^>]*id="id_workplace"', html)
    assert '<span class="help" id="id_workplace_helptext">单位全称。</span>' in html


def test_errors_are_alerts_beside_their_field_and_the_forms_own_come_first() -> None:
    form = Member(data={"name": "", "step": "bad"})
    assert not form.is_valid()
    html = _render(form)
    top = re.search(r'<div class="msg error form-errors wide" role="alert">(.*?)</div>', html, re.S)
    assert top and "这位党员已登记。" in top.group(1) and "这一步已过期，请重新打开。" in top.group(1)
    assert html.index("form-errors") < html.index('id="id_name"')
    name = _field(html, "name")
    assert name.startswith('<div class="field has-error')
    assert re.search(r'aria-describedby="id_name_error"', name)  # the input names its errors
    assert re.search(r'<ul class="errorlist" id="id_name_error" role="alert"><li>[^<]+</li></ul>', name)
    assert html.count('type="hidden" name="step"') == 1


def test_text_areas_lists_of_ticks_and_fields_named_wide_span_the_form() -> None:
    assert " wide" in _field(_render(Member()), "note").split(">")[0]
    assert " wide" in _field(_render(Choices()), "tags").split(">")[0]
    assert " wide" not in _field(_render(Choices()), "outcome").split(">")[0]
    named = _render(Member(), wide="place name")
    assert all(" wide" in _field(named, f).split(">")[0] for f in ("place", "name"))
    # a name counts whole: "workplace" names neither "place" nor "work"
    inside = _render(Member(), wide="workplace")
    assert " wide" in _field(inside, "workplace").split(">")[0]
    assert " wide" not in _field(inside, "place").split(">")[0]
