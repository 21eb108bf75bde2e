import logging
import os
import threading

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "linli.settings")
application = get_wsgi_application()


def _warm_up() -> None:
    """Load the appeal classifier in the background, so the first resident does not wait for it (~2 s)."""
    try:
        from linli.triage.selectors import warm_up

        warm_up()
    except Exception:  # a missing table before `migrate` must not stop the server
        logging.getLogger("linli").warning("triage model warm-up skipped", exc_info=True)


threading.Thread(target=_warm_up, name="linli-warm-up", daemon=True).start()
