"""The real network address of the person making a request, also behind a reverse proxy.

Rate limits and the audit log count people by address. Behind a proxy (nginx, a load balancer) every request
comes from the proxy's address, so the client's is read from X-Forwarded-For — but only as far as proxies the
deployment trusts wrote it: LINLI_TRUSTED_PROXIES lists their addresses or networks (comma-separated, e.g.
`10.0.0.0/8,127.0.0.1`). The header is read from the right (the nearest hop) and the first address that is not a
trusted proxy is the client; a header sent by a client directly (not through a trusted proxy) is ignored, so it
cannot be forged to dodge a limit. Without the setting, REMOTE_ADDR is the address."""

from __future__ import annotations

import ipaddress
from functools import lru_cache

from django.conf import settings
from django.http import HttpRequest

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=8)
def _networks(spec: str) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(part.strip(), strict=False) for part in spec.split(",") if part.strip())


def _trusted(address: str, networks: tuple[Network, ...]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in net for net in networks)


def client_ip(request: HttpRequest) -> str:
    """The client's address (at most 45 characters), "" when unknown."""
    remote = str(request.META.get("REMOTE_ADDR") or "").strip()
    networks = _networks(str(getattr(settings, "LINLI_TRUSTED_PROXIES", "") or ""))
    if not networks or not _trusted(remote, networks):
        return remote[:45]
    hops = [h.strip() for h in str(request.META.get("HTTP_X_FORWARDED_FOR") or "").split(",") if h.strip()]
    for hop in reversed(hops):
        if not _trusted(hop, networks):
            try:
                return str(ipaddress.ip_address(hop))[:45]
            except ValueError:
                return remote[:45]  # a malformed hop: the proxy's own address, not a made-up one
    return remote[:45]
