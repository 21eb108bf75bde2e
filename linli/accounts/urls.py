from __future__ import annotations

from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("", views.account_index, name="index"),
    path("resident/login/", views.resident_login, name="resident_login"),
    path("resident/login/send/", views.resident_login_send, name="resident_login_send"),
    path("resident/login/verify/", views.resident_login_verify, name="resident_login_verify"),
    path("resident/me/", views.resident_me, name="resident_me"),
    path("resident/me/claim/", views.resident_claim, name="resident_claim"),
    path("staff/", views.staff_list, name="staff"),
    path("verifications/", views.verifications, name="verifications"),
    path("verifications/<int:pk>/approve/", views.verification_approve, name="verification_approve"),
    path("verifications/<int:pk>/reject/", views.verification_reject, name="verification_reject"),
]
