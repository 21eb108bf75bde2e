"""django-axes (the sign-in lockout) under a name the administration site shows in the page's language.

Its own module: a second AppConfig in core/apps.py would leave Django unable to tell which one is core's."""

from __future__ import annotations

from axes.apps import AppConfig as AxesAppConfig
from django.utils.translation import gettext_lazy as _


class AxesConfig(AxesAppConfig):
    """django-axes (the sign-in lockout) under a name the administration site shows in the page's language."""

    verbose_name = _("Sign-in protection")
