from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from linli.core.errors import ValidationFailed
from linli.core.masking import mask_id_number, mask_phone
from linli.core.validators import clean_text, validate_id_number, validate_mobile, validate_phone

# A well-known sample number whose check digit is X.
VALID_ID = "11010519491231002X"


def test_valid_id_number_is_accepted_and_normalised() -> None:
    assert validate_id_number(" 11010519491231002x ") == VALID_ID


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("110105194912310021", "id_check"),
        ("1101051949123100", "id_format"),
        ("11010519491331002X", "id_birth"),
        ("A1010519491231002X", "id_format"),
    ],
)
def test_bad_id_numbers_say_what_is_wrong(value: str, code: str) -> None:
    with pytest.raises(ValidationError) as exc:
        validate_id_number(value)
    assert exc.value.code == code


@pytest.mark.parametrize(
    "value", ["13812345678", "+86 138 1234 5678", "010-12345678", "0755-1234567", "02112345678"]
)
def test_valid_phone_numbers(value: str) -> None:
    assert validate_phone(value)


@pytest.mark.parametrize("value", ["12345678901", "1381234567", "abc", "010-123", "23812345678"])
def test_invalid_phone_numbers(value: str) -> None:
    with pytest.raises(ValidationError):
        validate_phone(value)


def test_landline_is_not_a_mobile() -> None:
    with pytest.raises(ValidationError):
        validate_mobile("010-12345678")


def test_masking() -> None:
    assert mask_phone("13812345678") == "138****5678"
    assert mask_id_number("110105194912310021") == "1101**********0021"
    assert mask_phone("010-12345678") == "010-****5678"


def test_clean_text_strips_and_refuses_on_the_field_with_the_limit() -> None:
    assert clean_text("note", "  楼道灯不亮  ", most=10) == "楼道灯不亮"
    assert clean_text("note", None, most=10) == ""
    with pytest.raises(ValidationFailed) as too_long:
        clean_text("note", "一" * 11, most=10)
    assert too_long.value.extra == {"field": "note"}
    assert "10" in str(too_long.value)
    with pytest.raises(ValidationFailed) as too_short:
        clean_text("reason", "太短", most=100, least=5)
    assert too_short.value.extra == {"field": "reason"}
    assert "5" in str(too_short.value)
    with pytest.raises(ValidationFailed):
        clean_text("title", "   ", most=10, required=True)
