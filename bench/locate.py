"""Micro-benchmark of the locator on a database holding the demo district; prints its figures.

LINLI_VAR_DIR=/tmp/var-bench .venv/bin/linli migrate -v0
LINLI_VAR_DIR=/tmp/var-bench .venv/bin/linli demo
LINLI_VAR_DIR=/tmp/var-bench .venv/bin/python bench/locate.py [--points 20000]
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "linli.settings")

import django

django.setup()

from linli.core.snapshots import snapshots_forget  # noqa: E402
from linli.demo.territory import STREET_BOUNDS  # noqa: E402
from linli.territory import locator  # noqa: E402
from linli.territory.models import Building, Grid  # noqa: E402


def timed(label: str, n: int, fn: Callable[[], object]) -> float:
    started = time.perf_counter()
    fn()
    seconds = time.perf_counter() - started
    print(f"{label:<44} {seconds * 1e6 / n:>10.1f} µs per call   ({n} calls, {seconds:.3f} s)")
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--points", type=int, default=20_000, help="random points to locate")
    args = parser.parse_args()
    grids = Grid.objects.count()
    buildings = list(Building.objects.values_list("lng", "lat", "grid_id", "address"))
    if not grids:
        sys.exit("no grids in this database: run `linli demo` first (see the docstring)")
    print(f"{grids} grids, {len(buildings)} buildings")

    snapshots_forget()  # as a freshly started process
    timed("build the index (first call)", 1, lambda: locator.grid_for_point(116.47, 39.92))

    rng = random.Random(1)
    west, south, east, north = STREET_BOUNDS
    points = [
        (rng.uniform(west - 0.002, east + 0.002), rng.uniform(south - 0.002, north + 0.002))
        for _ in range(args.points)
    ]
    timed(
        "grid_for_point, random points (warm)",
        len(points),
        lambda: [locator.grid_for_point(x, y) for x, y in points],
    )

    wrong = sum(locator.grid_for_point(lng, lat) != grid_id for lng, lat, grid_id, _ in buildings)
    print(f"buildings located in a grid other than their own: {wrong}")

    sample = buildings[: min(500, len(buildings))]
    timed(
        "locate_point with its org chain (1 query)",
        len(sample),
        lambda: [locator.locate_point(x, y) for x, y, _, _ in sample],
    )
    queries = [f"北京市朝阳区{address}2单元301" for _, _, _, address in sample[:200]]
    timed(
        "locate_address, address with extra text",
        len(queries),
        lambda: [locator.locate_address(q) for q in queries],
    )
    exact = [address for _, _, _, address in sample[:200]]
    timed("locate_address, exact address", len(exact), lambda: [locator.locate_address(q) for q in exact])


if __name__ == "__main__":
    main()
