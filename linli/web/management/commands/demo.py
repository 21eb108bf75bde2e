"""`linli demo [--scale 1.0] [--seed N]`: load the demo district into an empty database."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from linli.core.errors import DomainError
from linli.core.roles import Role
from linli.demo.territory import DEMO_SEED, demo_build


class Command(BaseCommand):
    help = "Load the demo district (one street of 北京市朝阳区) into an empty database; prints the staff password once."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--scale",
            type=float,
            default=1.0,
            help="size relative to the full demo (0.05 builds a small one)",
        )
        parser.add_argument(
            "--seed", type=int, default=DEMO_SEED, help="random seed (same seed, same district)"
        )
        parser.add_argument(
            "--appeal-days",
            type=int,
            default=90,
            help="days of appeal history to generate (0 for none)",
        )

    def handle(self, *args: Any, **opts: Any) -> None:
        try:
            demo = demo_build(scale=opts["scale"], seed=opts["seed"])
        except DomainError as exc:
            raise CommandError(str(exc.message)) from None
        c = demo.counts
        self.stdout.write(
            _(
                "Demo district loaded in %(seconds).1f s: %(communities)d communities, %(compounds)d compounds, %(grids)d grids, %(buildings)d buildings, %(households)d households, %(residents)d residents, %(party_orgs)d party organisations, %(party_members)d party members, %(member_registrations)d member registrations, %(beacon_households)d beacon households, %(organisations)d departments and other organisations."
            )
            % {**c, "seconds": demo.seconds}
        )
        if opts["verbosity"] >= 2:
            for step, seconds in demo.step_seconds.items():
                self.stdout.write(f"  {step:<32} {seconds:6.2f} s")
        if opts["appeal_days"] > 0:
            from linli.demo.appeals import build_history

            history = build_history(
                days=opts["appeal_days"], seed=opts["seed"], per_day=24.0 * max(opts["scale"], 0.05)
            )
            self.stdout.write(
                _(
                    "Appeal history: %(appeals)d appeals over %(days)d days (%(events)d trace events) in %(seconds).1f s."
                )
                % {
                    "appeals": history.appeals,
                    "days": opts["appeal_days"],
                    "events": history.events,
                    "seconds": history.seconds,
                }
            )
        u = demo.usernames
        bar = "=" * 64
        lines = [
            bar,
            _("Demo staff accounts. They all share this password, shown only once:"),
            f"  {demo.password}",
        ]
        for role in (
            Role.DISTRICT_LEADER,
            Role.STREET_OFFICER,
            Role.COMMUNITY_WORKER,
            Role.DEPARTMENT_HANDLER,
        ):
            lines.append(f"  {role.label}: {', '.join(u[role.value])}")
        grid_workers = u[Role.GRID_WORKER.value]
        lines.append(
            f"  {Role.GRID_WORKER.label}: "
            + _("%(first)s to %(last)s (%(count)d accounts)")
            % {"first": grid_workers[0], "last": grid_workers[-1], "count": len(grid_workers)}
        )
        lines.append(bar)
        self.stdout.write("\n".join(lines))
