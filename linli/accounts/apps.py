from django.utils.translation import gettext_lazy as _

from linli.core import appconfig


class AccountsConfig(appconfig.LinliAppConfig):
    name = "linli.accounts"
    label = "accounts"
    verbose_name = _("Accounts")
