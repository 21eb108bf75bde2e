"""`linli sensors listen` subscribes to the MQTT broker (LINLI_MQTT_URL) and writes what arrives, reconnecting,
until stopped; `linli sensors ingest` reads messages a broker's own subscriber prints (one a line) from stdin;
`linli sensors simulate --devices N` plays a fleet of the registered devices: it publishes to the broker, or
prints the messages (--print), or writes them straight through the ingest (--ingest)."""

from __future__ import annotations

import signal
import sys
import threading
import time
from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from linli.core.env import SettingError
from linli.core.management.commands._help import TranslatedHelpCommand
from linli.sensors import mqtt
from linli.sensors.ingest import batches, ingest_lines
from linli.sensors.models import Device
from linli.sensors.services import readings_ingest
from linli.sensors.simulate import as_line, fleet_messages


class Command(TranslatedHelpCommand):
    help = gettext_lazy("Sensor ingest and fleet simulation.")

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        ingest = sub.add_parser(
            "ingest", help=_("Read `topic payload` lines (mosquitto_sub -v) from standard input.")
        )
        ingest.add_argument(
            "--batch", type=int, default=1000, help=_("Readings written together (default 1000).")
        )
        listen = sub.add_parser(
            "listen",
            help=_("Subscribe to LINLI_MQTT_URL (QoS 1) and write readings until stopped."),
        )
        listen.add_argument(
            "--url",
            default="",
            help=_("Broker URL (default: LINLI_MQTT_URL or a local Mosquitto)."),
        )
        listen.add_argument(
            "--shared",
            default="",
            help=_("Shared-subscription group: processes in it split the load."),
        )
        listen.add_argument("--client-id", default="", help=_("Each process on one machine needs its own."))
        listen.add_argument(
            "--only",
            default="",
            choices=["alarms", "heartbeats"],
            help=_(
                "One path in this process (run the other in another): alarms never share its CPU with heartbeats."
            ),
        )
        listen.add_argument(
            "--if-reachable",
            action="store_true",
            help=_("Exit quietly when no broker answers (make run)."),
        )
        sim = sub.add_parser(
            "simulate",
            help=_("Heartbeats and occasional alarms for the first N registered devices."),
        )
        sim.add_argument(
            "--devices", type=int, default=100, help=_("How many registered devices play (default 100).")
        )
        sim.add_argument("--rounds", type=int, default=1, help=_("Heartbeats each device sends (default 1)."))
        sim.add_argument(
            "--alarm-rate",
            type=float,
            default=0.01,
            help=_("Share of messages that are alarms, from 0 to 1 (default 0.01)."),
        )
        sim.add_argument(
            "--ingest",
            action="store_true",
            help=_("Write straight through the ingest, not through the broker."),
        )
        sim.add_argument(
            "--print", action="store_true", help=_("Print `topic payload` lines, publish nothing.")
        )
        sim.add_argument(
            "--url",
            default="",
            help=_("Broker URL (default: LINLI_MQTT_URL or a local Mosquitto)."),
        )
        sim.add_argument(
            "--qos",
            type=int,
            default=0,
            choices=[0, 1],
            help=_("QoS of heartbeats (alarms always go with QoS 1)."),
        )

    def broker_url(self, options: dict[str, Any]) -> str:
        """The broker's address (--url, else LINLI_MQTT_URL); one line in the user's language and exit status 2,
        as for Linli's other settings, when it is not an MQTT address."""
        url = options["url"] or mqtt.broker_url()
        try:
            mqtt.broker_from_url(url, name="--url" if options["url"] else "LINLI_MQTT_URL")
        except SettingError as error:
            self.stderr.write(_(error.msgid) % error.values)
            sys.exit(2)
        return url

    def listen(self, options: dict[str, Any]) -> None:
        url = self.broker_url(options)
        if options["if_reachable"] and not mqtt.broker_reachable(url):
            self.stdout.write(
                _("No MQTT broker at %(url)s: sensor ingest not started.")
                % {"url": mqtt.broker_from_url(url).url}
            )
            return
        stop = threading.Event()
        for sig in (signal.SIGINT, signal.SIGTERM):
            signal.signal(sig, lambda *_a: stop.set())
        listener = mqtt.Listener(
            url, client_id=options["client_id"] or None, shared=options["shared"], only=options["only"]
        )
        where = {"url": listener.broker.url, "topic": listener.topic}  # the address without its password
        if not listener.start(wait=10):
            self.stderr.write(
                _("The MQTT broker %(url)s does not answer yet; trying again in the background.") % where
            )
        self.stdout.write(_("Listening on %(url)s, topic %(topic)s.") % where)
        try:
            total = listener.run(stop=stop)
        finally:
            listener.stop()
        self.stdout.write(
            _(
                "Stopped: %(readings)s readings written, %(opened)s alarms opened, %(duplicates)s repeated messages skipped."
            )
            % {"readings": total.readings, "opened": total.alarms_opened, "duplicates": total.duplicates}
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "listen":
            self.listen(options)
            return
        if options["action"] == "ingest":
            result = ingest_lines(sys.stdin, size=max(1, options["batch"]))
            self.stdout.write(
                _(
                    "Read to the end: %(readings)s messages, %(opened)s alarms opened, %(repeated)s repeated, "
                    "%(cleared)s cleared, %(rejected)s refused (a type or value not understood)."
                )
                % {
                    "rejected": result.rejected,
                    "readings": result.readings,
                    "opened": result.alarms_opened,
                    "repeated": result.alarms_repeated,
                    "cleared": result.cleared,
                }
            )
            if result.unknown_devices:
                unknown = sorted(result.unknown_devices)
                self.stderr.write(
                    _(
                        "Messages of %(count)s devices not registered were not written: %(codes)s. Import them "
                        "first (the import kind “Fire sensors”, docs/places-sensors.md)."
                    )
                    % {
                        "count": len(unknown),
                        "codes": "、".join(unknown[:10]) + ("……" if len(unknown) > 10 else ""),
                    }
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
        if options["print"]:
            for message in messages:
                self.stdout.write(as_line(message))
            return
        if not options["ingest"]:
            url = self.broker_url(options)
            publisher = mqtt.Publisher(url)
            if not publisher.start(wait=10):
                publisher.stop()
                raise CommandError(
                    _("No MQTT broker answers at %(url)s.") % {"url": mqtt.broker_from_url(url).url}
                )
            started = time.perf_counter()
            try:
                n = publisher.publish_all(messages, qos=options["qos"])
            finally:
                publisher.stop()
            seconds = time.perf_counter() - started
            self.stdout.write(
                _("Published %(count)s messages to %(url)s in %(seconds)s s.")
                % {"count": n, "url": mqtt.broker_from_url(url).url, "seconds": f"{seconds:.2f}"}
            )
            return
        started = time.perf_counter()
        n = opened = 0
        for batch in batches(as_line(m) for m in messages):
            done = readings_ingest(batch)
            n += done.readings
            opened += done.alarms_opened
        seconds = time.perf_counter() - started
        self.stdout.write(
            _(
                "Wrote %(readings)s readings and opened %(opened)s alarms in %(seconds)s s (%(rate)s readings a "
                "second)."
            )
            % {"readings": n, "opened": opened, "seconds": f"{seconds:.2f}", "rate": f"{n / seconds:.0f}"}
        )
