from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebConfig(AppConfig):
    name = "linli.web"
    label = "web"
    verbose_name = _("Web pages")

    def ready(self) -> None:
        from .admin import count_every_admin_text

        count_every_admin_text()  # after the admin has loaded every app's admin module (it is installed first)
