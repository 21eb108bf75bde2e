"""How long `linli setup` (what `make run` calls on a first start) takes, and where the time goes.

    .venv/bin/python bench/demo_setup.py [--runs 1] [--repo PATH]

Each run migrates a fresh database in a temporary LINLI_VAR_DIR (not timed: `make run` migrates before setup),
then times `linli setup -v 2` in a child process: its wall-clock time, its CPU time (user + system, which a
busy shared machine inflates less than the wall clock), and the time of each demo part and build step as the
demo reports them. `--repo` times another checkout (for example the main branch, for a before/after). The
machine's load average is printed with the figures: on a loaded machine the wall-clock time is not the
program's. The last line:

    setup_wall_s=… setup_cpu_s=… territory_s=… appeals_s=… appeals=… ms_per_appeal=… load=…
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run_once(repo: Path) -> dict[str, float]:
    with tempfile.TemporaryDirectory(prefix="linli-bench-setup-") as var:
        env = {**os.environ, "LINLI_VAR_DIR": var, "PYTHONPATH": str(repo)}
        env.pop("LINLI_TESTING", None)
        env.pop("DATABASE_URL", None)
        cli = [sys.executable, "-m", "linli"]
        subprocess.run([*cli, "migrate", "--no-input", "-v", "0"], env=env, check=True, cwd=repo)
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        done = subprocess.run(
            [*cli, "setup", "-v", "2"], env=env, check=True, cwd=repo, capture_output=True, text=True
        )
        wall = time.perf_counter() - started
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
    out = done.stdout
    figures = {
        "setup_wall_s": wall,
        "setup_cpu_s": (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime),
        "load": os.getloadavg()[0],
    }
    # The demo's own lines (the deployment speaks Chinese; English when it is configured so).
    territory = re.search(r"(?:演示辖区已导入，用时|Demo district loaded in) ([\d.]+)", out)
    appeals = re.search(
        r"(?:诉求历史：.*?|Appeal history: )(\d+) (?:件诉求|appeals).*?(?:用时|in) ([\d.]+)", out
    )
    if territory:
        figures["territory_s"] = float(territory.group(1))
    if appeals:
        figures["appeals"] = float(appeals.group(1))
        figures["appeals_s"] = float(appeals.group(2))
        figures["ms_per_appeal"] = 1000 * figures["appeals_s"] / figures["appeals"]
    for step, seconds in re.findall(r"^  (\w+)\s+([\d.]+) s$", out, re.M):
        figures[f"step_{step}_s"] = float(seconds)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--repo", type=Path, default=ROOT, help="the checkout to time (default: this one)")
    args = parser.parse_args()
    runs = [run_once(args.repo.resolve()) for _i in range(args.runs)]
    keys = [k for k in runs[0] if all(k in r for r in runs)]
    median = {k: statistics.median(r[k] for r in runs) for k in keys}
    print(
        f"{args.repo.resolve()}: {args.runs} run(s), medians, load average {median['load']:.1f} on {os.cpu_count()} cores"
    )
    for key in keys:
        if key.startswith("step_"):
            print(f"  territory step {key[5:-2]:<28} {median[key]:7.2f} s")
    summary = ["setup_wall_s", "setup_cpu_s", "territory_s", "appeals_s", "appeals", "ms_per_appeal", "load"]
    print(" ".join(f"{k}={median[k]:.1f}" for k in summary if k in median))


if __name__ == "__main__":
    main()
