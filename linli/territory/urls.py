from __future__ import annotations

from django.urls import path

from . import views

app_name = "territory"

urlpatterns = [
    path("tree/", views.org_tree, name="tree"),
    path("map/", views.grid_map, name="map"),
    path("map/grids.json", views.grid_map_data, name="map_data"),
    path("grids/<int:pk>/", views.grid_detail, name="grid"),
    path("residents/", views.resident_list, name="residents"),
    path("residents/<int:pk>/reveal/", views.resident_reveal, name="resident_reveal"),
]
