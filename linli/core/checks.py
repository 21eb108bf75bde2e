"""System checks of Linli's own: `linli check` (and every command that runs checks) prints them."""

from __future__ import annotations

from typing import Any

from django.core.checks import CheckMessage, Warning, register

from .workdays import holidays_missing_message, holidays_missing_year


@register()
def next_year_holidays(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """From November, warn until next year's holidays are known (package or the admin's 工作日历 entries)."""
    year = holidays_missing_year()
    if year is None:
        return []
    return [Warning(holidays_missing_message(year), id="linli.W001")]
