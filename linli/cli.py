"""The `linli` console command: Django's management commands with Linli's settings.

`linli migrate`, `linli demo`, `linli serve`, `linli worker`, `linli triage …` and every other management command.
`linli`, `linli help` and `linli --help` list them in the active language (Chinese by default): Linli's own commands
with their one-line help, the Django commands an administrator uses with a line each, and the rest of Django's as
Django lists them; an unknown command is answered in the same language.
"""

from __future__ import annotations

import gettext
import os
import sys
import textwrap
from difflib import get_close_matches
from pathlib import Path

from django.conf import settings
from django.core.management import ManagementUtility, get_commands, load_command_class
from django.core.management.base import BaseCommand
from django.core.management.color import color_style
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from linli.core.env import SettingError

# Django's (and django-axes') commands an administrator meets in README and docs/operations.md, with their line
# (lazy: the command line imports this module before the settings are known).
ADMIN_COMMANDS = {
    "migrate": gettext_lazy("create or upgrade the database (once per release, from one machine)"),
    "showmigrations": gettext_lazy("list the database migrations and which have run"),
    "createsuperuser": gettext_lazy(
        "create an administrator account (the first one of a production database)"
    ),
    "changepassword": gettext_lazy("set a new password for an account"),
    "collectstatic": gettext_lazy(
        "collect the static files to serve (on every web machine, once per release)"
    ),
    "check": gettext_lazy("check the configuration; --deploy also checks the production settings"),
    "clearsessions": gettext_lazy("remove expired sign-in sessions from the database"),
    "axes_reset_username": gettext_lazy(
        "lift the sign-in lockout of an account (axes_reset_username USERNAME)"
    ),
    "axes_reset_ip": gettext_lazy("lift the sign-in lockout of a network address (axes_reset_ip ADDRESS)"),
    "dbshell": gettext_lazy("open the database's own command-line client"),
}


def _one_line(help_text: object) -> str:
    """The first line of a command's help, in the active language."""
    text = str(help_text or "").strip()
    return text.splitlines()[0] if text else ""


class Utility(ManagementUtility):
    """Django's ManagementUtility whose list of commands, and whose answer to an unknown one, speak Chinese."""

    def main_help_text(self, commands_only: bool = False) -> str:
        if commands_only or self.settings_exception is not None:
            # `linli help --commands` is read by scripts (shell completion): the bare names, as Django gives them.
            # Without settings nothing can be translated: Django's own text, which names the settings' error.
            return super().main_help_text(commands_only)
        commands = get_commands()
        own = {
            name: app for name, app in commands.items() if isinstance(app, str) and app.startswith("linli.")
        }
        admin = {name: ADMIN_COMMANDS[name] for name in ADMIN_COMMANDS if name in commands}
        others: dict[str, list[str]] = {}
        for name, app in commands.items():
            if name not in own and name not in admin:
                label = "django" if app == "django.core" else str(app).rpartition(".")[-1]
                others.setdefault(label, []).append(name)
        width = max(map(len, [*own, *admin])) + 2
        style = color_style()
        lines = [
            _("usage: %(prog)s <command> [options]") % {"prog": self.prog_name},
            _("'%(prog)s help <command>' shows a command's arguments and options.")
            % {"prog": self.prog_name},
            "",
            style.NOTICE(_("Linli's commands:")),
        ]
        lines += [f"  {name:<{width}}{_one_line(self._help(name, own[name]))}" for name in sorted(own)]
        lines += ["", style.NOTICE(_("Django's commands an administrator uses:"))]
        lines += [f"  {name:<{width}}{line}" for name, line in admin.items()]
        lines += ["", style.NOTICE(_("Django's other commands (their help is in English):"))]
        for label in sorted(others):
            lines += textwrap.wrap(
                " ".join(sorted(others[label])), 100, initial_indent=f"  [{label}] ", subsequent_indent="    "
            )
        return "\n".join(lines)

    @staticmethod
    def _help(name: str, app: str) -> object:
        command: BaseCommand = load_command_class(app, name)
        return command.help

    def fetch_command(self, subcommand: str) -> BaseCommand:
        commands = get_commands()
        if (
            subcommand in commands
            or self.settings_exception is not None
            or not os.environ.get("DJANGO_SETTINGS_MODULE")
        ):
            return super().fetch_command(subcommand)
        if near := get_close_matches(subcommand, commands):
            message = _("Unknown command: %(command)s. Did you mean %(near)s?") % {
                "command": subcommand,
                "near": near[0],
            }
        else:
            message = _("Unknown command: %(command)s.") % {"command": subcommand}
        sys.stderr.write(
            message + "\n" + _("'%(prog)s help' lists the commands.") % {"prog": self.prog_name} + "\n"
        )
        sys.exit(1)


def setting_error_text(error: SettingError) -> str:
    """`error` in the deployment's language (Chinese), read from the infra catalogue with Python's gettext: Django's
    translation needs the settings that just failed."""
    catalogue = gettext.translation(
        "django",
        localedir=Path(__file__).resolve().parent / "locale" / "infra",
        languages=["zh_Hans"],
        fallback=True,
    )
    return catalogue.gettext("Linli's settings are wrong: %(problem)s") % {
        "problem": catalogue.gettext(error.msgid) % error.values
    }


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "linli.settings")
    try:
        settings.INSTALLED_APPS  # noqa: B018  (reads linli.settings: every LINLI_* variable)
    except SettingError as error:
        sys.stderr.write(setting_error_text(error) + "\n")
        sys.exit(2)
    args = list(sys.argv if argv is None else argv)
    args[0] = "linli"
    Utility(args).execute()


if __name__ == "__main__":
    main()
