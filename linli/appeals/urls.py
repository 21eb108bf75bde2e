"""Appeals pages, mounted at /appeals/ (namespace "appeals").

The resident follows an appeal at track/<number>/ and staff open it at <pk>/: the notification links written by
appeals/notify.py point there.
"""

from __future__ import annotations

from django.urls import path

from .views import common, detail, hotline, inbox, kept_photos, patrol, qr, resident, split, topics, workbench

app_name = "appeals"

urlpatterns = [
    path("", inbox.index, name="index"),
    # Residents and guests.
    path("new/", resident.appeal_new, name="new"),
    path("new/suggest/", resident.suggest_category, name="suggest"),
    path("new/kept/<str:key>/<int:index>/", kept_photos.pending_photo, name="pending_photo"),
    path("submitted/<str:tracking_number>/", resident.appeal_submitted, name="submitted"),
    path("track/", resident.track, name="track"),
    path("track/<str:tracking_number>/", resident.resident_detail, name="resident_detail"),
    path("track/<str:tracking_number>/rate/", resident.resident_rate, name="resident_rate"),
    path("track/<str:tracking_number>/withdraw/", resident.resident_withdraw, name="resident_withdraw"),
    path(
        "track/<str:tracking_number>/similar/<int:pk>/<str:decision>/",
        resident.resident_similar,
        name="resident_similar",
    ),
    path("mine/", resident.my_appeals, name="mine"),
    path("photos/<int:pk>/", resident.photo, name="photo"),
    path("grids.json", common.grids_json, name="grids_json"),
    path("inbox/", inbox.inbox, name="inbox"),
    # Staff.
    path("workbench/", workbench.workbench, name="workbench"),
    path("workbench/export.<str:fmt>", workbench.workbench_export, name="workbench_export"),
    path("workbench/acknowledge/", workbench.bulk_acknowledge, name="bulk_acknowledge"),
    path("hotline/", hotline.hotline, name="hotline"),
    path("patrol/", patrol.patrol, name="patrol"),
    path("<int:pk>/", detail.appeal_detail, name="detail"),
    path("<int:pk>/act/<str:action>/", detail.appeal_act, name="act"),
    path("<int:pk>/extension/<str:decision>/", detail.extension_decide, name="extension_decide"),
    path("<int:pk>/part/<str:step>/", detail.part_act, name="part_act"),
    path("<int:pk>/contact/", detail.reveal_contact, name="reveal_contact"),
    path("<int:pk>/split/", split.appeal_split, name="split"),
    path("<int:pk>/similar/<int:sid>/<str:decision>/", detail.similar_decide, name="similar_decide"),
    path("topics/", topics.topics, name="topics"),
    path("topics/candidates/<int:pk>/<str:step>/", topics.candidate_act, name="candidate_act"),
    path("topics/<int:pk>/", topics.topic_detail, name="topic_detail"),
    path("topics/<int:pk>/<str:step>/", topics.topic_act, name="topic_act"),
    path("qr/", qr.qr_list, name="qr_list"),
    path("qr/<str:code>.png", qr.qr_png, name="qr_png"),
    path("qr/<str:code>.pdf", qr.qr_sheet, name="qr_sheet"),
]
