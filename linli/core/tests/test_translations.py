from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management import call_command
from django.test import Client

from linli.core.i18n_scan import missing_translations


def test_every_string_has_a_simplified_chinese_translation() -> None:
    missing = missing_translations()
    assert not missing, "untranslated (run `linli missing_translations`): " + "; ".join(
        f"{k!r} in {v}" for k, v in list(missing.items())[:20]
    )


def test_compiled_catalogues_are_up_to_date() -> None:
    call_command("compile_translations", "--check")


def test_login_page_speaks_chinese_by_default_and_english_on_request(db: None) -> None:
    page = Client().get("/login/")
    assert "登录" in page.content.decode()
    english = Client(headers={"accept-language": "en"}).get("/login/")
    assert "Sign in" in english.content.decode()


def test_the_empty_choice_of_a_select_speaks_chinese() -> None:
    # Django 6.1 labels a select's empty choice "- Select an option -" and its zh_Hans catalogue lacks it: every
    # form with a foreign-key select showed it in English until the base catalogue translated it.
    from django import forms
    from django.utils import translation

    from linli.territory.models import Grid

    class F(forms.Form):
        grid = forms.ModelChoiceField(queryset=Grid.objects.none())

    with translation.override("zh-hans"):
        html = str(F()["grid"])
    assert "—请选择—" in html
    assert "Select an option" not in html


def test_a_too_long_field_is_told_in_plain_chinese() -> None:
    """Django's own wording (确保该变量包含不超过 100 字符) is replaced on every form of every app."""
    from django import forms
    from django.utils import translation

    class Form(forms.Form):
        title = forms.CharField(max_length=100, min_length=2)

    with translation.override("zh-hans"):
        assert Form({"title": "长" * 200}).errors["title"] == [
            "太长了：最多 100 个字，现在是 200 个字，请删减后再提交。"
        ]
        assert Form({"title": "短"}).errors["title"] == ["太短了：至少 2 个字，现在是 1 个字。"]


def test_giving_an_entry_a_context_makes_its_catalogue_out_of_date(settings: Any, tmp_path: Path) -> None:
    """The check compares entries by context and msgid: an entry moved under a msgctxt (the resident tag
    "Disabled", which without one named every other "Disabled" 残疾人) is a change the .mo must take."""
    import polib
    import pytest
    from django.core.management.base import CommandError

    folder = tmp_path / "locale" / "x" / "zh_Hans" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    po = polib.POFile()
    po.append(polib.POEntry(msgid="Disabled", msgstr="残疾人"))
    po.save(str(folder / "django.po"))
    po.save_as_mofile(str(folder / "django.mo"))
    settings.BASE_DIR = tmp_path
    call_command("compile_translations", "--check")
    po[0].msgctxt = "resident tag"
    po.save(str(folder / "django.po"))
    with pytest.raises(CommandError, match="已过期"):
        call_command("compile_translations", "--check")


def test_the_resident_tag_disabled_leaves_other_disabled_words_alone() -> None:
    from django.utils import translation
    from django.utils.translation import gettext

    from linli.territory.choices import ResidentTag

    with translation.override("zh-hans"):
        assert ResidentTag.DISABLED.label == "残疾人"
        assert gettext("Disabled") != "残疾人"


def test_a_string_written_over_several_lines_is_found_as_one_msgid(tmp_path: Path) -> None:
    # The scan read `_("…")` with a pattern that passed over a string joined from literals on several lines, so
    # such a string was never reported untranslated and showed in English.
    from linli.core.i18n_scan import source_msgids

    (tmp_path / "views.py").write_text(
        "from django.utils.translation import gettext as _, gettext_lazy\n"
        'a = _(\n    "No household of this vote "\n    "has that code."\n)\n'
        'b = gettext_lazy("One line, %(n)s.") % {"n": 1}\n'
        "c = translation.gettext('Through the module')\n",
        encoding="utf-8",
    )
    assert set(source_msgids(tmp_path)) == {
        "No household of this vote has that code.",
        "One line, %(n)s.",
        "Through the module",
    }


def test_a_changed_plural_entry_makes_its_catalogue_out_of_date_and_is_compiled(
    settings: Any, tmp_path: Path
) -> None:
    """An entry with a plural (msgid_plural, msgstr[n]) is compared by its forms: the check compared the singular
    msgstr alone (empty for a plural entry), so a corrected plural was neither caught nor compiled."""
    import polib
    import pytest
    from django.core.management.base import CommandError

    folder = tmp_path / "locale" / "x" / "zh_Hans" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    po = polib.POFile()
    po.metadata = {"Content-Type": "text/plain; charset=UTF-8", "Plural-Forms": "nplurals=1; plural=0;"}
    po.append(
        polib.POEntry(msgid="%(n)s appeal", msgid_plural="%(n)s appeals", msgstr_plural={0: "%(n)s 件诉求"})
    )
    po.save(str(folder / "django.po"))
    po.save_as_mofile(str(folder / "django.mo"))
    settings.BASE_DIR = tmp_path
    call_command("compile_translations", "--check")
    po[0].msgstr_plural = {0: "%(n)s 条诉求"}
    po.save(str(folder / "django.po"))
    with pytest.raises(CommandError, match="已过期"):
        call_command("compile_translations", "--check")
    call_command("compile_translations")
    compiled = [e for e in polib.mofile(str(folder / "django.mo")) if e.msgid]
    assert [e.msgstr_plural for e in compiled] == [{0: "%(n)s 条诉求"}]
    call_command("compile_translations", "--check")


def test_a_changed_header_makes_its_catalogue_out_of_date_and_is_compiled(
    settings: Any, tmp_path: Path
) -> None:
    """The header (msgid "") is part of the .mo: gettext reads its Plural-Forms to choose a plural's form and its
    charset to decode. The check compared the messages alone, so a header corrected was neither caught nor
    compiled; it compares the compiled catalogue whole now."""
    import polib
    import pytest
    from django.core.management.base import CommandError

    folder = tmp_path / "locale" / "x" / "zh_Hans" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    po = polib.POFile()
    po.metadata = {
        "Content-Type": "text/plain; charset=UTF-8",
        "Plural-Forms": "nplurals=2; plural=(n != 1);",
    }
    po.append(polib.POEntry(msgid="Home", msgstr="首页"))
    po.save(str(folder / "django.po"))
    po.save_as_mofile(str(folder / "django.mo"))
    settings.BASE_DIR = tmp_path
    call_command("compile_translations", "--check")
    po.metadata["Plural-Forms"] = "nplurals=1; plural=0;"
    po.metadata["Language"] = "zh_Hans"
    po.save(str(folder / "django.po"))
    with pytest.raises(CommandError, match="已过期"):
        call_command("compile_translations", "--check")
    call_command("compile_translations")
    compiled = polib.mofile(str(folder / "django.mo"))
    assert compiled.metadata["Plural-Forms"] == "nplurals=1; plural=0;"
    assert compiled.metadata["Language"] == "zh_Hans"
    call_command("compile_translations", "--check")
