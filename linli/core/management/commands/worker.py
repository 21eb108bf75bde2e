"""`linli worker [--once] [--interval S] [--job NAME]`: run the registered background jobs in a loop.

Run as many workers as you like, on any machine: every job claims its rows before it acts on them. A deadline is
acted on within one idle interval (5 s by default) and one round of falling due; a busy round is followed by the next
at once, so a burst is worked off without waiting.
"""

from __future__ import annotations

import signal
import time
from typing import Any

from django.core.management.base import CommandParser
from django.db import close_old_connections
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from linli.core import jobs
from linli.core.management.commands._help import TranslatedHelpCommand


class Command(TranslatedHelpCommand):
    help = gettext_lazy(
        "Run background jobs: deadline warnings and breaches, escalation, callbacks, the outbox."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help=_("run every job once and exit"))
        parser.add_argument(
            "--interval",
            type=float,
            default=5.0,
            help=_("seconds between idle rounds (default 5); after a busy round the next starts at once"),
        )
        parser.add_argument("--job", action="append", default=[], help=_("run only this job (repeatable)"))

    def handle(self, *args: Any, **options: Any) -> None:
        only = options["job"] or None
        known = {job.name for job in jobs.registered()}
        unknown = [name for name in only or [] if name not in known]
        if unknown:
            self.stderr.write(f"unknown job(s): {', '.join(unknown)}; known: {', '.join(sorted(known))}")
            raise SystemExit(2)
        stopping = False

        def stop(signum: int, frame: Any) -> None:
            nonlocal stopping
            stopping = True

        if not options["once"]:
            signal.signal(signal.SIGTERM, stop)
            signal.signal(signal.SIGINT, stop)
        while True:
            done = jobs.run_all(only)
            busy = {k: v for k, v in done.items() if v}
            if busy or options["once"]:
                self.stdout.write(" ".join(f"{k}={v}" for k, v in sorted(done.items())))
            if options["once"] or stopping:
                return
            if any(
                v > 0 for v in done.values()
            ):  # work was done: more may be due (a backlog, a burst), go again
                close_old_connections()
                continue
            # Between rounds, drop connections that are too old or broken (as Django does between requests).
            close_old_connections()
            slept = 0.0
            while slept < options["interval"] and not stopping:
                time.sleep(min(1.0, options["interval"]))
                slept += 1.0
            if stopping:
                return
