"""`linli demo_heartbeats [--once] [--direct] [--every 300] [--url URL]`: the demo's sensors keep sending
heartbeats while the demo is served (`make run` runs it beside the worker); see linli.demo.heartbeats."""

from __future__ import annotations

import os
import signal
import threading
from typing import Any

from django.core.management.base import CommandParser
from django.db import DatabaseError, close_old_connections
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from linli.core.management.commands._help import TranslatedHelpCommand
from linli.demo.heartbeats import EVERY_SECONDS, alive_codes, beat


class Command(TranslatedHelpCommand):
    help = gettext_lazy(
        "Send the demo's sensors' heartbeats every few minutes until stopped (nothing without the demo)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help=_("one round, then exit"))
        parser.add_argument(
            "--direct",
            action="store_true",
            help=_("through the ingest service, not through the broker"),
        )
        parser.add_argument("--every", type=float, default=EVERY_SECONDS, help=_("seconds between rounds"))
        parser.add_argument("--url", default="", help=_("broker URL (default: LINLI_MQTT_URL)"))

    def handle(self, *args: Any, **opts: Any) -> None:
        if not alive_codes():
            if opts["verbosity"] >= 1:
                self.stdout.write("no demo sensors in this database: no heartbeats sent")
            return
        if opts["once"]:
            self._round(opts)
            return
        stop = threading.Event()
        for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            signal.signal(sig, lambda *_a: stop.set())
        parent = os.getppid()
        self.stdout.write(f"demo sensors: a heartbeat every {opts['every']:.0f} s until stopped")

        def orphaned() -> bool:  # whoever started it is gone (`make run` killed outright runs no trap)
            return os.getppid() != parent

        while not stop.is_set() and not orphaned():
            close_old_connections()  # a round every few minutes: no connection held between them
            self._round(opts)
            close_old_connections()
            waited = 0.0
            while waited < opts["every"] and not orphaned() and not stop.wait(min(5.0, opts["every"])):
                waited += min(5.0, opts["every"])

    def _round(self, opts: dict[str, Any]) -> None:
        try:  # a busy database or a broker gone: the next round tries again
            sent, way = beat(url=opts["url"], direct=opts["direct"])
        except (DatabaseError, OSError) as error:
            self.stderr.write(f"demo sensors: no heartbeats this round ({error})")
            return
        if opts["verbosity"] >= (1 if opts["once"] else 2):
            self.stdout.write(f"demo sensors: {sent} heartbeats sent ({way})")
