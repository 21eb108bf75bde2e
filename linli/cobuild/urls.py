from __future__ import annotations

from django.urls import path

from .views import mine, public, staff

app_name = "cobuild"

urlpatterns = [
    path("", mine.home, name="home"),
    path("orders/", mine.my_orders, name="my_orders"),
    path("orders/<int:pk>/", mine.order, name="order"),
    path("orders/<int:pk>/<str:action>/", mine.order_act, name="order_act"),
    path("needs/new/", mine.need_new, name="need_new"),
    path("wishes/", mine.wishes, name="wishes"),
    path("wishes/<int:pk>/", mine.wish, name="wish"),
    path("wishes/<int:pk>/<str:action>/", mine.wish_act, name="wish_act"),
    path("public/<str:code>/", public.disclosure, name="public"),
    path("staff/", staff.need_list, name="staff_needs"),
    path("staff/needs/<int:pk>/", staff.need_detail, name="staff_need"),
    path("staff/needs/<int:pk>/match/", staff.match_confirm, name="staff_match"),
    path("staff/resources/", staff.resource_list, name="staff_resources"),
    path("staff/projects/", staff.project_list, name="staff_projects"),
    path("staff/projects/<int:pk>/progress/", staff.project_progress, name="staff_project_progress"),
    path("staff/orders/", staff.order_board, name="staff_orders"),
    path("staff/wishes/", staff.wish_list, name="staff_wishes"),
    path("staff/fund/", staff.fund, name="staff_fund"),
    path("staff/payments/<int:pk>/<str:action>/", staff.payment_act, name="staff_payment_act"),
    path("staff/transfers/<int:pk>/reverse/", staff.transfer_reverse, name="staff_reverse"),
]
