"""Appeals pages, mounted at /appeals/ (namespace "appeals").

The resident follows an appeal at track/<number>/ and staff open it at <pk>/: the notification links written by
appeals/notify.py point there.
"""

from __future__ import annotations

from django.urls import path

from .views import (
    catalogue,
    common,
    detail,
    from_visit,
    hotline,
    inbox,
    nearby,
    patrol,
    phone_proof,
    public,
    qr,
    resident,
    split,
    topics,
    whistle,
    workbench,
)

app_name = "appeals"

urlpatterns = [
    path("", inbox.index, name="index"),
    # Residents and guests.
    path("new/", resident.appeal_new, name="new"),
    path("new/suggest/", resident.suggest_category, name="suggest"),
    path("new/phone/code/", phone_proof.phone_code, name="phone_code"),
    path("new/phone/verify/", phone_proof.phone_verify, name="phone_verify"),
    path("submitted/<str:tracking_number>/", resident.appeal_submitted, name="submitted"),
    path("track/", resident.track, name="track"),
    path("track/<str:tracking_number>/", resident.resident_detail, name="resident_detail"),
    path(
        "track/<str:tracking_number>/rate/", resident.resident_form, {"action": "rate"}, name="resident_rate"
    ),
    path(
        "track/<str:tracking_number>/withdraw/",
        resident.resident_form,
        {"action": "withdraw"},
        name="resident_withdraw",
    ),
    path(
        "track/<str:tracking_number>/similar/<int:pk>/<str:decision>/",
        resident.resident_similar,
        name="resident_similar",
    ),
    path(
        "track/<str:tracking_number>/add/",
        resident.resident_form,
        {"action": "add_info"},
        name="resident_add_info",
    ),
    path(
        "track/<str:tracking_number>/reopen/",
        resident.resident_form,
        {"action": "reopen"},
        name="resident_reopen",
    ),
    path("mine/", resident.my_appeals, name="mine"),
    path("photos/<int:pk>/", resident.photo, name="photo"),
    path("voices/<int:pk>/", resident.voice, name="voice"),
    # While reporting: open public appeals nearby, follow one, find a place of the territory.
    path("nearby/", nearby.nearby, name="nearby"),
    path("places/", nearby.places, name="places"),
    path("follow/<str:tracking_number>/", nearby.follow, name="follow"),
    path("unfollow/<str:tracking_number>/", nearby.follow, {"following": False}, name="unfollow"),
    # Public: a page per appeal of a public category, the map of solved ones.
    path("public/", public.solved_map, name="public_map"),
    path("public/solved.json", public.solved_json, name="public_solved_json"),
    path("public/<str:tracking_number>/", public.appeal_page, name="public_appeal"),
    path("public/<str:tracking_number>/photos/<int:pk>/", public.public_photo, name="public_photo"),
    path("grids.json", common.grids_json, name="grids_json"),
    path("inbox/", inbox.inbox, name="inbox"),
    # Staff.
    path("workbench/", workbench.workbench, name="workbench"),
    path("workbench/export.<str:fmt>", workbench.workbench_export, name="workbench_export"),
    path("workbench/acknowledge/", workbench.bulk_acknowledge, name="bulk_acknowledge"),
    path("hotline/", hotline.hotline, name="hotline"),
    path("patrol/", patrol.patrol, name="patrol"),
    path("from-visit/<int:visit_id>/", from_visit.appeal_from_visit, name="from_visit"),
    path("<int:pk>/", detail.appeal_detail, name="detail"),
    path("<int:pk>/act/<str:action>/", detail.appeal_act, name="act"),
    path("<int:pk>/extension/<str:decision>/", detail.extension_decide, name="extension_decide"),
    path("<int:pk>/part/<str:step>/", detail.part_act, name="part_act"),
    path("<int:pk>/whistle-request/<str:step>/", whistle.whistle_request_act, name="whistle_request_act"),
    path("<int:pk>/contact/", detail.reveal_contact, name="reveal_contact"),
    path("<int:pk>/split/", split.appeal_split, name="split"),
    path("<int:pk>/similar/<int:sid>/<str:decision>/", detail.similar_decide, name="similar_decide"),
    path("catalogue/", catalogue.catalogue, name="catalogue"),
    path("catalogue/new/", catalogue.catalogue_draft_new, name="catalogue_draft_new"),
    path("catalogue/<int:pk>/", catalogue.catalogue_version, name="catalogue_version"),
    path("catalogue/<int:pk>/<str:step>/", catalogue.catalogue_step, name="catalogue_step"),
    path("topics/", topics.topics, name="topics"),
    path("topics/candidates/<int:pk>/<str:step>/", topics.candidate_act, name="candidate_act"),
    path("topics/<int:pk>/", topics.topic_detail, name="topic_detail"),
    path("topics/<int:pk>/<str:step>/", topics.topic_act, name="topic_act"),
    path("qr/", qr.qr_list, name="qr_list"),
    path("qr/<str:code>.png", qr.qr_png, name="qr_png"),
    path("qr/<str:code>.pdf", qr.qr_sheet, name="qr_sheet"),
]
