"""`linli api_token create USERNAME NAME | revoke ID | list`: API keys for other systems."""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from linli.accounts import services
from linli.accounts.models import ApiToken, User
from linli.core.errors import DomainError
from linli.core.management.commands._help import TranslatedHelpCommand


class Command(TranslatedHelpCommand):
    help = gettext_lazy(
        "Make, revoke or list API keys; a key acts as its account, with that account's scope."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help=_("make a key for an account (printed once)"))
        create.add_argument("username")
        create.add_argument("name", help=_("which system uses the key"))
        revoke = sub.add_parser("revoke", help=_("revoke a key by its id"))
        revoke.add_argument("id", type=int)
        sub.add_parser("list", help=_("list keys"))

    def handle(self, *args: Any, **opts: Any) -> None:
        admin = User.objects.filter(is_superuser=True, is_active=True).order_by("id").first()
        if admin is None:
            raise CommandError(
                _("No active administrator account exists: create one with linli createsuperuser first.")
            )
        try:
            if opts["action"] == "create":
                user = User.objects.filter(username=opts["username"]).first()
                if user is None:
                    raise CommandError(_("No account named “%(name)s”.") % {"name": opts["username"]})
                token, key = services.api_token_create(actor=admin, user=user, name=opts["name"])
                shown = _("API key #%(id)s for %(user)s (%(name)s), shown only once:")
                self.stdout.write(
                    shown % {"id": token.pk, "user": user.username, "name": token.name} + f"\n{key}"
                )
            elif opts["action"] == "revoke":
                found = ApiToken.objects.filter(pk=opts["id"]).first()
                if found is None:
                    raise CommandError(_("No API key #%(id)s.") % {"id": opts["id"]})
                services.api_token_revoke(actor=admin, token=found)
                self.stdout.write(_("Revoked API key #%(id)s.") % {"id": found.pk})
            else:
                for token in ApiToken.objects.select_related("user"):
                    state = (
                        _("revoked %(day)s") % {"day": f"{token.revoked_at:%Y-%m-%d}"}
                        if token.revoked_at
                        else pgettext("api key", "active")
                    )
                    used = (
                        f"{token.last_used_at:%Y-%m-%d %H:%M}"
                        if token.last_used_at
                        else pgettext("api key", "never")
                    )
                    self.stdout.write(
                        f"#{token.pk} {token.prefix}… {token.user.username} “{token.name}” {state}, "
                        + _("last used %(when)s") % {"when": used}
                    )
        except DomainError as exc:
            raise CommandError(str(exc.message)) from None
