from __future__ import annotations

from django.urls import path

from . import public

app_name = "disclosure"

urlpatterns = [
    path("", public.index, name="index"),
    path("c/<int:pk>/", public.community, name="community"),
    path("requests.json", public.requests_json, name="requests"),
]
