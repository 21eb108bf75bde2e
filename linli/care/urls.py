from __future__ import annotations

from django.urls import path

from .views import children, exports, legal, provision, visits

app_name = "care"

urlpatterns = [
    path("", visits.today, name="today"),
    path("contacts/<int:pk>/", visits.contact_record, name="record"),
    path("contacts/<int:pk>/cover/", visits.contact_cover, name="cover"),
    path("contacts/cover/", visits.contacts_cover, name="cover_many"),
    path("plans/", visits.plan_list, name="plans"),
    path("plans/<int:pk>/", visits.plan_detail, name="plan"),
    path("plans/<int:pk>/visitor/", visits.plan_visitor, name="plan_visitor"),
    path("plans/<int:pk>/services/", provision.service_order, name="service_order"),
    path("plans/<int:pk>/alert/", provision.alert_from_visit, name="alert"),
    path("plans/<int:pk>/alert-link/", provision.alert_token_issue, name="alert_link"),
    path("plans/<int:pk>/alert-link.png", provision.alert_qr, name="alert_qr"),
    path("services/<int:pk>/<str:action>/", provision.service_act, name="service_act"),
    path("alert/<str:token>/", provision.home_alert, name="home_alert"),
    path("residents/<int:resident_pk>/assess/", visits.plan_assess, name="assess"),
    path("cases/", visits.case_list, name="cases"),
    path("cases/new/", visits.case_new, name="case_new"),
    path("cases/<int:pk>/", visits.case_detail, name="case"),
    path("cases/<int:pk>/agreement.pdf", visits.agreement_pdf, name="agreement_pdf"),
    path("cases/<int:pk>/<str:action>/", visits.case_act, name="case_act"),
    path("children/", children.place_list, name="children"),
    path("children/<int:pk>/", children.place_detail, name="child_place"),
    path("enrolments/<int:pk>/leave/", children.enrolment_leave, name="enrolment_leave"),
    path("legal/", legal.legal_list, name="legal"),
    path("legal/new/", legal.legal_new, name="legal_new"),
    path("legal/<int:pk>/", legal.legal_detail, name="legal_detail"),
    path("legal/<int:pk>/<str:action>/", legal.legal_act, name="legal_act"),
    path("rota/", legal.rota, name="rota"),
    path("rota/<int:pk>/remove/", legal.rota_remove, name="rota_remove"),
    path("export/<str:kind>.csv", exports.export, name="export"),
]
