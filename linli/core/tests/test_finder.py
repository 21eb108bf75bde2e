"""The one finder of a person by name or phone (core.finder) that the time bank and the party configure: a whole
name only one person carries or a whole mobile number is taken, several of one name or nothing found is refused in
the finder's own words with the people to choose from, a tick stands only while the text still finds it, the last
digits of a number only for staff; the htmx part answers for a form's finder."""

from __future__ import annotations

from typing import Any

import pytest
from django import forms
from django.contrib.auth import get_user_model
from django.http import Http404
from django.test import RequestFactory

from linli.core.finder import Finder, Wording, entries_of, finder_part

pytestmark = pytest.mark.django_db

WORDING = Wording(
    many_named="many:%(entry)s",
    several_named="several:%(n)s:%(entry)s",
    type_more="type-more:%(entry)s",
    choose="choose:%(entry)s",
    none="none:%(entry)s",
    required="required",
    more="more-match",
    nothing="nothing:%(text)s",
)


def _row(user: Any) -> tuple[str, str]:
    return user.display_name, f"home of {user.username}"


class PeopleForm(forms.Form):
    who = Finder(names=("display_name",), phone="phone", wording=WORDING)
    several = Finder(names=("display_name",), phone="phone", wording=WORDING, multiple=True)
    note = forms.CharField(required=False)

    def __init__(self, *args: Any, staff: bool = False, explain: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        pool = get_user_model().objects.exclude(username="hidden").order_by("id")
        for name in ("who", "several"):
            field = self.fields[name]
            assert isinstance(field, Finder)
            field.configure(pool=pool, url="/find/", row=_row, by_phone_end=staff, explain=explain)


class OneFinderForm(forms.Form):
    who = PeopleForm.base_fields["who"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["who"]
        assert isinstance(field, Finder)
        field.configure(pool=get_user_model().objects.order_by("id"), url="/find/", row=_row)


@pytest.fixture
def people() -> dict[str, Any]:
    make = get_user_model().objects.create
    return {
        "zhang": make(username="zhang", display_name="张三", phone="13812345678"),
        "wang1": make(username="wang1", display_name="王芳", phone="13700001111"),
        "wang2": make(username="wang2", display_name="王芳", phone="13700002222"),
        "hidden": make(username="hidden", display_name="赵六", phone="13900009999"),
    }


def _clean(data: dict[str, Any], field: str = "who", **kwargs: Any) -> tuple[Any, list[str]]:
    form = PeopleForm(data, **kwargs)
    form.is_valid()
    return form.cleaned_data.get(field), [str(e) for e in form.errors.get(field, [])]


def test_a_whole_name_one_person_carries_or_a_whole_number_is_taken(people: dict[str, Any]) -> None:
    assert _clean({"who": " 张三 "}) == (people["zhang"], [])
    assert _clean({"who": "+86 137-0000-2222"}) == (people["wang2"], [])


def test_the_last_digits_of_a_number_find_someone_for_staff_only(people: dict[str, Any]) -> None:
    assert _clean({"who": "5678"}) == (None, ["none:5678"])
    assert _clean({"who": "5678"}, staff=True) == (None, ["choose:5678"])  # offered, to be chosen
    assert _clean({"who": "5678", "who_pick": people["zhang"].pk}, staff=True) == (people["zhang"], [])


def test_several_of_one_name_are_refused_in_the_finders_words_until_one_is_chosen(
    people: dict[str, Any],
) -> None:
    assert _clean({"who": "王芳"}) == (None, ["several:2:王芳"])
    assert _clean({"who": "王芳", "who_pick": people["wang1"].pk}) == (people["wang1"], [])
    assert _clean({"who": "王", "who_pick": people["wang2"].pk}) == (people["wang2"], [])
    assert _clean({"who": "王"}) == (None, ["choose:王"])


def test_a_tick_the_text_no_longer_finds_is_not_taken_nor_one_outside_the_pool(
    people: dict[str, Any],
) -> None:
    assert _clean({"who": "张三", "who_pick": people["wang1"].pk}) == (people["zhang"], [])
    assert _clean({"who": "", "who_pick": people["hidden"].pk}) == (None, ["required"])
    assert _clean({"who": "赵六"}) == (None, ["none:赵六"])


def test_why_nobody_is_found_is_said_when_the_app_knows(people: dict[str, Any]) -> None:
    def explain(entry: str) -> str:
        return "hidden from you" if entry == "赵六" else ""

    assert _clean({"who": "赵六"}, explain=explain) == (None, ["hidden from you"])
    assert _clean({"who": "钱七"}, explain=explain) == (None, ["none:钱七"])


def test_several_entries_each_name_one_and_each_refusal_names_its_entry(people: dict[str, Any]) -> None:
    assert entries_of("张三，王芳、 ;\n钱七", multiple=True) == ["张三", "王芳", "钱七"]
    assert entries_of("张三，王芳", multiple=False) == ["张三，王芳"]
    found, errors = _clean({"several": "张三，13700002222"}, field="several")
    assert found == [people["zhang"], people["wang2"]] and errors == []
    found, errors = _clean({"several": "张三，王芳，钱七"}, field="several")
    assert errors == ["several:2:王芳", "none:钱七"]
    data = {"several": "张三，王芳", "several_pick": [people["wang2"].pk]}
    found, errors = _clean(data, field="several")
    assert sorted(p.pk for p in found) == sorted([people["zhang"].pk, people["wang2"].pk])


def test_the_refused_form_offers_each_entry_in_the_apps_words_and_keeps_the_text(
    people: dict[str, Any],
) -> None:
    form = PeopleForm({"who": "王芳", "note": "<b>"})
    assert not form.is_valid()
    html = str(form["who"])
    assert 'class="finder"' in html and 'value="王芳"' in html and "“王芳”" in html
    for key in ("wang1", "wang2"):
        assert f'name="who_pick" value="{people[key].pk}"' in html and f"home of {key}" in html


def _get(form: forms.Form, **query: Any) -> str:
    return finder_part(RequestFactory().get("/find/", query), form).content.decode()


def test_the_suggestions_as_one_types_and_the_finder_redrawn_with_the_choice(people: dict[str, Any]) -> None:
    form = PeopleForm()
    typed = _get(form, field="who", who="王")
    assert typed.count('name="who_pick"') == 2 and "home of wang1" in typed and "赵六" not in typed
    assert "nothing:&lt;script&gt;" in _get(form, field="who", who="<script>")  # what is typed, escaped
    picked = _get(form, field="who", who="王", who_pick=people["wang1"].pk, picked=1)
    assert 'class="finder-chosen"' in picked and f'value="{people["wang1"].pk}" checked' in picked
    assert 'name="who" id="id_who" value=""' in picked
    # several: the box keeps the entries before the one just chosen
    more = _get(form, field="several", several="张三，王", several_pick=people["wang1"].pk, picked=1)
    assert 'value="张三"' in more and 'type="checkbox"' in more
    # one name or number has the text limit's counter; a list of several may be longer
    assert 'data-max="50"' in picked and "data-max" not in more


def test_the_part_answers_only_for_a_finder_and_a_lone_finder_needs_no_field_name(
    people: dict[str, Any],
) -> None:
    with pytest.raises(Http404):
        _get(PeopleForm(), field="note", note="王")
    with pytest.raises(Http404):
        _get(PeopleForm(), who="王")  # two finders: which one is asked must be said
    assert _get(OneFinderForm(), who="王").count('name="who_pick"') == 2
