from django.urls import path

from . import views

app_name = "places"

urlpatterns = [
    path("", views.place_list, name="list"),
    path("map.json", views.map_data, name="map_data"),
    path("new/", views.place_new, name="new"),
    path("coverage/", views.coverage_page, name="coverage"),
    path("<int:pk>/", views.place_detail, name="detail"),
    path("<int:pk>/edit/", views.place_edit, name="edit"),
    path("<int:pk>/activities/", views.activity_new, name="activity_new"),
    path("activities/<int:pk>/cancel/", views.activity_cancel, name="activity_cancel"),
    # Residents: places near me, on a phone.
    path("near/", views.near, name="near"),
    path("near/roads.json", views.roads_public, name="roads_public"),
    path("near/<int:pk>/", views.public_detail, name="public_detail"),
    path("near/<int:pk>/follow/", views.follow, name="follow"),
    # A place's photo: public for a place in service, else for staff of its area.
    path("near/<int:pk>/photo/", views.photo, name="photo"),
]
