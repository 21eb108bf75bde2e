"""Run Python in a fresh process from the checkout, as an administrator's shell would: none of this test run's
LINLI_, DJANGO_ or DATABASE_URL variables leak in, only those the test names."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def run_python(
    args: list[str], env: dict[str, str], *, timeout: int = 300
) -> subprocess.CompletedProcess[str]:
    """`python ARGS` with the environment of this process minus Linli's and Django's variables, plus `env`."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("LINLI_", "DJANGO_", "DATABASE_URL"))}
    return subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
