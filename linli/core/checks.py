"""System checks of Linli's own: `linli check` (and every command that runs checks) prints them, in the active
language (checks_report.command_check, in Django's BaseCommand.check's place from here on)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, Warning, register
from django.core.checks.security import base, csrf, sessions
from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .checks_report import REMINDERS, command_check
from .workdays import holidays_missing_message, holidays_missing_year

# Every command, Django's too, reports the checks in the active language (the headings, the counts, the hint).
BaseCommand.check = command_check  # type: ignore[method-assign]


@register(REMINDERS, deploy=True)
def next_year_holidays(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """From November, warn until next year's holidays are known (package or the admin's 工作日历 entries). A
    reminder (checks_report.REMINDERS): `linli check`, `linli serve` and the staff home say it, not every command
    (migrate, the worker, the demo's setup …), where it would be one paragraph more before each one's own output."""
    year = holidays_missing_year()
    if year is None:
        return []
    return [Warning(holidays_missing_message(year), id="linli.W001")]


@register()
def sms_backend(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """LINLI_SMS_BACKEND names a class with `send(phone, text)`: a wrong one is found now, not when the first
    resident waits for a sign-in code (the outbox would only log the failure and retry)."""
    from django.utils.module_loading import import_string

    from .sms import ALIASES

    path = settings.LINLI_SMS_BACKEND
    try:
        backend_class = import_string(ALIASES.get(path, path))
    except ImportError as exc:
        problem = str(exc)
    else:
        if callable(getattr(backend_class, "send", None)):
            return []
        problem = _("it has no send(phone, text) method")
    # A warning, not an error: the commands that run checks (backup, migrate) must still run.
    return [
        Warning(
            _(
                "LINLI_SMS_BACKEND=%(path)s cannot be used (%(problem)s): no text message, no resident's sign-in "
                "code, would be sent. Write console, or the dotted path of the gateway's class with a "
                "send(phone, text) method, importable by Linli's Python."
            )
            % {"path": path, "problem": problem},
            id="linli.W002",
        )
    ]


@register(Tags.database)
def squash_half_applied(app_configs: Any = None, databases: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """`migrate` (and `check --database`) refuse a database stopped half-way through a squashed history: Django
    drops a squashed migration with some but not all of its replaced names recorded and then fails obscurely or
    passes over the app without a word (docs/architecture.md, "Migrations")."""
    from django.db import connections
    from django.db.migrations.loader import MigrationLoader
    from django.db.migrations.recorder import MigrationRecorder

    problems: list[CheckMessage] = []
    for alias in databases or []:
        applied = set(MigrationRecorder(connections[alias]).applied_migrations())
        if not applied:
            continue
        loader = MigrationLoader(None, ignore_no_migrations=True, replace_migrations=False)
        for (app, name), migration in sorted(loader.disk_migrations.items()):
            # Replaced migrations still on disk are run by Django itself; those gone cannot be, and Django then
            # drops the squash (also when the squash's own name is recorded).
            missing = [key for key in migration.replaces if key not in applied]
            gone = [key for key in missing if key not in loader.disk_migrations]
            if gone and len(missing) < len(migration.replaces):
                problems.append(
                    Error(
                        _(
                            "The database “%(alias)s” stopped part-way through the %(app)s migrations that "
                            "%(squash)s replaces (not yet run: %(missing)s). Migrate it first with a Linli from "
                            "before that squash (docs/architecture.md, “Migrations”), then upgrade."
                        )
                        % {
                            "alias": alias,
                            "app": app,
                            "squash": name,
                            "missing": ", ".join(n for _label, n in gone),
                        },
                        id="linli.E001",
                    )
                )
    return problems


# Django's deploy warnings about what an administrator sets through LINLI_* variables, reworded in the active language
# and naming the variable to set (settings.SILENCED_SYSTEM_CHECKS silences Django's English ones, which name Django's
# settings). Each is Django's own check, called here; the message keeps Django's number: linli.security.W009.
REWORDED = {
    "security.W004": gettext_lazy(
        "LINLI_HSTS_SECONDS is 0: browsers are not told to reach the site only over HTTPS (HSTS). Remove the "
        "variable (the default is one year) unless you are still trying HTTPS out."
    ),
    "security.W008": gettext_lazy(
        "LINLI_SSL_REDIRECT is false: a visit over plain HTTP is not sent on to HTTPS. Remove the variable, "
        "unless the reverse proxy already sends every HTTP visit to HTTPS."
    ),
    "security.W009": gettext_lazy(
        "LINLI_SECRET_KEY is too short or too simple (it needs at least 50 characters, 5 of them different): "
        "sessions and signed links could be forged. Set a long random value, the same on every machine, e.g. "
        "the output of: python3 -c 'import secrets; print(secrets.token_urlsafe(50))'."
    ),
    "security.W012": gettext_lazy(
        "LINLI_HTTPS is not true: the sign-in cookie is also sent over plain HTTP, and there is no HSTS and no "
        "redirect to HTTPS. When the site is reached over HTTPS, set LINLI_HTTPS=true (behind a reverse proxy "
        "also LINLI_BEHIND_PROXY=true); only a site reached over plain HTTP inside the intranet may leave it."
    ),
    "security.W016": None,  # the CSRF cookie: said with the sign-in cookie (W012), set by the same LINLI_HTTPS
    "security.W018": gettext_lazy(
        "LINLI_DEBUG is true: an error page shows the code and the configuration to whoever meets it. Remove "
        "LINLI_DEBUG (or set it to false) in production."
    ),
    "security.W020": gettext_lazy(
        "LINLI_ALLOWED_HOSTS is empty: every request would be refused. Set the host names the site is reached "
        "at, separated by commas, e.g. LINLI_ALLOWED_HOSTS=linli.district.gov.cn."
    ),
}
_DJANGO_CHECKS = (
    base.check_sts,
    base.check_ssl_redirect,
    base.check_secret_key,
    base.check_debug,
    base.check_allowed_hosts,
    sessions.check_session_cookie_secure,
    csrf.check_csrf_cookie_secure,
)


@register(Tags.security, deploy=True)
def deploy_settings(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """`linli check --deploy`: Django's warnings about the settings an administrator makes, in Chinese (REWORDED).
    Without LINLI_HTTPS one warning says so, instead of Django's four about what follows from it (HSTS, the
    redirect, the two cookies)."""
    found = {message.id for check in _DJANGO_CHECKS for message in check(app_configs)}
    if not settings.HTTPS:
        found -= {"security.W004", "security.W008"}
    return [
        Warning(str(text), id=f"linli.{django_id}")
        for django_id, text in REWORDED.items()
        if django_id in found and text is not None
    ]
