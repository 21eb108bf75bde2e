from __future__ import annotations

from django.urls import path
from django.views.generic import RedirectView

from .views import building, files, mine, public, sources, staff

app_name = "cobuild"

urlpatterns = [
    # Stored files first: "photo" and "receipt" would otherwise be read as an order's, a wish's or a payment's action.
    path("milestones/<int:pk>/photo/", files.milestone_photo, name="milestone_photo"),
    path("orders/<int:pk>/photo/", files.order_photo, name="order_photo"),
    path("wishes/<int:pk>/photo/", files.wish_photo, name="wish_photo"),
    path("staff/payments/<int:pk>/receipt/", files.payment_receipt, name="staff_receipt"),
    path("", mine.home, name="home"),
    path("orders/", mine.my_orders, name="my_orders"),
    path("orders/<int:pk>/", mine.order, name="order"),
    path("orders/<int:pk>/<str:action>/", mine.order_act, name="order_act"),
    path("needs/", mine.my_needs, name="my_needs"),
    path("needs/new/", mine.need_new, name="need_new"),
    path("needs/<int:pk>/", mine.my_need, name="my_need"),
    path("wishes/", mine.wishes, name="wishes"),
    path("wishes/<int:pk>/", mine.wish, name="wish"),
    path("wishes/<int:pk>/<str:action>/", mine.wish_act, name="wish_act"),
    path("public/<str:code>/", public.disclosure, name="public"),
    path("staff/", staff.need_list, name="staff_needs"),
    # The needs list is the staff's first page; its address beside its neighbours' (staff/resources/ …) leads there.
    path("staff/needs/", RedirectView.as_view(pattern_name="cobuild:staff_needs", query_string=True)),
    path("staff/needs/<int:pk>/", staff.need_detail, name="staff_need"),
    path("staff/needs/<int:pk>/match/", staff.match_confirm, name="staff_match"),
    path("staff/needs/<int:pk>/close/", staff.need_close, name="staff_need_close"),
    path("staff/needs/from-visit/<int:visit_id>/", sources.need_from_visit, name="need_from_visit"),
    path("staff/needs/from-appeal/<int:appeal_id>/", sources.need_from_appeal, name="need_from_appeal"),
    path("staff/resources/", staff.resource_list, name="staff_resources"),
    path("staff/projects/", staff.project_list, name="staff_projects"),
    path("staff/projects/<int:pk>/progress/", staff.project_progress, name="staff_project_progress"),
    path("staff/projects/<int:pk>/", building.project_detail, name="staff_project"),
    path(
        "staff/projects/<int:pk>/milestones/<int:milestone_id>/reach/",
        building.milestone_reach,
        name="staff_milestone_reach",
    ),
    path("staff/partners/", building.partners, name="staff_partners"),
    path("staff/commitments/<int:pk>/fulfil/", building.commitment_fulfil, name="staff_commitment_fulfil"),
    path("staff/stars/", building.stars, name="staff_stars"),
    path("staff/stars/publish/", building.stars_publish, name="staff_stars_publish"),
    path("staff/orders/", staff.order_board, name="staff_orders"),
    path("staff/menu/<int:pk>/withdraw/", staff.service_item_withdraw, name="staff_menu_withdraw"),
    path("staff/wishes/", staff.wish_list, name="staff_wishes"),
    path("staff/fund/", staff.fund, name="staff_fund"),
    path("staff/payments/<int:pk>/<str:action>/", staff.payment_act, name="staff_payment_act"),
    path("staff/transfers/<int:pk>/reverse/", staff.transfer_reverse, name="staff_reverse"),
]
