from __future__ import annotations

from django.urls import path

from . import views

app_name = "dashboard"

urlpatterns = [
    path("", views.index, name="index"),
    path("wall/", views.wall, name="wall"),
    path("data.json", views.data, name="data"),
    path("map.json", views.map_data, name="map_data"),
    path("appeals/", views.appeals_behind, name="appeals"),
    path("report.<str:fmt>", views.report, name="report"),
    path("reports/", views.report_list, name="reports"),
    path("reports/<int:pk>.<str:fmt>", views.report_file, name="report_file"),
]
