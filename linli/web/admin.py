"""Titles of the Django admin, which Linli uses for configuration."""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

admin.site.site_header = _("Linli administration")
admin.site.site_title = _("Linli administration")
admin.site.index_title = _("Configuration")
