from __future__ import annotations

from django.urls import path

from .views import mine, public, staff

app_name = "volunteers"

urlpatterns = [
    path("", mine.home, name="home"),
    path("profile/", mine.profile, name="profile"),
    path("activities/", mine.activities, name="activities"),
    path("activities/<int:pk>/", mine.activity, name="activity"),
    path("roles/<int:pk>/signup/", mine.signup, name="signup"),
    path("signups/<int:pk>/cancel/", mine.signup_cancel, name="signup_cancel"),
    path("mine/", mine.my_activities, name="my_activities"),
    path("c/<str:token>/", mine.check_in, name="check_in"),
    path("ledger/", mine.ledger, name="my_ledger"),
    path("spend/", mine.spend, name="spend"),
    path("store/", mine.store, name="store"),
    path("p/", public.communities, name="public_communities"),
    path("p/<str:code>/", public.community, name="public_community"),
    path("p/photos/<int:pk>/", public.photo, name="public_photo"),
    path("store/<int:pk>/redeem/", mine.redeem, name="redeem"),
    path("redemptions/<int:pk>/cancel/", mine.redemption_cancel, name="redemption_cancel"),
    path("staff/", staff.activity_list, name="staff_activities"),
    path("staff/activities/new/", staff.activity_new, name="staff_activity_new"),
    path("staff/calls/new/", staff.call_new, name="staff_call_new"),
    path("staff/activities/<int:pk>/", staff.activity_detail, name="staff_activity"),
    path("staff/activities/<int:pk>/qr.png", staff.activity_qr, name="staff_activity_qr"),
    path("staff/activities/<int:pk>/photos/", staff.photo_add, name="staff_photo_add"),
    path("staff/photos/<int:pk>/", staff.photo_file, name="staff_photo"),
    path("staff/photos/<int:pk>/consent/", staff.photo_consent, name="staff_photo_consent"),
    path("staff/photos/<int:pk>/remove/", staff.photo_remove, name="staff_photo_remove"),
    path("staff/activities/<int:pk>/state/", staff.activity_state, name="staff_activity_state"),
    path("staff/signups/<int:pk>/confirm/", staff.signup_confirm, name="staff_signup_confirm"),
    path("staff/signups/<int:pk>/no-show/", staff.signup_no_show, name="staff_signup_no_show"),
    path("staff/volunteers/", staff.volunteer_list, name="staff_volunteers"),
    path("staff/volunteers/new/", staff.volunteer_new, name="staff_volunteer_new"),
    path("staff/teams/", staff.team_list, name="staff_teams"),
    path("staff/bank/", staff.bank, name="staff_bank"),
    path("staff/bank/<int:pk>/", staff.account, name="staff_account"),
    path("staff/store/", staff.store, name="staff_store"),
    path("staff/store/<int:pk>/donate/", staff.store_donate, name="staff_store_donate"),
    path("staff/store/<int:pk>/withdraw/", staff.store_withdraw, name="staff_store_withdraw"),
    path("staff/redemptions/<int:pk>/", staff.redemption_step, name="staff_redemption"),
    path("staff/honours/", staff.honours, name="staff_honours"),
    path("staff/rules/", staff.rules, name="staff_rules"),
    path("staff/honours/<int:pk>/review/", staff.honour_review, name="staff_honour_review"),
    path("staff/movements/<int:pk>/reverse/", staff.transfer_reverse, name="staff_reverse"),
]
