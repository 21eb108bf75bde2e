from __future__ import annotations

from django.urls import path

from . import views

app_name = "care"

urlpatterns = [
    path("", views.today, name="today"),
    path("contacts/<int:pk>/", views.contact_record, name="record"),
    path("plans/", views.plan_list, name="plans"),
    path("plans/<int:pk>/", views.plan_detail, name="plan"),
    path("residents/<int:resident_pk>/assess/", views.plan_assess, name="assess"),
    path("cases/", views.case_list, name="cases"),
    path("cases/new/", views.case_new, name="case_new"),
    path("cases/<int:pk>/", views.case_detail, name="case"),
    path("cases/<int:pk>/agreement.pdf", views.agreement_pdf, name="agreement_pdf"),
    path("cases/<int:pk>/<str:action>/", views.case_act, name="case_act"),
]
