from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AppealsConfig(AppConfig):
    name = "linli.appeals"
    label = "appeals"
    verbose_name = _("Appeals")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from linli.core import jobs

        from .jobs import JOBS

        for name, func in JOBS.items():
            jobs.register(name, func)
        _connect_cache_invalidation()


def _connect_cache_invalidation() -> None:
    """The in-process copies of the dispatch catalogue, the deadline rules and the grid rows kept for dispatch are
    dropped when a row changes in this process (other processes notice through the signatures routing.py and
    sla.py check)."""
    from django.db.models.signals import post_delete, post_save

    from linli.territory.models import Grid, OrgNode

    from .models import CatalogueEntry, CatalogueVersion, SlaRule
    from .routing import catalogue_invalidate, grids_invalidate
    from .sla import rules_invalidate

    def catalogue_changed(**_: object) -> None:
        catalogue_invalidate()

    def rules_changed(**_: object) -> None:
        rules_invalidate()

    def grids_changed(**_: object) -> None:
        grids_invalidate()

    senders: list[tuple[Any, Any]] = [
        (CatalogueEntry, catalogue_changed),
        (CatalogueVersion, catalogue_changed),
        (SlaRule, rules_changed),
        (Grid, grids_changed),
        (OrgNode, grids_changed),
    ]
    for sender, receiver in senders:
        uid = f"appeals-cache-{sender.__name__}"
        post_save.connect(receiver, sender=sender, weak=False, dispatch_uid=f"{uid}-save")
        post_delete.connect(receiver, sender=sender, weak=False, dispatch_uid=f"{uid}-delete")
