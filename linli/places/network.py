"""The walking network of the whole territory, built once per process from territory.Road and rebuilt when the
roads change (their fingerprint: how many stretches, their total length, the newest id and change). The
networks are kept in a core.snapshots.Snapshot so that a process reset (and every test) starts without them."""

from __future__ import annotations

import hashlib
import math
import threading

from django.db.models import Count, Max, Sum

from linli.core.snapshots import Snapshot
from linli.territory.models import Road

from . import walk

_lock = threading.Lock()
_networks: Snapshot[dict[str, walk.Network | None]] = Snapshot("places.networks", dict)


def roads_fingerprint() -> str:
    """A short text that changes whenever a road is added, changed or removed."""
    agg = Road.objects.aggregate(n=Count("id"), last=Max("updated_at"), top=Max("id"), length=Sum("length_m"))
    last = agg["last"].isoformat() if agg["last"] else ""
    raw = f"{agg['n']}|{last}|{agg['top'] or 0}|{agg['length'] or 0:.3f}"
    return hashlib.sha1(raw.encode()).hexdigest()[:16]


def _lines() -> list[list[list[float]]]:
    lines = []
    for geometry in Road.objects.values_list("geometry", flat=True).iterator(chunk_size=2000):
        if isinstance(geometry, dict) and geometry.get("type") == "LineString":
            lines.append(geometry.get("coordinates") or [])
        elif isinstance(geometry, dict) and geometry.get("type") == "MultiLineString":
            lines.extend(geometry.get("coordinates") or [])
    return lines


def network_current() -> tuple[str, walk.Network | None]:
    """(fingerprint, network) of the roads as they are now; None when there are no roads."""
    key = roads_fingerprint()
    cache = _networks.get()
    if key in cache:
        return key, cache[key]
    with _lock:
        if key not in cache:
            cache.clear()
            cache[key] = walk.network_build(_lines())
        return key, cache[key]


def walks_from(lng: float, lat: float, points: list[tuple[float, float]]) -> list[float] | None:
    """Walking metres along the roads from (lng, lat) to each point (inf where the roads do not join them);
    None when there are no roads to walk on."""
    _key, net = network_current()
    source = walk.entry_for(net, lng, lat) if net is not None else None
    if net is None or source is None:
        return None
    dist = walk.distances_from(net, source, math.inf)
    return [float(m) for m in walk.walk_to(net, dist, walk.targets_for(net, points), source)]
