from __future__ import annotations

from django.urls import path

from .views import beacons, branch, members, orgs, partners, public, registrations, stars

app_name = "party"

urlpatterns = [
    path("", orgs.org_list, name="orgs"),
    path("orgs/new/", orgs.org_create, name="org_new"),
    path("orgs/<int:pk>/", orgs.org_detail, name="org"),
    path("orgs/<int:pk>/edit/", orgs.org_edit, name="org_edit"),
    path("branch/", branch.branch_home, name="branch_home"),
    path("branch/<int:pk>/", branch.branch_detail, name="branch"),
    path("branch/<int:pk>/meetings/new/", branch.branch_meeting_new, name="branch_meeting_new"),
    path(
        "branch/<int:pk>/members/<int:member_pk>/points/",
        branch.branch_member_points,
        name="branch_member_points",
    ),
    path("branch/<int:pk>/stars/compute/", branch.branch_star_compute, name="branch_star_compute"),
    path("branch/<int:pk>/stars/self-assessment/", branch.branch_star_assess, name="branch_star_assess"),
    path("members/", members.member_list, name="members"),
    path("members/new/", members.member_join, name="member_new"),
    path("members/<int:pk>/", members.member_detail, name="member"),
    path("members/<int:pk>/transfer/", members.member_transfer, name="member_transfer"),
    path("members/<int:pk>/leave/", members.member_leave, name="member_leave"),
    path("members/<int:pk>/position/", members.member_position, name="member_position"),
    path("members/<int:pk>/points/", stars.member_points, name="member_points"),
    path("meetings/", stars.meeting_list, name="meetings"),
    path("stars/", stars.star_list, name="stars"),
    path("stars/compute/", stars.star_compute, name="star_compute"),
    path("stars/rules/", stars.star_rules, name="star_rules"),
    path("stars/<int:pk>/", stars.star_detail, name="star"),
    path("stars/<int:pk>/approve/", stars.star_approve, name="star_approve"),
    path("stars/<int:pk>/return/", stars.star_return, name="star_return"),
    path("stars/<int:pk>/remind/", stars.star_remind, name="star_remind"),
    path("registrations/", registrations.registration_list, name="registrations"),
    path("registrations/<int:pk>/", registrations.registration_detail, name="registration"),
    path("registrations/<int:pk>/approve/", registrations.registration_approve, name="registration_approve"),
    path("registrations/<int:pk>/refuse/", registrations.registration_refuse, name="registration_refuse"),
    path("registrations/<int:pk>/post/", registrations.registration_post, name="registration_post"),
    path("registrations/<int:pk>/end/", registrations.registration_end, name="registration_end"),
    path("qr/", registrations.qr_codes, name="qr_codes"),
    path("qr/<int:pk>.png", registrations.qr_png, name="qr_png"),
    path("qr/<int:pk>/sheet.pdf", registrations.qr_sheet, name="qr_sheet"),
    path("join/", public.join_choose, name="join_choose"),
    path("join/<str:code>/", public.join, name="join"),
    path("r/<str:token>/", public.my_registration, name="my_registration"),
    path("beacons/", beacons.beacon_list, name="beacons"),
    path("beacons/find/", beacons.member_finder, name="member_finder"),
    path("beacons/plaques.pdf", beacons.plaques, name="plaques"),
    path("beacons/<int:pk>/revoke/", beacons.beacon_revoke, name="beacon_revoke"),
    path("partners/", partners.partner_list, name="partners"),
    path("partners/new/", partners.partner_create, name="partner_new"),
    path("partners/<int:pk>/edit/", partners.partner_edit, name="partner_edit"),
    path("partners/<int:pk>/end/", partners.partner_end, name="partner_end"),
]
