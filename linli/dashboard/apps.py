from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardConfig(AppConfig):
    name = "linli.dashboard"
    label = "dashboard"
    verbose_name = _("Overview")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from linli.core import jobs

        from .jobs import JOBS

        for name, func in JOBS.items():
            jobs.register(name, func)
