"""`linli demo [--scale 1.0] [--seed N] [--appeal-days 90]`: load the demo into an empty database."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import CommandError, CommandParser
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from linli.core.errors import DomainError
from linli.core.management.commands._database import require_migrated
from linli.core.management.commands._help import TranslatedHelpCommand
from linli.core.roles import Role
from linli.demo.parts import DemoRun, demo_run
from linli.demo.territory import DEMO_SEED, DemoDistrict
from linli.demo.territory.party import SECRETARY_PHONE
from linli.territory.choices import OrganisationKind


class Command(TranslatedHelpCommand):
    help = gettext_lazy(
        "Load the demo district (one street of 北京市朝阳区) into an empty database; prints the staff password once."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--scale",
            type=float,
            default=1.0,
            help=_("size relative to the full demo (0.05 builds a small one)"),
        )
        parser.add_argument(
            "--seed", type=int, default=DEMO_SEED, help=_("random seed (same seed, same district)")
        )
        parser.add_argument(
            "--appeal-days",
            type=int,
            default=90,
            help=_("days of appeal history to generate (0 for none)"),
        )

    def handle(self, *args: Any, **opts: Any) -> None:
        # A command has no request: it speaks the deployment's language, whatever an earlier caller activated.
        with translation.override(settings.LANGUAGE_CODE):
            require_migrated("demo")
            try:
                run = demo_run(
                    DemoRun(
                        scale=opts["scale"],
                        seed=opts["seed"],
                        appeal_days=opts["appeal_days"],
                        verbosity=opts["verbosity"],
                        say=self._say,
                    )
                )
            except DomainError as exc:
                raise CommandError(str(exc.message)) from None
            assert run.district is not None
            self.stdout.write(_sign_in_list(run.district))

    def _say(self, line: str) -> None:
        """A line at once, also into a pipe (`make run | tee`): the parts take minutes."""
        self.stdout.write(line)
        self.stdout.flush()


def _sign_in_list(demo: DemoDistrict) -> str:
    """The staff accounts and their one password, shown once."""
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
        Role.PROPERTY_STAFF,
    ):
        if u.get(role.value):
            lines.append(f"  {role.label}: {', '.join(u[role.value])}")
    if u.get("partner_unit"):  # a partner unit's contact (a unit's handler, of a 共建单位)
        lines.append(f"  {OrganisationKind.PARTNER_UNIT.label}: {', '.join(u['partner_unit'])}")
    grid_workers = u[Role.GRID_WORKER.value]
    lines.append(
        f"  {Role.GRID_WORKER.label}: "
        + _("%(first)s to %(last)s (%(count)d accounts)")
        % {"first": grid_workers[0], "last": grid_workers[-1], "count": len(grid_workers)}
    )
    lines.append(
        _(
            "Residents sign in with a mobile number and a one-time code (printed in the server log): %(first)s to %(last)s, and the branch secretary %(secretary)s."
        )
        % {"first": "19900000001", "last": "19900000012", "secretary": SECRETARY_PHONE}
    )
    lines.append(bar)
    return "\n".join(lines)
