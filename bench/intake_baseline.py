"""The ceiling for bench/intake.py: a bare Django POST that writes one row, served by gunicorn with Linli's settings
and middleware (sessions, CSRF exemption, security headers) and nothing of the appeal intake."""

from __future__ import annotations

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "linli.settings")

from django.conf import settings

settings.ROOT_URLCONF = "bench.intake_baseline"

from django.core.wsgi import get_wsgi_application  # noqa: E402
from django.http import HttpRequest, JsonResponse  # noqa: E402
from django.urls import path  # noqa: E402
from django.views.decorators.csrf import csrf_exempt  # noqa: E402


@csrf_exempt
def bare(request: HttpRequest) -> JsonResponse:
    from linli.core.models import AuditEntry

    row = AuditEntry.objects.create(
        action="bench.bare", object_type="bench", object_id=str(len(request.body))
    )
    return JsonResponse({"id": row.pk}, status=201)


urlpatterns = [path("bare/", bare)]
application = get_wsgi_application()
