"""The admin labels every field and table of care and of deliberation in Chinese (no English column names)."""

from __future__ import annotations

import re

import pytest
from django.apps import apps
from django.utils import translation

ASCII_ONLY = re.compile(r"[\x00-\x7f]+")


@pytest.mark.parametrize("app_label", ["care", "deliberation"])
def test_every_field_and_model_has_a_chinese_label(app_label: str) -> None:
    english = []
    with translation.override("zh-hans"):
        for model in apps.get_app_config(app_label).get_models():
            names = [model._meta.verbose_name, model._meta.verbose_name_plural]
            names += [f.verbose_name for f in model._meta.get_fields() if f.concrete and not f.auto_created]
            english += [f"{model.__name__}: {n}" for n in names if ASCII_ONLY.fullmatch(str(n))]
    assert english == []
