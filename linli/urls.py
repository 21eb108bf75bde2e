from django.contrib import admin
from django.urls import include, path

from linli.api import api

handler404 = "linli.core.failures.not_found"
handler500 = "linli.core.failures.server_error"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("core/", include("linli.core.urls")),
    path("accounts/", include("linli.accounts.urls")),
    path("territory/io/", include("linli.territory.io_urls")),
    path("territory/", include("linli.territory.urls")),
    path("party/", include("linli.party.urls")),
    path("appeals/", include("linli.appeals.urls")),
    path("open311/v2/", include("linli.appeals.open311_urls")),
    path("triage/", include("linli.triage.urls")),
    path("deliberation/", include("linli.deliberation.urls")),
    path("volunteers/", include("linli.volunteers.urls")),
    path("places/", include("linli.places.urls")),
    path("sensors/", include("linli.sensors.urls")),
    path("care/", include("linli.care.urls")),
    path("cobuild/", include("linli.cobuild.urls")),
    path("dashboard/", include("linli.dashboard.urls")),
    path("public/", include("linli.dashboard.public_urls")),
    path("", include("linli.web.urls")),
]
