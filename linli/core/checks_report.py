"""How every command reports the system checks (`linli check`, `linli migrate`, `linli serve` …), in the active
language: Django writes its headings in English ("System check identified some issues:", "WARNINGS:"), with no
catalogue, around messages Linli gives in Chinese. `command_check` is Django's BaseCommand.check with the same
arguments, checks and exit rules; core's checks module puts it in Django's place when Django is ready.

It also decides which commands remind the administrator of what is theirs to do (REMINDERS): such checks are
registered as deployment checks with the tag REMINDERS (so no command runs them unasked: not migrate, shell, the
worker or the demo's setup), and `check` (with or without --deploy), `serve` and `runserver` run them besides."""

from __future__ import annotations

from typing import Any

from django.core import checks
from django.core.management.base import BaseCommand, SystemCheckError
from django.db.models.base import ModelBase
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, ngettext

REMINDERS = "linli_reminders"
# The commands at which an administrator acts on a reminder: the check itself, and starting the site.
REMINDED_BY = {"check", "serve", "runserver"}

# Django's levels, most serious first, with the heading of each group.
GROUPS = (
    (checks.CRITICAL, gettext_noop("CRITICAL ERRORS")),
    (checks.ERROR, gettext_noop("ERRORS")),
    (checks.WARNING, gettext_noop("WARNINGS")),
    (checks.INFO, gettext_noop("NOTES")),
    (checks.DEBUG, gettext_noop("DEBUG NOTES")),
)


def command_name(command: BaseCommand) -> str:
    """A command's name: its module's, as Django finds commands (django…commands.runserver → runserver)."""
    return type(command).__module__.rpartition(".")[2]


def issue_text(issue: checks.CheckMessage) -> str:
    """One message as Django writes it (`object: (id) message`, the hint under it), the hint's word in the active
    language and without Django's "?: " before a message about no object in particular."""
    if issue.obj is None:
        where = ""
    elif isinstance(issue.obj, ModelBase):
        where = f"{issue.obj._meta.label}: "  # type: ignore[attr-defined]
    else:
        where = f"{issue.obj}: "
    number = f"({issue.id}) " if issue.id else ""
    hint = "\n\t" + _("HINT: %(hint)s") % {"hint": issue.hint} if issue.hint else ""
    return f"{where}{number}{issue.msg}{hint}"


def command_check(
    self: BaseCommand,
    app_configs: Any = None,
    tags: Any = None,
    display_num_errors: bool = False,
    include_deployment_checks: bool = False,
    fail_level: int = checks.ERROR,
    databases: Any = None,
) -> None:
    """Django's BaseCommand.check: run the checks, print what they found (warnings and worse on stderr) and raise
    SystemCheckError for a serious one; the words in the active language, the reminders for REMINDED_BY."""
    issues = checks.run_checks(
        app_configs=app_configs,
        tags=tags,
        include_deployment_checks=include_deployment_checks,
        databases=databases,
    )
    if (
        command_name(self) in REMINDED_BY
        and not include_deployment_checks
        and (tags is None or REMINDERS in tags)
    ):
        issues += checks.run_checks(
            app_configs=app_configs, tags=[REMINDERS], include_deployment_checks=True, databases=databases
        )
    shown = [issue for issue in issues if not issue.is_silenced()]
    body = ""
    for index, (level, heading) in enumerate(GROUPS):
        above = GROUPS[index - 1][0] if index else None
        group = [i for i in shown if i.level >= level and (above is None or i.level < above)]
        if group:
            lines = sorted(
                self.style.ERROR(issue_text(i)) if i.is_serious() else self.style.WARNING(issue_text(i))
                for i in group
            )
            title = _("%(heading)s:") % {"heading": _(heading)}
            body += "\n" + title + "\n" + "\n".join(lines) + "\n"
    header = _("System check identified some issues:") + "\n" if shown else ""
    footer = ""
    if display_num_errors:
        silenced = {"silenced": len(issues) - len(shown)}
        footer = "\n" if shown else ""
        footer += (
            ngettext(
                "System check identified %(count)s issue (%(silenced)s silenced).",
                "System check identified %(count)s issues (%(silenced)s silenced).",
                len(shown),
            )
            % {"count": len(shown), **silenced}
            if shown
            else _("System check identified no issues (%(silenced)s silenced).") % silenced
        )
    if any(i.is_serious(fail_level) for i in shown):
        stop = _("The system check found problems that must be put right first:") + "\n"
        raise SystemCheckError(self.style.ERROR(stop) + body + footer)
    message = header + body + footer
    if message and shown:
        self.stderr.write(message, lambda x: x)
    elif message:
        self.stdout.write(message)
