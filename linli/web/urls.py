from django.urls import path

from . import views

app_name = "web"

urlpatterns = [
    path("", views.home, name="home"),
    path("login/", views.LinliLoginView.as_view(), name="login"),
    path("logout/", views.logout_view, name="logout"),
]
