"""The Django admin, which Linli uses for configuration: its titles, every admin page's org-node choices labelled
with their kind and path, and its texts limited as the rest of Linli limits them (no browser `maxlength` cutting a
paste: the limit as `data-max`, web/site.js's counter, a text too long refused whole with its field and limit
named)."""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.contrib import admin
from django.forms import Media, Script
from django.templatetags.static import static
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from linli.core.admin import TextLimitsAdmin, TreeChoicesAdmin, with_text_limits
from linli.territory.models import OrgNode

admin.site.site_header = gettext_lazy("Linli administration")
admin.site.site_title = gettext_lazy("Linli administration")
admin.site.index_title = gettext_lazy("Configuration")


class CountedTextsAdmin(TextLimitsAdmin):
    """TextLimitsAdmin with web/site.js on the page, so each limited text has the site's counter, worded in the
    page's language (the counter's texts are attributes of its script tag, as web/base.html gives them)."""

    @property
    def media(self) -> Media:
        counter = Script(
            static("web/site.js"),
            **{
                "data-counter-left": _("{n} characters left"),
                "data-counter-over": _("{n} characters too many"),
            },
        )
        return super().media + Media(js=[counter], css={"all": ["web/admin.css"]})  # type: ignore[list-item]


class LinliAdmin(CountedTextsAdmin, TreeChoicesAdmin):
    """What every admin page gets: its texts counted and limited, and its org-node choices labelled with their
    kind and path."""

    tree_models = (OrgNode,)


def count_every_admin_text(site: Any = admin.site) -> None:
    """Every admin page registered on `site` (by any app) given LinliAdmin, its inlines too. Called once the apps'
    admin modules are loaded (WebConfig.ready), so no app's admin.py has to name it."""
    for model in apps.get_models():
        if not site.is_registered(model):
            continue
        registered = type(site.get_model_admin(model))
        counted = with_text_limits(registered, mixin=LinliAdmin)
        if counted is not registered:
            site.unregister(model)
            site.register(model, counted)
