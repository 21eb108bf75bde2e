"""Appeals pages, mounted at /appeals/ (namespace "appeals").

The resident follows an appeal at track/<number>/ and staff open it at <pk>/: the notification links written by
appeals/notify.py point there.
"""

from __future__ import annotations

from django.urls import path

from . import views, views_qr, views_resident, views_staff

app_name = "appeals"

urlpatterns = [
    path("", views.index, name="index"),
    # Residents and guests.
    path("new/", views_resident.appeal_new, name="new"),
    path("new/suggest/", views_resident.suggest_category, name="suggest"),
    path("new/kept/<str:key>/<int:index>/", views_resident.pending_photo, name="pending_photo"),
    path("submitted/<str:tracking_number>/", views_resident.appeal_submitted, name="submitted"),
    path("track/", views_resident.track, name="track"),
    path("track/<str:tracking_number>/", views_resident.resident_detail, name="resident_detail"),
    path("track/<str:tracking_number>/rate/", views_resident.resident_rate, name="resident_rate"),
    path("track/<str:tracking_number>/withdraw/", views_resident.resident_withdraw, name="resident_withdraw"),
    path(
        "track/<str:tracking_number>/similar/<int:pk>/<str:decision>/",
        views_resident.resident_similar,
        name="resident_similar",
    ),
    path("mine/", views_resident.my_appeals, name="mine"),
    path("photos/<int:pk>/", views_resident.photo, name="photo"),
    path("grids.json", views.grids_json, name="grids_json"),
    path("inbox/", views.inbox, name="inbox"),
    # Staff.
    path("workbench/", views_staff.workbench, name="workbench"),
    path("workbench/export.<str:fmt>", views_staff.workbench_export, name="workbench_export"),
    path("workbench/acknowledge/", views_staff.bulk_acknowledge, name="bulk_acknowledge"),
    path("hotline/", views_staff.hotline, name="hotline"),
    path("patrol/", views_staff.patrol, name="patrol"),
    path("<int:pk>/", views_staff.appeal_detail, name="detail"),
    path("<int:pk>/act/<str:action>/", views_staff.appeal_act, name="act"),
    path("<int:pk>/extension/<str:decision>/", views_staff.extension_decide, name="extension_decide"),
    path("<int:pk>/part/<str:step>/", views_staff.part_act, name="part_act"),
    path("<int:pk>/contact/", views_staff.reveal_contact, name="reveal_contact"),
    path("<int:pk>/similar/<int:sid>/<str:decision>/", views_staff.similar_decide, name="similar_decide"),
    path("topics/", views_staff.topics, name="topics"),
    path("topics/candidates/<int:pk>/<str:step>/", views_staff.candidate_act, name="candidate_act"),
    path("topics/<int:pk>/", views_staff.topic_detail, name="topic_detail"),
    path("topics/<int:pk>/<str:step>/", views_staff.topic_act, name="topic_act"),
    path("qr/", views_qr.qr_list, name="qr_list"),
    path("qr/<str:code>.png", views_qr.qr_png, name="qr_png"),
    path("qr/<str:code>.pdf", views_qr.qr_sheet, name="qr_sheet"),
]
