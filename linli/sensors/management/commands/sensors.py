"""`linli sensors ingest` reads messages a broker subscriber prints (one a line) and writes them in batches;
`linli sensors simulate --devices N` plays a fleet of the registered devices (printing the messages, or with
--ingest writing them straight through the ingest)."""

from __future__ import annotations

import sys
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from linli.sensors.ingest import batches, ingest_lines
from linli.sensors.models import Device
from linli.sensors.services import readings_ingest
from linli.sensors.simulate import as_line, fleet_messages


class Command(BaseCommand):
    help = "Sensor ingest and fleet simulation."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        ingest = sub.add_parser(
            "ingest", help="Read `topic payload` lines (mosquitto_sub -v) from standard input."
        )
        ingest.add_argument("--batch", type=int, default=1000)
        sim = sub.add_parser(
            "simulate", help="Heartbeats and occasional alarms for the first N registered devices."
        )
        sim.add_argument("--devices", type=int, default=100)
        sim.add_argument("--rounds", type=int, default=1)
        sim.add_argument("--alarm-rate", type=float, default=0.01)
        sim.add_argument(
            "--ingest", action="store_true", help="Write straight through the ingest, not to stdout."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "ingest":
            result = ingest_lines(sys.stdin, size=max(1, options["batch"]))
            self.stdout.write(
                f"readings={result.readings} alarms_opened={result.alarms_opened} "
                f"repeated={result.alarms_repeated} cleared={result.cleared} unknown={len(result.unknown_devices)}"
            )
            return
        devices = list(
            Device.objects.filter(active=True)
            .order_by("code")
            .values_list("code", "kind")[: options["devices"]]
        )
        if not devices:
            raise CommandError(_("No sensors are registered: run linli demo or register devices first."))
        codes = [c for c, _k in devices]
        messages = fleet_messages(
            codes, kinds=dict(devices), rounds=options["rounds"], alarm_rate=options["alarm_rate"]
        )
        if not options["ingest"]:
            for message in messages:
                self.stdout.write(as_line(message))
            return
        started = time.perf_counter()
        n = opened = 0
        for batch in batches(as_line(m) for m in messages):
            done = readings_ingest(batch)
            n += done.readings
            opened += done.alarms_opened
        seconds = time.perf_counter() - started
        self.stdout.write(
            f"readings={n} alarms_opened={opened} seconds={seconds:.2f} readings_per_s={n / seconds:.0f}"
        )
