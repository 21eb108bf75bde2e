"""Background jobs of the overview, run by `linli worker`: rollups by delta, last month's reports."""

from __future__ import annotations

from collections.abc import Callable


def refresh_rollups() -> int:
    from .services import rollups_refresh

    return rollups_refresh()


def write_monthly_reports() -> int:
    from .reports import monthly_reports_write

    return monthly_reports_write()


JOBS: dict[str, Callable[[], int]] = {
    "dashboard.rollups": refresh_rollups,
    "dashboard.monthly_reports": write_monthly_reports,
}
