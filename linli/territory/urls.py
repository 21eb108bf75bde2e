from __future__ import annotations

from django.urls import path
from django.views.generic import RedirectView

from . import compound_views as cv
from . import field_views as fv
from . import grid_views as gv
from . import register_views as rv
from . import views

app_name = "territory"

urlpatterns = [
    # /territory/ typed by hand: the organisation tree, the section's first page.
    path("", RedirectView.as_view(pattern_name="territory:tree"), name="index"),
    path("tree/", views.org_tree, name="tree"),
    path("tree/compounds/", cv.compound_add, name="compound_add"),
    path("communities/<int:pk>/", cv.community_detail, name="community"),
    path("compounds/<int:pk>/", cv.compound_detail, name="compound"),
    path("compounds/<int:pk>/edit/", cv.compound_edit, name="compound_edit"),
    path("map/", views.grid_map, name="map"),
    path("map/grids.json", views.grid_map_data, name="map_data"),
    path("map/roads.json", views.road_map_data, name="map_roads"),
    path("grids/new/", gv.grid_add, name="grid_add"),
    path("grids/neighbours.json", gv.grid_neighbours, name="grid_neighbours"),
    path("grids/<int:pk>/", views.grid_detail, name="grid"),
    path("grids/<int:pk>/boundary/", gv.grid_edit, name="grid_edit"),
    path("grids/<int:pk>/buildings/", cv.building_add, name="building_add"),
    path("grids/<int:pk>/visits/", fv.grid_visits, name="grid_visits"),
    path("grids/<int:pk>/venues/", fv.grid_venues, name="grid_venues"),
    path("visits/<int:pk>/", fv.visit_detail, name="visit"),
    path("visits/<int:pk>/done/", fv.visit_follow_up_done, name="visit_done"),
    path("visits/<int:pk>/photos/<int:photo_pk>/", fv.visit_photo, name="visit_photo"),
    path("venues/<int:pk>/", fv.venue_detail, name="venue"),
    path("venues/<int:pk>/edit/", fv.venue_edit, name="venue_edit"),
    path("residents/", views.resident_list, name="residents"),
    path("residents/<int:pk>/reveal/", views.resident_reveal, name="resident_reveal"),
    path("residents/<int:pk>/", rv.resident_detail, name="resident"),
    path("residents/<int:pk>/edit/", rv.resident_edit, name="resident_edit"),
    path("residents/<int:pk>/move/", rv.resident_move, name="resident_move"),
    path("residents/<int:pk>/move-out/", rv.resident_move_out, name="resident_move_out"),
    path("residents/<int:pk>/death/", rv.resident_death, name="resident_death"),
    path("households/<int:pk>/", rv.household_detail, name="household"),
    path("households/<int:pk>/edit/", rv.household_edit, name="household_edit"),
    path("households/<int:pk>/move/", rv.household_move, name="household_move"),
    path("households/<int:pk>/merge/", rv.household_merge, name="household_merge"),
    path("households/<int:pk>/birth/", rv.household_birth, name="household_birth"),
    path("households/<int:pk>/move-in/", rv.household_move_in, name="household_move_in"),
    path("households/<int:pk>/split/", rv.household_split, name="household_split"),
    path("households/<int:pk>/head/", rv.household_head, name="household_head"),
    path("buildings/<int:pk>/", rv.building_detail, name="building"),
    path("buildings/<int:pk>/edit/", rv.building_edit, name="building_edit"),
    path("buildings/<int:pk>/households/new/", rv.building_household_add, name="building_household_add"),
    path(
        "buildings/<int:pk>/households/batch/", rv.building_households_batch, name="building_households_batch"
    ),
]
