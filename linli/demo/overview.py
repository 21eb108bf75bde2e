"""Demo overview (一网统览): the dashboard's figures counted once over everything the earlier parts made, by the
worker's own step run until nothing waits, so the overview shows the demo's figures the moment it is served,
before any worker has run (and `linli serve` alone, without the worker, shows them too)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from linli.dashboard.services import rollups_refresh_all

if TYPE_CHECKING:
    from .parts import DemoRun


def part(run: DemoRun) -> None:
    counted = rollups_refresh_all()
    run.say(_("Overview: %(n)d appeals counted into its figures.") % {"n": counted})
