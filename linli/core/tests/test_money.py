"""The one money format: thousands separated, two decimals, for pages and exports meant for people."""

from __future__ import annotations

from decimal import Decimal

from django.template import Context, Template

from linli.core.templatetags.money import money


def test_money_has_a_thousands_separator_and_two_decimals() -> None:
    assert money(Decimal("12345.6")) == "12,345.60"
    assert money(Decimal("-1234567.005")) == "-1,234,567.01"
    assert money(0) == "0.00"
    assert money(Decimal("999.99")) == "999.99"
    assert money(Decimal("12345.6"), 0) == "12,346"
    assert money(None) == ""


def test_money_filter_in_a_template() -> None:
    out = Template("{% load money %}¥{{ v|money }} · ¥{{ v|money:0 }}").render(
        Context({"v": Decimal("12345.60")})
    )
    assert out == "¥12,345.60 · ¥12,346"
