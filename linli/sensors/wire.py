"""MQTT 3.1.1 on the wire, only what the fast paths need: encode CONNECT, SUBSCRIBE and PUBLISH packets, and cut
a received byte stream into packets in bulk.

paho-mqtt parses each packet with several small socket reads and builds a message object and a callback per
message (~40 µs a message here, measured in docs/figures.md); the heartbeat path of the listener and the
simulated fleet read and write whole socket buffers instead (256 KiB a `recv_into`, `sendall` of thousands of
pre-encoded PUBLISH packets), a few µs a message."""

from __future__ import annotations

import contextlib
import socket
import ssl
import struct
import time
from collections.abc import Iterable

CONNECT, CONNACK, PUBLISH, PUBACK, SUBSCRIBE, SUBACK = 0x10, 0x20, 0x30, 0x40, 0x80, 0x90
PINGREQ, PINGRESP, DISCONNECT = 0xC0, 0xD0, 0xE0
PING = bytes([PINGREQ, 0])
BYE = bytes([DISCONNECT, 0])


def _length(n: int) -> bytes:
    """The remaining length, 7 bits a byte, low first."""
    out = bytearray()
    while True:
        byte, n = n & 0x7F, n >> 7
        out.append(byte | (0x80 if n else 0))
        if not n:
            return bytes(out)


def _string(value: str | bytes) -> bytes:
    raw = value.encode() if isinstance(value, str) else value
    return struct.pack("!H", len(raw)) + raw


def packet(header: int, body: bytes) -> bytes:
    return bytes([header]) + _length(len(body)) + body


def connect(
    client_id: str,
    *,
    clean: bool = True,
    keepalive: int = 30,
    username: str | None = None,
    password: str | None = None,
) -> bytes:
    flags = (0x02 if clean else 0) | (0x80 if username else 0) | (0x40 if username and password else 0)
    body = _string("MQTT") + bytes([4, flags]) + struct.pack("!H", keepalive) + _string(client_id)
    if username:
        body += _string(username)
        if password:
            body += _string(password)
    return packet(CONNECT, body)


def subscribe(mid: int, topics: Iterable[tuple[str, int]]) -> bytes:
    body = struct.pack("!H", mid) + b"".join(_string(t) + bytes([qos]) for t, qos in topics)
    return packet(SUBSCRIBE | 0x02, body)


def publish(topic: str | bytes, payload: bytes, *, qos: int = 0, mid: int = 0) -> bytes:
    """One PUBLISH packet (QoS 1 needs a message id from 1 to 65535)."""
    body = _string(topic) + (struct.pack("!H", mid) if qos else b"") + payload
    return packet(PUBLISH | (qos << 1), body)


def puback(mid: int) -> bytes:
    return bytes([PUBACK, 2]) + struct.pack("!H", mid)


class Packets:
    """Cuts a byte stream into MQTT packets. `feed(data)` returns the (first byte, body) of every packet the
    stream completes; an incomplete tail waits for the next feed."""

    def __init__(self) -> None:
        self.buffer = b""

    def feed(self, data: bytes) -> list[tuple[int, bytes]]:
        buf = self.buffer + data if self.buffer else data
        out: list[tuple[int, bytes]] = []
        append = out.append
        end = len(buf)
        i = 0
        while i + 2 <= end:
            header = buf[i]
            # Remaining length: one byte below 128 (every heartbeat), else up to four.
            n = buf[i + 1]
            j = i + 2
            if n & 0x80:
                n &= 0x7F
                shift = 7
                while True:
                    if j >= end:
                        self.buffer = buf[i:]
                        return out
                    byte = buf[j]
                    j += 1
                    n |= (byte & 0x7F) << shift
                    if not byte & 0x80:
                        break
                    shift += 7
            if j + n > end:
                break
            append((header, buf[j : j + n]))
            i = j + n
        self.buffer = buf[i:]
        return out


