from __future__ import annotations

from django.urls import path

from . import io_views

app_name = "territory_io"

urlpatterns = [
    path("", io_views.index, name="index"),
    path("import/", io_views.upload, name="upload"),
    path("import/confirm/", io_views.confirm, name="confirm"),
    path("template/<str:kind>.xlsx", io_views.template, name="template"),
    path("export/grids.geojson", io_views.export_geojson, {"kind": "grids"}, name="export_grids_geojson"),
    path("export/roads.geojson", io_views.export_geojson, {"kind": "roads"}, name="export_roads_geojson"),
    path("export/<str:kind>.xlsx", io_views.export, name="export"),
]
