"""What the demo's tests share: a small demo district built for one part to be run on."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from linli.core.snapshots import snapshots_forget
from linli.demo.parts import DemoRun
from linli.demo.territory import demo_build


@pytest.fixture
def run(db: None, settings: Any, tmp_path: Path) -> Iterator[DemoRun]:
    """A run over a small district (scale 0.05, seed 11) with only the territory part built, quietly; uploads
    go to a temporary folder."""
    settings.MEDIA_ROOT = tmp_path
    snapshots_forget()
    demo = DemoRun(scale=0.05, seed=11, say=lambda _line: None)
    demo.district = demo_build(scale=0.05, seed=11)
    yield demo
    snapshots_forget()
