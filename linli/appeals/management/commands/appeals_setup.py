"""`linli appeals_setup`: load the shipped taxonomy and deadline rules, and create the default dispatch
catalogue for the districts present (idempotent; run by setup and demo, safe to re-run)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from linli.appeals.services import catalogue_create_default, category_sync_defaults, sla_sync_defaults
from linli.core.management.commands._help import TranslatedHelpCommand


class Command(TranslatedHelpCommand):
    help = gettext_lazy("Load the default appeal categories, deadline rules and dispatch catalogue.")

    def handle(self, *args: Any, **options: Any) -> None:
        categories = category_sync_defaults()
        rules = sla_sync_defaults()
        version = catalogue_create_default()
        catalogue = _("version %(n)s created") % {"n": version.number} if version else _("unchanged")
        self.stdout.write(
            _(
                "Appeal categories created: %(categories)s; deadline rules created: %(rules)s; catalogue: %(catalogue)s"
            )
            % {"categories": categories, "rules": rules, "catalogue": catalogue}
        )