def split_publish(header: int, body: bytes) -> tuple[str, int, bytes]:
    """A PUBLISH packet's (topic, message id or 0, payload)."""
    size = (body[0] << 8) | body[1]
    topic = body[2 : 2 + size].decode("utf-8", "replace")
    if header & 0x06:
        return topic, (body[2 + size] << 8) | body[3 + size], body[4 + size :]
    return topic, 0, body[2 + size :]


class Refused(ConnectionError):
    pass


class Connection:
    """One socket to the broker (TLS when asked), speaking MQTT 3.1.1: connect, subscribe, send bytes, read
    packets in bulk. Blocking, with a timeout on every read; no thread of its own."""

    def __init__(
        self,
        host: str,
        port: int,
        *,
        client_id: str,
        username: str | None = None,
        password: str | None = None,
        tls: bool = False,
        keepalive: int = 30,
        clean: bool = True,
    ) -> None:
        self.host, self.port, self.tls = host, port, tls
        self.client_id, self.username, self.password = client_id, username, password
        self.keepalive, self.clean = keepalive, clean
        self.sock: socket.socket | None = None
        self.packets = Packets()
        self.early: list[tuple[int, bytes]] = []  # packets read while waiting for an acknowledgement
        # recv_into one buffer: recv(1 MiB) would allocate (mmap) and shrink a MiB for every read.
        self.buffer = bytearray(1 << 18)
        self.view = memoryview(self.buffer)
        self.sent_at = 0.0

    def open(self, timeout: float = 10.0) -> None:
        sock = socket.create_connection((self.host, self.port), timeout=timeout)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        if self.tls:
            sock = ssl.create_default_context().wrap_socket(sock, server_hostname=self.host)
        self.sock = sock
        self.send(
            connect(
                self.client_id,
                clean=self.clean,
                keepalive=self.keepalive,
                username=self.username,
                password=self.password,
            )
        )
        body = self._expect(CONNACK, timeout)
        if len(body) < 2 or body[1] != 0:
            raise Refused(f"CONNACK return code {body[1] if len(body) > 1 else '?'}")

    def subscribe(self, topics: list[tuple[str, int]], timeout: float = 10.0) -> None:
        self.send(subscribe(1, topics))
        codes = self._expect(SUBACK, timeout)[2:]
        if any(code >= 0x80 for code in codes):
            raise Refused(f"subscription refused: {[t for t, _q in topics]}")

    def _expect(self, kind: int, timeout: float) -> bytes:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for header, body in self._recv(max(0.01, deadline - time.monotonic())):
                if header & 0xF0 == kind:
                    return body
                self.early.append((header, body))
        raise TimeoutError(f"no packet {kind:#x} from the broker within {timeout} s")

    def send(self, data: bytes) -> None:
        assert self.sock is not None
        self.sock.sendall(data)
        self.sent_at = time.monotonic()

    def ping_if_due(self) -> None:
        """A PINGREQ when nothing was sent for half the keepalive (the broker drops a client silent for 1.5×)."""
        if time.monotonic() - self.sent_at > self.keepalive / 2:
            self.send(PING)

    def read(self, timeout: float) -> list[tuple[int, bytes]]:
        """The packets that arrived (whatever one read of up to 256 KiB completes); [] after `timeout` seconds
        without data. ConnectionError when the broker closed the connection."""
        if self.early:
            early, self.early = self.early, []
            return early
        return self._recv(timeout)

    def _recv(self, timeout: float) -> list[tuple[int, bytes]]:
        assert self.sock is not None
        self.sock.settimeout(timeout)
        try:
            n = self.sock.recv_into(self.buffer)
        except (TimeoutError, BlockingIOError, ssl.SSLWantReadError):
            return []
        if not n:
            raise ConnectionError("the broker closed the connection")
        return self.packets.feed(bytes(self.view[:n]))

    def close(self) -> None:
        if self.sock is None:
            return
        with contextlib.suppress(OSError):
            self.sock.sendall(BYE)
        self.sock.close()
        self.sock = None
