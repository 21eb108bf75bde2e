from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartyConfig(AppConfig):
    name = "linli.party"
    label = "party"
    verbose_name = _("Party organisation")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Party work shows on the territory's grid profile and page, and party members are imported and
        # exported with the territory: party contributes through the registries territory owns.
        from . import contributions

        contributions.register()
