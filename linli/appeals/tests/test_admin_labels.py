"""The admin's field labels speak Chinese: every field of the appeals and triage models names itself."""

from __future__ import annotations

import re

import pytest
from django.apps import apps
from django.db.models import Field
from django.utils import translation

FIELDS = [
    pytest.param(field, id=f"{model.__name__}.{field.name}")
    for label in ("appeals", "triage")
    for model in apps.get_app_config(label).get_models()
    for field in model._meta.concrete_fields
    if not field.auto_created
]


@pytest.mark.parametrize("field", FIELDS)
def test_every_field_label_is_chinese_in_the_admin(field: Field) -> None:
    with translation.override("zh-hans"):
        label = str(field.verbose_name)
    assert re.search(r"[\u4e00-\u9fff]", label), f"{field.model.__name__}.{field.name} shows {label!r}"
