from django.urls import path

from . import views

app_name = "web"

urlpatterns = [
    path("", views.home, name="home"),
    # A resident's to-dos, loaded into their home after it (views.home_waiting).
    path("waiting/", views.home_waiting, name="home_waiting"),
    path("login/", views.LinliLoginView.as_view(), name="login"),
    path("logout/", views.logout_view, name="logout"),
    # Browsers ask for /favicon.ico on pages that name no icon (the administration site's, a PDF's).
    path("favicon.ico", views.favicon),
]
