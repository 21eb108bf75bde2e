from django.urls import path

from . import views

app_name = "sensors"

urlpatterns = [
    path("", views.alarm_list, name="alarms"),
    path("alarms/rows/", views.alarm_rows, name="alarm_rows"),
    path("alarms/<int:pk>/", views.alarm_detail, name="alarm"),
    path("alarms/<int:pk>/acknowledge/", views.alarm_acknowledge, name="acknowledge"),
    path("alarms/<int:pk>/clear/", views.alarm_clear, name="clear"),
    path("devices/", views.device_list, name="devices"),
    path("figures/", views.figures, name="figures"),
]
