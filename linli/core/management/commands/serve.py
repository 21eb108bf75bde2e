"""Serve Linli with gunicorn, a production WSGI server (never Django's development server)."""

from __future__ import annotations

import os
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from linli.core.management.commands._help import TranslatedHelpCommand


class Command(TranslatedHelpCommand):
    help = gettext_lazy(
        "Serve the site with gunicorn (production server). Static files are served by whitenoise."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--host", default=os.environ.get("LINLI_HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("LINLI_PORT", "8000")))
        parser.add_argument("--workers", type=int, default=int(os.environ.get("LINLI_WEB_WORKERS", "2")))
        parser.add_argument("--threads", type=int, default=int(os.environ.get("LINLI_WEB_THREADS", "4")))

    def handle(self, *args: Any, **opts: Any) -> None:
        from gunicorn.app.wsgiapp import run

        argv = [
            "gunicorn",
            "linli.wsgi:application",
            "--bind",
            f"{opts['host']}:{opts['port']}",
            "--workers",
            str(opts["workers"]),
            "--threads",
            str(opts["threads"]),
            "--access-logfile",
            "-",
            "--timeout",
            "120",
        ]
        self.stdout.write(
            _("Linli is serving on %(url)s (Ctrl-C stops it).")
            % {"url": f"http://{opts['host']}:{opts['port']}/"}
        )
        import sys

        sys.argv = argv
        run()
