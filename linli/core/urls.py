"""core's own pages, mounted at /core/ (namespace "core"): what every app's forms share."""

from __future__ import annotations

from django.urls import path

from . import kept_files

app_name = "core"

urlpatterns = [
    # A photo chosen on a refused form, kept while it is corrected (core/partials/kept_files.html).
    path("kept/<str:key>/<int:index>/", kept_files.kept_file, name="kept_file"),
]
